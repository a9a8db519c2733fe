using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Interpreter
{
    /// <summary>
    /// The words Add and Mul records share (docs/blob-format.md): the three tensors first, the fused
    /// clamp last. Size and zero points come from the tensors.
    /// </summary>
    internal static class ElementwiseRecord
    {
        /// <summary>
        /// Words 0..2: input1, input2, output, all of one element count (the output may sit on an input);
        /// words <paramref name="clampAt"/> and after it: activationMin, activationMax.
        /// </summary>
        public static void Read(LoadContext c, int[] w, int clampAt, ElementwiseParams p, out TensorInfo a, out TensorInfo b, out TensorInfo y)
        {
            a = c.Read(w[0]);
            b = c.Read(w[1]);
            y = c.Write(w[2]);
            c.Check(a.Elements == y.Elements && b.Elements == y.Elements, "element counts differ");
            c.SameOrNoOverlap(y, a);
            c.SameOrNoOverlap(y, b);
            p.Size = y.Elements;
            p.Input1ZeroPoint = a.ZeroPoint;
            p.Input2ZeroPoint = b.ZeroPoint;
            p.OutputZeroPoint = y.ZeroPoint;
            p.ActivationMin = w[clampAt];
            p.ActivationMax = w[clampAt + 1];
            c.CheckClamp(p.ActivationMin, p.ActivationMax);
            c.AddWork(y.Elements);
        }
    }
}
