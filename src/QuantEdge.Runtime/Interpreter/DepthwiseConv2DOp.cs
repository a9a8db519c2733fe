using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Interpreter
{
    internal sealed class DepthwiseConv2DOp : Op
    {
        public const int WordCount = 23;
        private readonly DepthwiseConv2DParams p;
        private readonly int input;
        private readonly int output;

        private DepthwiseConv2DOp(int[] inputs, int outputIndex, DepthwiseConv2DParams p, TensorInfo x, TensorInfo y)
            : base(BlobFormat.OpDepthwiseConv2D, inputs, outputIndex)
        {
            this.p = p;
            input = x.ArenaOffset;
            output = y.ArenaOffset;
        }

        /// <summary>
        /// Words: input, output, filterH, filterW, strideH, strideW, dilationH, dilationW, padTop, padLeft,
        /// inputZeroPoint, depthMultiplier, weights ref, bias ref, multiplier ref, shift ref, outputZeroPoint,
        /// activationMin, activationMax.
        /// </summary>
        public static Op Decode(LoadContext c, int[] w)
        {
            TensorInfo x = c.Read(w[0]);
            TensorInfo y = c.Write(w[1]);
            c.NoOverlap(y, x);
            c.Check(x.N == y.N, "input and output batches differ");
            c.CheckWindow(w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9]);
            DepthwiseConv2DParams p = new DepthwiseConv2DParams();
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
            p.DepthMultiplier = w[11];
            c.Check(p.DepthMultiplier >= 1 && (long)p.InputDepth * p.DepthMultiplier == p.OutputDepth,
                "output depth is not input depth × depth multiplier");
            long taps = (long)p.FilterHeight * p.FilterWidth;
            p.Weights = c.Int8s(w[12], w[13], taps * p.OutputDepth);
            p.Bias = c.Int32s(w[14], w[15], p.OutputDepth);
            c.ReadRequantization(w, 16, p.OutputDepth, out p.OutputMultiplier, out p.OutputShift);
            p.OutputZeroPoint = w[20];
            c.CheckZeroPoint(p.OutputZeroPoint, "output zero point");
            p.ActivationMin = w[21];
            p.ActivationMax = w[22];
            c.CheckClamp(p.ActivationMin, p.ActivationMax);
            long macs = (long)y.Elements * taps;
            c.AddWork(macs);
            p.Accumulators = new int[p.OutputDepth];

            DepthwiseConv2DOp op = new DepthwiseConv2DOp(new int[] { w[0] }, w[1], p, x, y);
            op.Macs = macs;
            op.WeightBytes = p.Weights.Length;
            return op;
        }

        internal override void Invoke(sbyte[] arena)
        {
            DepthwiseConv2D.Eval(p, arena, input, output);
        }
    }
}
