namespace QuantEdge.Runtime.Kernels
{
    /// <summary>
    /// The last step of every accumulating kernel: scale the int32 accumulator to the output's
    /// scale, add the output zero point, clamp to the fused activation range.
    /// </summary>
    public static class OutputStage
    {
        /// <summary>clamp(MultiplyByQuantizedMultiplier(acc, multiplier, shift) + zeroPoint, min, max).</summary>
        public static sbyte Requantize(int acc, int multiplier, int shift, int zeroPoint, int min, int max)
        {
            int value = FixedPoint.MultiplyByQuantizedMultiplier(acc, multiplier, shift) + zeroPoint;
            if (value < min)
            {
                value = min;
            }
            else if (value > max)
            {
                value = max;
            }

            return (sbyte)value;
        }
    }
}
