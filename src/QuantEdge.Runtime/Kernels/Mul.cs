namespace QuantEdge.Runtime.Kernels
{
    /// <summary>Parameters of an int8 element-wise multiply of two same-shape tensors (TFLite's int8 MUL).</summary>
    public sealed class MulParams : ElementwiseParams
    {
        /// <summary>Q31 multiplier of input1Scale × input2Scale / outScale.</summary>
        public int OutputMultiplier;

        /// <summary>Shift of <see cref="OutputMultiplier"/> (positive = left).</summary>
        public int OutputShift;
    }

    /// <summary>
    /// out = clamp(MBQM((x1 - zp1) × (x2 - zp2), M, S) + zpOut, min, max). Works in place (output on either input).
    /// </summary>
    public static class Mul
    {
        /// <summary>Multiplies the <see cref="ElementwiseParams.Size"/> elements at the two input offsets into the output.</summary>
        public static void Eval(MulParams p, sbyte[] arena, int input1Offset, int input2Offset, int outputOffset)
        {
            int zeroPoint1 = p.Input1ZeroPoint, zeroPoint2 = p.Input2ZeroPoint;
            int outputZeroPoint = p.OutputZeroPoint, min = p.ActivationMin, max = p.ActivationMax;
            // OutputStage.Requantize written out with its terms taken once: a call per element cost more than its arithmetic.
            long multiplier = p.OutputMultiplier;
            int left = OutputStage.LeftShift(p.OutputShift), total = OutputStage.TotalShift(p.OutputShift);
            long up = OutputStage.RoundUp(p.OutputShift), down = OutputStage.RoundDown(p.OutputShift);
            int toInput2 = input2Offset - input1Offset;
            int toOutput = outputOffset - input1Offset;
            int end = input1Offset + p.Size;
            for (int i = input1Offset; i < end; i++)
            {
                long product = (((arena[i] - zeroPoint1) * (arena[i + toInput2] - zeroPoint2)) << left) * multiplier;
                int value = (int)((product + (product < OutputStage.NegativeHalf ? down : up)) >> total) + outputZeroPoint;
                arena[i + toOutput] = (sbyte)(value < min ? min : value > max ? max : value);
            }
        }
    }
}
