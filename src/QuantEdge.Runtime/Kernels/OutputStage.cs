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

        /// <summary>
        /// Requantizes the two lanes of a packed accumulator (<see cref="WeightLayout.Int64Pairs"/>) into channels
        /// <paramref name="o"/> and o + 1 at <paramref name="output"/>; the high lane only if o + 1 &lt; <paramref name="outputs"/>.
        /// The lanes (<see cref="Dot.LowLane"/>, <see cref="Dot.HighLane"/>) written out: on the interpreter a
        /// small layer pays for its calls per output more than for its MACs.
        /// </summary>
        public static void RequantizePair(long acc, int[] multiplier, int[] shift, int o, int outputs, int zeroPoint, int min, int max, sbyte[] arena, int output)
        {
            int low = (int)acc;
            arena[output + o] = Requantize(low, multiplier[o], shift[o], zeroPoint, min, max);
            if (o + 1 < outputs)
            {
                arena[output + o + 1] = Requantize((int)((acc - low) >> 32), multiplier[o + 1], shift[o + 1], zeroPoint, min, max);
            }
        }
    }
}
