namespace QuantEdge.Runtime.Kernels
{
    /// <summary>
    /// The last step of every accumulating kernel: scale the int32 accumulator to the output's
    /// scale, add the output zero point, clamp to the fused activation range.
    /// </summary>
    public static class OutputStage
    {
        /// <summary>
        /// clamp(MultiplyByQuantizedMultiplier(acc, multiplier, shift) + zeroPoint, min, max), for a
        /// multiplier in [0, 2^31) (the loader rejects negative ones). It runs once per output value,
        /// which in small layers costs as much as the MACs, so the three fixed-point steps are written
        /// out in one method (no calls on the interpreter); a test holds it bit-exact against the
        /// composition of <see cref="FixedPoint"/>'s primitives.
        /// </summary>
        public static sbyte Requantize(int acc, int multiplier, int shift, int zeroPoint, int min, int max)
        {
            // SaturatingRoundingDoublingHighMul(acc << leftShift, multiplier): with a non-negative
            // multiplier the saturating case (both int.MinValue) cannot occur.
            long product = (long)(shift > 0 ? acc << shift : acc) * multiplier;
            long nudged = product >= 0 ? product + (1L << 30) : product + (1 - (1L << 30));
            int high = (int)(nudged >= 0 ? nudged >> 31 : -((-nudged) >> 31));

            // RoundingDivideByPowerOfTwo(high, -shift), ties away from zero.
            int value = high;
            if (shift < 0)
            {
                int exponent = -shift;
                int mask = (int)((1L << exponent) - 1);
                int threshold = (mask >> 1) + (high < 0 ? 1 : 0);
                value = (high >> exponent) + ((high & mask) > threshold ? 1 : 0);
            }

            value += zeroPoint;
            if (value < min)
            {
                return (sbyte)min;
            }

            return (sbyte)(value > max ? max : value);
        }
    }
}
