using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Interpreter
{
    /// <summary>
    /// The words Conv2D and DepthwiseConv2D records share (docs/blob-format.md): the tensors and window
    /// (words 0..10), and the output stage after the weights.
    /// </summary>
    internal static class ConvolutionRecord
    {
        /// <summary>
        /// Words 0..10: input, output, filterH, filterW, strideH, strideW, dilationH, dilationW, padTop,
        /// padLeft, inputZeroPoint; the rest of the geometry comes from the tensors' dims.
        /// </summary>
        public static void ReadWindow(LoadContext c, int[] w, ConvolutionParams p, out TensorInfo x, out TensorInfo y)
        {
            x = c.Read(w[0]);
            y = c.Write(w[1]);
            c.NoOverlap(y, x);
            c.Check(x.N == y.N, "input and output batches differ");
            c.CheckWindow(w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9]);
            p.Batches = x.N;
            p.InputHeight = x.H;
            p.InputWidth = x.W;
            p.InputDepth = x.C;
            p.OutputHeight = y.H;
            p.OutputWidth = y.W;
            p.OutputDepth = y.C;
            p.FilterHeight = w[2];
            p.FilterWidth = w[3];
            p.StrideHeight = w[4];
            p.StrideWidth = w[5];
            p.DilationHeight = w[6];
            p.DilationWidth = w[7];
            p.PadTop = w[8];
            p.PadLeft = w[9];
            p.InputZeroPoint = w[10];
            c.CheckZeroPoint(p.InputZeroPoint, "input zero point");
        }

        /// <summary>
        /// From word <paramref name="at"/>: bias ref, requantization (four words), outputZeroPoint,
        /// activationMin, activationMax.
        /// </summary>
        public static void ReadOutputStage(LoadContext c, int[] w, int at, ConvolutionParams p)
        {
            p.Bias = c.Int32s(w[at], w[at + 1], p.OutputDepth);
            c.ReadRequantization(w, at + 2, p.OutputDepth, out p.OutputMultiplier, out p.OutputShift);
            p.OutputZeroPoint = w[at + 6];
            c.CheckZeroPoint(p.OutputZeroPoint, "output zero point");
            p.ActivationMin = w[at + 7];
            p.ActivationMax = w[at + 8];
            c.CheckClamp(p.ActivationMin, p.ActivationMax);
        }
    }
}
