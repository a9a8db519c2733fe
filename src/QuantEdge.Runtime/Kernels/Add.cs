namespace QuantEdge.Runtime.Kernels
{
    /// <summary>
    /// Parameters of an int8 element-wise add of two same-shape tensors (TFLite's int8 ADD), all
    /// precomputed on the host: both inputs are brought to a common scale (twice the larger input
    /// scale, with <see cref="LeftShift"/> bits of headroom), summed, then rescaled to the output.
    /// </summary>
    public sealed class AddParams : ElementwiseParams
    {
        /// <summary>Headroom shift applied to both inputs before rescaling (20 for int8, as TFLite).</summary>
        public int LeftShift;

        /// <summary>Q31 multiplier of input1Scale / (2 × max input scale).</summary>
        public int Input1Multiplier;

        /// <summary>Shift of <see cref="Input1Multiplier"/> (positive = left; &lt;= 0 here).</summary>
        public int Input1Shift;

        /// <summary>Q31 multiplier of input2Scale / (2 × max input scale).</summary>
        public int Input2Multiplier;

        /// <summary>Shift of <see cref="Input2Multiplier"/> (positive = left; &lt;= 0 here).</summary>
        public int Input2Shift;

        /// <summary>Q31 multiplier of 2 × max input scale / (2^LeftShift × outScale).</summary>
        public int OutputMultiplier;

        /// <summary>Shift of <see cref="OutputMultiplier"/> (positive = left).</summary>
        public int OutputShift;
    }

    /// <summary>
    /// out = clamp(MBQM(MBQM((x1 - zp1) &lt;&lt; L, M1, S1) + MBQM((x2 - zp2) &lt;&lt; L, M2, S2), Mo, So) + zpOut, min, max).
    /// Works in place (output on either input). The two input rescalings are
    /// <see cref="FixedPoint.MultiplyByQuantizedMultiplier"/> written out in the loop, the same bits: on the
    /// interpreter a call per step (six per element) cost more than the arithmetic.
    /// </summary>
    public static class Add
    {
        /// <summary>Adds the <see cref="ElementwiseParams.Size"/> elements at the two input offsets into the output.</summary>
        public static void Eval(AddParams p, sbyte[] arena, int input1Offset, int input2Offset, int outputOffset)
        {
            int zeroPoint1 = p.Input1ZeroPoint, zeroPoint2 = p.Input2ZeroPoint;
            int multiplier1 = p.Input1Multiplier, multiplier2 = p.Input2Multiplier;
            // (x << L) << max(S, 0) (two shifts: C# takes a shift count mod 32), then the rounding right shift by max(-S, 0).
            int leftShift = p.LeftShift;
            int left1 = p.Input1Shift > 0 ? p.Input1Shift : 0, right1 = p.Input1Shift > 0 ? 0 : -p.Input1Shift;
            int left2 = p.Input2Shift > 0 ? p.Input2Shift : 0, right2 = p.Input2Shift > 0 ? 0 : -p.Input2Shift;
            int mask1 = (int)((1L << right1) - 1), half1 = mask1 >> 1;
            int mask2 = (int)((1L << right2) - 1), half2 = mask2 >> 1;
            int outputMultiplier = p.OutputMultiplier, outputShift = p.OutputShift, outputZeroPoint = p.OutputZeroPoint;
            int min = p.ActivationMin, max = p.ActivationMax;
            int toInput2 = input2Offset - input1Offset;
            int toOutput = outputOffset - input1Offset;
            int end = input1Offset + p.Size;
            for (int i = input1Offset; i < end; i++)
            {
                // SaturatingRoundingDoublingHighMul (the multipliers are non-negative: it cannot saturate),
                // then RoundingDivideByPowerOfTwo, ties away from zero.
                long product = (long)(((arena[i] - zeroPoint1) << leftShift) << left1) * multiplier1;
                int high = (int)(product >= 0 ? (product + (1L << 30)) >> 31 : -((-product + (1L << 30) - 1) >> 31));
                int scaled1 = (high >> right1) + ((high & mask1) > half1 + (high < 0 ? 1 : 0) ? 1 : 0);
                product = (long)(((arena[i + toInput2] - zeroPoint2) << leftShift) << left2) * multiplier2;
                high = (int)(product >= 0 ? (product + (1L << 30)) >> 31 : -((-product + (1L << 30) - 1) >> 31));
                int scaled2 = (high >> right2) + ((high & mask2) > half2 + (high < 0 ? 1 : 0) ? 1 : 0);
                arena[i + toOutput] = OutputStage.Requantize(scaled1 + scaled2, outputMultiplier, outputShift, outputZeroPoint, min, max);
            }
        }
    }
}
