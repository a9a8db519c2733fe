using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Interop;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Native;

namespace QuantEdge.Runtime.Interpreter
{
    internal sealed class FullyConnectedOp : Op, IAccumulatingOp
    {
        public const int WordCount = 14;
        private readonly FullyConnectedParams p;
        private readonly int input;
        private readonly int output;

        /// <summary>The native kernel's arguments and int8 weight rows (p.Weights is then null); null: the managed kernel.</summary>
        private readonly int[] native;
        private readonly sbyte[] rows;

        private FullyConnectedOp(int[] inputs, int output, FullyConnectedParams p, TensorInfo inputTensor, TensorInfo outputTensor, sbyte[] rows)
            : base(BlobFormat.OpFullyConnected, inputs, output)
        {
            this.p = p;
            input = inputTensor.ArenaOffset;
            this.output = outputTensor.ArenaOffset;
            this.rows = rows;
            native = rows == null ? null : NativeKernels.FullyConnectedArgs(p, input, this.output);
        }

        /// <summary>
        /// Words: input, output, weights ref, bias ref, multiplier ref, shift ref, outputZeroPoint, activationMin,
        /// activationMax, weightZeroPoint. The bias is raw: the input zero points are folded in here.
        /// </summary>
        public static Op Decode(LoadContext c, int[] w, WeightLayout layout)
        {
            TensorInfo x = c.Read(w[0]);
            TensorInfo y = c.Write(w[1]);
            c.NoOverlap(y, x);
            int depth = x.C;
            int outputs = y.C;
            int batches = x.N * x.H * x.W;
            c.Check(batches == y.N * y.H * y.W, "input and output batches differ");
            int weights = c.Data(w[2], w[3], (long)outputs * depth);
            FullyConnectedParams p = new FullyConnectedParams();
            p.Batches = batches;
            p.InputDepth = depth;
            p.OutputDepth = outputs;
            p.WeightZeroPoint = w[13];
            c.CheckZeroPoint(p.WeightZeroPoint, "weight zero point");
            p.Bias = FoldInputZeroPoints(c, c.Int32s(w[4], w[5], outputs), c.InputZeroPoints(w[0], depth), weights, depth, p.WeightZeroPoint);
            c.ReadRequantization(w, 6, outputs, out p.OutputMultiplier, out p.OutputShift);
            p.OutputZeroPoint = w[10];
            c.CheckZeroPoint(p.OutputZeroPoint, "output zero point");
            p.ActivationMin = w[11];
            p.ActivationMax = w[12];
            c.CheckClamp(p.ActivationMin, p.ActivationMax);
            c.AddWork((long)batches * outputs * depth);
            // Streamed weights stay in the blob; they run the managed kernel even where native or host SIMD kernels exist.
            bool streamed = layout == WeightLayout.Streamed || layout == WeightLayout.StreamedByRow;
            bool native = c.RunsNative(BlobFormat.OpFullyConnected) && !streamed;
            sbyte[] rows = native ? c.Int8sAt(weights, outputs * depth) : null;
            p.Weights = native ? null
                : streamed ? c.StreamedWeights(weights, outputs, depth, layout == WeightLayout.StreamedByRow ? 1 : StreamBuffer.Group)
                : c.Weights(weights, outputs, depth, layout);

            FullyConnectedOp op = new FullyConnectedOp(new int[] { w[0] }, w[1], p, x, y, rows);
            op.Macs = (long)batches * outputs * depth;
            op.WeightBytes = native ? rows.Length : p.Weights.StorageBytes;
            op.Layout = layout;
            return op;
        }

        /// <summary>
        /// bias[o] − Σ_k (w[o][k] − weightZeroPoint) × zp[k]: the input zero points folded in once, here,
        /// so the kernel multiplies the raw int8 inputs (and the blob keeps the small raw biases).
        /// </summary>
        private static int[] FoldInputZeroPoints(LoadContext c, int[] bias, int[] zeroPoints, int weights, int depth, int weightZeroPoint)
        {
            for (int o = 0; o < bias.Length; o++)
            {
                long folded = bias[o];
                int row = weights + o * depth;
                for (int k = 0; k < depth;)
                {
                    int p;
                    int end = k + c.Blob.Fetch(row + k, depth - k, out p);
                    byte[] bytes = c.Blob.Bytes;
                    for (; k < end; k++, p++)
                    {
                        folded -= (long)((sbyte)bytes[p] - weightZeroPoint) * zeroPoints[k];
                    }
                }

                c.Check(folded >= int.MinValue && folded <= int.MaxValue, "bias with the input zero point folded in exceeds int32");
                bias[o] = (int)folded;
            }

            return bias;
        }

        public int AccumulatorCount
        {
            get { return p.Batches * p.OutputDepth; }
        }

        internal override void Invoke(sbyte[] arena)
        {
            if (native != null)
            {
                NativeMethods.FullyConnected(arena, native, rows, p.Bias, p.OutputMultiplier, p.OutputShift);
            }
            else
            {
                FullyConnected.Eval(p, arena, input, output);
            }
        }

        public void Accumulate(sbyte[] arena, int[] accumulators)
        {
            if (native != null)
            {
                NativeMethods.FullyConnectedAccumulate(arena, native, rows, p.Bias, accumulators);
            }
            else
            {
                FullyConnected.Accumulate(p, arena, input, accumulators);
            }
        }
    }
}
