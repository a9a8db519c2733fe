using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Interpreter
{
    internal sealed class Conv2DOp : Op, IAccumulatingOp
    {
        /// <summary>Words without a weight zero point; one more word carries it (asymmetric weights).</summary>
        public const int WordCount = 22;
        private readonly Conv2DParams p;
        private readonly int input;
        private readonly int output;

        private Conv2DOp(int[] inputs, int outputIndex, Conv2DParams p, TensorInfo x, TensorInfo y)
            : base(BlobFormat.OpConv2D, inputs, outputIndex)
        {
            this.p = p;
            input = x.ArenaOffset;
            output = y.ArenaOffset;
        }

        /// <summary>
        /// Words: input, output, filterH, filterW, strideH, strideW, dilationH, dilationW, padTop, padLeft,
        /// inputZeroPoint, weights ref, bias ref, multiplier ref, shift ref, outputZeroPoint, activationMin, activationMax,
        /// and optionally weightZeroPoint (0 when absent).
        /// </summary>
        public static Op Decode(LoadContext c, int[] w, WeightLayout layout)
        {
            Conv2DParams p = new Conv2DParams();
            TensorInfo x, y;
            ConvolutionRecord.ReadWindow(c, w, p, out x, out y);
            long depth = (long)p.FilterHeight * p.FilterWidth * p.InputDepth;
            int weights = c.Data(w[11], w[12], depth * p.OutputDepth);
            ConvolutionRecord.ReadOutputStage(c, w, 13, p);
            p.WeightZeroPoint = w.Length > WordCount ? w[WordCount] : 0;
            c.CheckZeroPoint(p.WeightZeroPoint, "weight zero point");
            long macs = (long)y.Elements * depth;
            c.AddWork(macs);
            p.Weights = c.Weights(weights, p.OutputDepth, (int)depth, layout);

            Conv2DOp op = new Conv2DOp(new int[] { w[0] }, w[1], p, x, y);
            op.Macs = macs;
            op.WeightBytes = p.Weights.StorageBytes;
            op.Layout = layout;
            return op;
        }

        public int AccumulatorCount
        {
            get { return p.Batches * p.OutputHeight * p.OutputWidth * p.OutputDepth; }
        }

        internal override void Invoke(sbyte[] arena)
        {
            Conv2D.Eval(p, arena, input, output);
        }

        public void Accumulate(sbyte[] arena, int[] accumulators)
        {
            Conv2D.Accumulate(p, arena, input, accumulators);
        }
    }
}
