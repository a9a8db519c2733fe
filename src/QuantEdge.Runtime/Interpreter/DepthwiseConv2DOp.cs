using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Interop;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Native;

namespace QuantEdge.Runtime.Interpreter
{
    internal sealed class DepthwiseConv2DOp : Op
    {
        public const int WordCount = 23;
        private readonly DepthwiseConv2DParams p;
        private readonly int input;
        private readonly int output;

        /// <summary>The native kernel's arguments; null: the managed kernel.</summary>
        private readonly int[] native;

        private DepthwiseConv2DOp(int[] inputs, int outputIndex, DepthwiseConv2DParams p, TensorInfo x, TensorInfo y, bool native)
            : base(BlobFormat.OpDepthwiseConv2D, inputs, outputIndex)
        {
            this.p = p;
            input = x.ArenaOffset;
            output = y.ArenaOffset;
            this.native = native ? NativeKernels.DepthwiseConv2DArgs(p, input, output) : null;
        }

        /// <summary>
        /// Words: input, output, filterH, filterW, strideH, strideW, dilationH, dilationW, padTop, padLeft,
        /// inputZeroPoint, depthMultiplier, weights ref, bias ref, multiplier ref, shift ref, outputZeroPoint,
        /// activationMin, activationMax.
        /// </summary>
        public static Op Decode(LoadContext c, int[] w)
        {
            DepthwiseConv2DParams p = new DepthwiseConv2DParams();
            TensorInfo x, y;
            ConvolutionRecord.ReadWindow(c, w, p, out x, out y);
            p.DepthMultiplier = w[11];
            c.Check(p.DepthMultiplier >= 1 && (long)p.InputDepth * p.DepthMultiplier == p.OutputDepth,
                "output depth is not input depth × depth multiplier");
            long taps = (long)p.FilterHeight * p.FilterWidth;
            p.Weights = c.Int8s(w[12], w[13], taps * p.OutputDepth);
            ConvolutionRecord.ReadOutputStage(c, w, 14, p);
            long macs = (long)y.Elements * taps;
            c.AddWork(macs);
            bool native = c.RunsNative(BlobFormat.OpDepthwiseConv2D);
            if (!native)
            {
                DepthwiseConv2D.AllocateScratch(p); // the C (and the host SIMD kernel) keeps its sums on the stack
            }

            DepthwiseConv2DOp op = new DepthwiseConv2DOp(new int[] { w[0] }, w[1], p, x, y, native);
            op.Macs = macs;
            op.WeightBytes = p.Weights.Length;
            return op;
        }

        internal override void Invoke(sbyte[] arena)
        {
            if (native != null)
            {
                NativeMethods.DepthwiseConv2D(arena, native, p.Weights, p.Bias, p.OutputMultiplier, p.OutputShift);
            }
            else
            {
                DepthwiseConv2D.Eval(p, arena, input, output);
            }
        }
    }
}
