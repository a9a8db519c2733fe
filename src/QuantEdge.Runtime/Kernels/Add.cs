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
    /// Works in place (output on either input).
    /// </summary>
    public static class Add
    {
        /// <summary>Adds the <see cref="ElementwiseParams.Size"/> elements at the two input offsets into the output.</summary>
        public static void Eval(AddParams p, sbyte[] arena, int input1Offset, int input2Offset, int outputOffset)
        {
            int zeroPoint1 = p.Input1ZeroPoint, zeroPoint2 = p.Input2ZeroPoint, leftShift = p.LeftShift;
            int multiplier1 = p.Input1Multiplier, shift1 = p.Input1Shift;
            int multiplier2 = p.Input2Multiplier, shift2 = p.Input2Shift;
            int outputMultiplier = p.OutputMultiplier, outputShift = p.OutputShift, outputZeroPoint = p.OutputZeroPoint;
            int min = p.ActivationMin, max = p.ActivationMax;
            int toInput2 = input2Offset - input1Offset;
            int toOutput = outputOffset - input1Offset;
            int end = input1Offset + p.Size;
            for (int i = input1Offset; i < end; i++)
            {
                int scaled1 = FixedPoint.MultiplyByQuantizedMultiplier((arena[i] - zeroPoint1) << leftShift, multiplier1, shift1);
                int scaled2 = FixedPoint.MultiplyByQuantizedMultiplier((arena[i + toInput2] - zeroPoint2) << leftShift, multiplier2, shift2);
                arena[i + toOutput] = OutputStage.Requantize(scaled1 + scaled2, outputMultiplier, outputShift, outputZeroPoint, min, max);
            }
        }
    }
}
