namespace QuantEdge.Runtime.Kernels
{
    /// <summary>
    /// Parameters of an int8 softmax over the last axis (TFLite's reference int8 softmax). The output
    /// quantization is implied: scale 1/256, zero point -128.
    /// </summary>
    public sealed class SoftmaxParams
    {
        /// <summary>Rows, each normalised on its own.</summary>
        public int Rows;

        /// <summary>Elements per row (at most 4095, so the Q12.19 sum of exps cannot overflow).</summary>
        public int RowSize;

        /// <summary>Q31 multiplier of beta × inScale × 2^26: scales an input difference to Q5.26.</summary>
        public int InputMultiplier;

        /// <summary>Left shift of <see cref="InputMultiplier"/> (&gt;= 0).</summary>
        public int InputLeftShift;

        /// <summary>
        /// Most negative x - max(row) that still counts; anything below would overflow Q5.26, and its
        /// exp is negligible (it outputs -128).
        /// </summary>
        public int DiffMin;
    }

    /// <summary>
    /// Per row: d = x - max(row); e = exp(d × beta × inScale) in Q0.31 (<see cref="FixedPoint.ExpOnNegativeValues"/>
    /// of d scaled to Q5.26) for d &gt;= DiffMin, else nothing; sum = Σ e in Q12.19;
    /// out = clamp(round(e / sum × 256) - 128, -128, 127), the division by a reciprocal
    /// (<see cref="FixedPoint.Reciprocal"/>) and a rounding shift. Works in place.
    /// An int8 input gives at most 256 differences d (0 down to -255), so their exponentials are
    /// computed once, at load (<see cref="ExpTable"/>): per element the kernel does a table read and,
    /// for the output, one 64-bit product (the fixed-point helpers written out, on values known
    /// non-negative), the same bits as calling them.
    /// </summary>
    public static class Softmax
    {
        private const int AccumulationIntegerBits = 12;

        /// <summary>
        /// The exponential table of <paramref name="p"/>: entry k = exp(-k × beta × inScale) in Q0.31, for
        /// every difference -k that counts (k from 0 to min(255, -DiffMin)). 4 bytes per entry, made once per layer.
        /// </summary>
        public static int[] ExpTable(SoftmaxParams p)
        {
            int length = p.DiffMin > -255 ? 1 - p.DiffMin : 256; // not -DiffMin: it overflows for int.MinValue
            int[] table = new int[length];
            for (int k = 0; k < length; k++)
            {
                table[k] = FixedPoint.ExpOnNegativeValues(FixedPoint.MultiplyByQuantizedMultiplier(-k, p.InputMultiplier, p.InputLeftShift));
            }

            return table;
        }

        /// <summary>
        /// Normalises the Rows × RowSize input at <paramref name="inputOffset"/> into the output;
        /// <paramref name="expTable"/> is <see cref="ExpTable"/> of <paramref name="p"/>.
        /// </summary>
        public static void Eval(SoftmaxParams p, int[] expTable, sbyte[] arena, int inputOffset, int outputOffset)
        {
            int rowSize = p.RowSize;
            int counted = expTable.Length; // max - x below this counts (d >= DiffMin)
            int toOutput = outputOffset - inputOffset;
            for (int r = 0; r < p.Rows; r++)
            {
                int start = inputOffset + r * rowSize;
                int end = start + rowSize;
                int max = -128;
                for (int i = start; i < end; i++)
                {
                    if (arena[i] > max) max = arena[i];
                }

                int sumOfExps = 0; // Q12.19
                for (int i = start; i < end; i++)
                {
                    int k = max - arena[i];
                    if (k < counted)
                    {
                        // RoundingDivideByPowerOfTwo(exp, 12), Q0.31 to Q12.19, for exp >= 0.
                        int exp = expTable[k];
                        sumOfExps += (exp >> AccumulationIntegerBits) + ((exp & 0xFFF) > 0x7FF ? 1 : 0);
                    }
                }

                int bitsOverUnit;
                int reciprocal = FixedPoint.Reciprocal(sumOfExps, AccumulationIntegerBits, out bitsOverUnit);
                // e × reciprocal is the probability × 2^bitsOverUnit in Q0.31; × 256 for the output scale.
                // The sum is at least exp(0) = 1, so bitsOverUnit >= 0 and the exponent is 23 or more.
                int exponent = bitsOverUnit + 31 - 8;
                if (exponent > 31)
                {
                    // A sum of exps of 512 or more: the Q0.31 product below is under 2^31, so a rounding
                    // shift by 32 or more gives 0. (TFLite's reference stops on a check there; this is
                    // what the shift would give.)
                    for (int i = start; i < end; i++)
                    {
                        arena[i + toOutput] = -128;
                    }

                    continue;
                }

                int mask = (int)((1L << exponent) - 1);
                int threshold = mask >> 1;
                for (int i = start; i < end; i++)
                {
                    int k = max - arena[i];
                    int value = -128;
                    if (k < counted)
                    {
                        // SaturatingRoundingDoublingHighMul(reciprocal, exp) then RoundingDivideByPowerOfTwo
                        // by the exponent: both factors are non-negative, so neither saturates nor rounds a negative.
                        int high = (int)(((long)reciprocal * expTable[k] + (1L << 30)) >> 31);
                        value = (high >> exponent) + ((high & mask) > threshold ? 1 : 0) - 128;
                        if (value > 127) value = 127;
                    }

                    arena[i + toOutput] = (sbyte)value;
                }
            }
        }
    }
}
