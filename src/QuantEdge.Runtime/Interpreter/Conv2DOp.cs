using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Interop;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Native;

namespace QuantEdge.Runtime.Interpreter
{
    internal sealed class Conv2DOp : Op, IAccumulatingOp
    {
        /// <summary>Words without a weight zero point; one more word carries it (asymmetric weights).</summary>
        public const int WordCount = 22;
        private readonly Conv2DParams p;
        private readonly int input;
        private readonly int output;

        /// <summary>The native kernel's arguments and int8 OHWI weight rows (p.Weights is then null); null: the managed kernel.</summary>
        private readonly int[] native;
        private readonly sbyte[] rows;

        private Conv2DOp(int[] inputs, int outputIndex, Conv2DParams p, TensorInfo x, TensorInfo y, sbyte[] rows)
            : base(BlobFormat.OpConv2D, inputs, outputIndex)
        {
            this.p = p;
            input = x.ArenaOffset;
            output = y.ArenaOffset;
            this.rows = rows;
            native = rows == null ? null : NativeKernels.Conv2DArgs(p, input, output);
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
            bool native = c.RunsNative(BlobFormat.OpConv2D);
            sbyte[] rows = native ? c.Int8sAt(weights, (int)depth * p.OutputDepth) : null;
            p.Weights = native ? null : c.Weights(weights, p.OutputDepth, (int)depth, layout);

            Conv2DOp op = new Conv2DOp(new int[] { w[0] }, w[1], p, x, y, rows);
            op.Macs = macs;
            op.WeightBytes = native ? rows.Length : p.Weights.StorageBytes;
            op.Layout = layout;
            return op;
        }

        public int AccumulatorCount
        {
            get { return p.Batches * p.OutputHeight * p.OutputWidth * p.OutputDepth; }
        }

        internal override void Invoke(sbyte[] arena)
        {
            if (native != null)
            {
                NativeMethods.Conv2D(arena, native, rows, p.Bias, p.OutputMultiplier, p.OutputShift);
            }
            else
            {
                Conv2D.Eval(p, arena, input, output);
            }
        }

        public void Accumulate(sbyte[] arena, int[] accumulators)
        {
            if (native != null)
            {
                NativeMethods.Conv2DAccumulate(arena, native, rows, p.Bias, accumulators);
            }
            else
            {
                Conv2D.Accumulate(p, arena, input, accumulators);
            }
        }
    }
}
