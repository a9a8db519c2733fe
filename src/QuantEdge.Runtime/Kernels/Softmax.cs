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
    /// </summary>
    public static class Softmax
    {
        private const int AccumulationIntegerBits = 12;

        /// <summary>Normalises the Rows × RowSize input at <paramref name="inputOffset"/> into the output.</summary>
        public static void Eval(SoftmaxParams p, sbyte[] arena, int inputOffset, int outputOffset)
        {
            int rowSize = p.RowSize;
            int multiplier = p.InputMultiplier, leftShift = p.InputLeftShift, diffMin = p.DiffMin;
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
                    int diff = arena[i] - max;
                    if (diff >= diffMin)
                    {
                        int exp = FixedPoint.ExpOnNegativeValues(FixedPoint.MultiplyByQuantizedMultiplier(diff, multiplier, leftShift));
                        sumOfExps += FixedPoint.RoundingDivideByPowerOfTwo(exp, AccumulationIntegerBits); // Q0.31 to Q12.19
                    }
                }

                int bitsOverUnit;
                int reciprocal = FixedPoint.Reciprocal(sumOfExps, AccumulationIntegerBits, out bitsOverUnit);
                // e × reciprocal is the probability × 2^bitsOverUnit in Q0.31; × 256 for the output scale.
                int exponent = bitsOverUnit + 31 - 8;
                for (int i = start; i < end; i++)
                {
                    int diff = arena[i] - max;
                    int value = -128;
                    // exponent > 31 means a sum of exps of 512 or more: the Q0.31 product below is
                    // under 2^31, so a rounding shift by 32 or more gives 0. (TFLite's reference
                    // stops on a check there; this is what the shift would give.)
                    if (diff >= diffMin && exponent <= 31)
                    {
                        // Recomputed rather than kept from the first pass: no scratch, same bits.
                        int exp = FixedPoint.ExpOnNegativeValues(FixedPoint.MultiplyByQuantizedMultiplier(diff, multiplier, leftShift));
                        value = FixedPoint.RoundingDivideByPowerOfTwo(FixedPoint.SaturatingRoundingDoublingHighMul(reciprocal, exp), exponent) - 128;
                        if (value > 127) value = 127;
                    }

                    arena[i + toOutput] = (sbyte)value;
                }
            }
        }
    }
}
