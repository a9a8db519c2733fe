namespace QuantEdge.Runtime.Kernels
{
    /// <summary>
    /// The last step of every accumulating kernel: scale the int32 accumulator to the output's
    /// scale, add the output zero point, clamp to the fused activation range.
    /// </summary>
    /// <remarks>
    /// TFLite's MultiplyByQuantizedMultiplier rounds twice: SaturatingRoundingDoublingHighMul gives
    /// h = floor((p + 2^30) / 2^31) for the product p = (acc &lt;&lt; left) × multiplier (its nudge of
    /// 1 − 2^30 for a negative p, then a division truncating toward zero, is that same floor), and
    /// RoundingDivideByPowerOfTwo by e = right shift gives floor((h + 2^(e−1) − [h &lt; 0]) / 2^e) (ties away
    /// from zero; nothing when e = 0). Nested floors of divisions by powers of two are one floor, so both are
    /// (p + <see cref="RoundUp"/>) &gt;&gt; <see cref="TotalShift"/> for h ≥ 0, i.e. p ≥ −2^30, and
    /// (p + <see cref="RoundDown"/>) &gt;&gt; <see cref="TotalShift"/> below: one 64-bit add and shift, the same
    /// bits. A kernel with one multiplier per tensor or per channel takes the three terms once and writes the
    /// step out in its loop; a test holds <see cref="Requantize"/> bit-exact against <see cref="FixedPoint"/>'s
    /// primitives. The multiplier is in [0, 2^31) (the loader rejects negative ones), so the doubling high
    /// multiply cannot saturate, and |p| &lt; 2^62 leaves the sum room in 64 bits.
    /// </remarks>
    public static class OutputStage
    {
        /// <summary>Products below this take <see cref="RoundDown"/>: those whose doubling high multiply is negative.</summary>
        public const long NegativeHalf = -(1L << 30);

        /// <summary>The left shift applied to the accumulator before the multiply (a positive shift; 0 otherwise).</summary>
        public static int LeftShift(int shift)
        {
            return shift > 0 ? shift : 0;
        }

        /// <summary>The one right shift of the 64-bit product: 31, plus the rounding divide's exponent for a negative shift.</summary>
        public static int TotalShift(int shift)
        {
            return shift < 0 ? 31 - shift : 31;
        }

        /// <summary>What is added to a product of at least <see cref="NegativeHalf"/> before <see cref="TotalShift"/>.</summary>
        public static long RoundUp(int shift)
        {
            return shift < 0 ? (1L << 30) + (1L << (30 - shift)) : 1L << 30;
        }

        /// <summary>What is added to a product below <see cref="NegativeHalf"/>: ties of the rounding divide go away from zero.</summary>
        public static long RoundDown(int shift)
        {
            return shift < 0 ? (1L << (30 - shift)) - (1L << 30) : 1L << 30;
        }

        /// <summary>
        /// clamp(MultiplyByQuantizedMultiplier(acc, multiplier, shift) + zeroPoint, min, max), for a
        /// multiplier in [0, 2^31). It runs once per output value, which in small layers costs as much
        /// as the MACs, so the terms are computed here rather than through calls (no inlining on the interpreter).
        /// </summary>
        public static sbyte Requantize(int acc, int multiplier, int shift, int zeroPoint, int min, int max)
        {
            long product;
            int value;
            if (shift < 0)
            {
                product = (long)acc * multiplier;
                long half = 1L << (30 - shift);
                value = (int)((product + (product < NegativeHalf ? half - (1L << 30) : half + (1L << 30))) >> (31 - shift));
            }
            else
            {
                // A positive shift is applied to the accumulator (wrapping, as TFLite's) and leaves no rounding divide.
                product = (long)(acc << shift) * multiplier;
                value = (int)((product + (1L << 30)) >> 31);
            }

            value += zeroPoint;
            if (value < min)
            {
                return (sbyte)min;
            }

            return (sbyte)(value > max ? max : value);
        }

        /// <summary>
        /// <see cref="Requantize"/> of eight channels' sums <paramref name="a0"/>..<paramref name="a7"/> into channels
        /// <paramref name="o"/>..o + 7 at <paramref name="output"/>: what the kernels' eight- and sixteen-channel passes
        /// (<see cref="Dot.Rows8"/>, <see cref="Dot.Rows16"/>) store.
        /// </summary>
        public static void RequantizeEight(int a0, int a1, int a2, int a3, int a4, int a5, int a6, int a7,
            int[] multiplier, int[] shift, int o, int zeroPoint, int min, int max, sbyte[] arena, int output)
        {
            int at = output + o;
            arena[at] = Requantize(a0, multiplier[o], shift[o], zeroPoint, min, max);
            arena[at + 1] = Requantize(a1, multiplier[o + 1], shift[o + 1], zeroPoint, min, max);
            arena[at + 2] = Requantize(a2, multiplier[o + 2], shift[o + 2], zeroPoint, min, max);
            arena[at + 3] = Requantize(a3, multiplier[o + 3], shift[o + 3], zeroPoint, min, max);
            arena[at + 4] = Requantize(a4, multiplier[o + 4], shift[o + 4], zeroPoint, min, max);
            arena[at + 5] = Requantize(a5, multiplier[o + 5], shift[o + 5], zeroPoint, min, max);
            arena[at + 6] = Requantize(a6, multiplier[o + 6], shift[o + 6], zeroPoint, min, max);
            arena[at + 7] = Requantize(a7, multiplier[o + 7], shift[o + 7], zeroPoint, min, max);
        }

        /// <summary>
        /// Requantizes the two lanes of a packed accumulator (<see cref="WeightLayout.Int64Pairs"/>) into channels
        /// <paramref name="o"/> and o + 1 at <paramref name="output"/>; the high lane only if o + 1 &lt; <paramref name="outputs"/>.
        /// The lanes (<see cref="Dot.LowLane"/>, <see cref="Dot.HighLane"/>) and <see cref="Requantize"/> written out in
        /// one loop over them: on the interpreter a small layer pays more for a call per output than for its MACs.
        /// </summary>
        public static void RequantizePair(long acc, int[] multiplier, int[] shift, int o, int outputs, int zeroPoint, int min, int max, sbyte[] arena, int output)
        {
            int lane = (int)acc;
            int high = (int)((acc - lane) >> 32);
            for (int end = o + 1 < outputs ? o + 2 : o + 1; o < end; o++, lane = high)
            {
                int s = shift[o];
                int right = s < 0 ? -s : 0;
                long product = (long)(lane << (s > 0 ? s : 0)) * multiplier[o];
                long rounding = right == 0 ? 1L << 30 : (1L << (30 + right)) + (product < NegativeHalf ? -(1L << 30) : 1L << 30);
                int value = (int)((product + rounding) >> (31 + right)) + zeroPoint;
                arena[output + o] = (sbyte)(value < min ? min : value > max ? max : value);
            }
        }
    }
}
