using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Interpreter
{
    /// <summary>A strided slice of the NHWC axes (<see cref="Slice"/>).</summary>
    internal sealed class SliceOp : Op
    {
        public const int WordCount = 10;
        private readonly SliceParams p;
        private readonly int input;
        private readonly int output;

        private SliceOp(int[] inputs, int outputIndex, SliceParams p, TensorInfo x, TensorInfo y)
            : base(BlobFormat.OpSlice, inputs, outputIndex)
        {
            this.p = p;
            input = x.ArenaOffset;
            output = y.ArenaOffset;
        }

        /// <summary>
        /// Words: input, output, startN, startH, startW, startC, stepN, stepH, stepW, stepC. Along each axis the
        /// output takes its dim's count of input elements from start on, step apart: every one of them inside the
        /// input (so step is not 0 and at most the input's dim either way). Input and output share a quantization.
        /// </summary>
        public static Op Decode(LoadContext c, int[] w)
        {
            TensorInfo x = c.Read(w[0]);
            TensorInfo y = c.Write(w[1]);
            c.NoOverlap(y, x);
            c.SameQuantization(y, x, "input and output quantization differ");
            CheckAxis(c, x.N, y.N, w[2], w[6]);
            CheckAxis(c, x.H, y.H, w[3], w[7]);
            CheckAxis(c, x.W, y.W, w[4], w[8]);
            CheckAxis(c, x.C, y.C, w[5], w[9]);
            int batchStride = x.H * x.W * x.C, rowStride = x.W * x.C, columnStride = x.C;
            SliceParams p = new SliceParams();
            p.Batches = y.N;
            p.Height = y.H;
            p.Width = y.W;
            p.Channels = y.C;
            p.First = w[2] * batchStride + w[3] * rowStride + w[4] * columnStride + w[5];
            p.BatchStep = w[6] * batchStride;
            p.RowStep = w[7] * rowStride;
            p.ColumnStep = w[8] * columnStride;
            p.ChannelStep = w[9];
            c.AddWork(y.Elements);
            return new SliceOp(new int[] { w[0] }, w[1], p, x, y);
        }

        /// <summary>The first and the last element taken along one axis lie in the input; the step is not 0 and at most the input's dim.</summary>
        private static void CheckAxis(LoadContext c, int inputDim, int outputDim, int start, int step)
        {
            c.Check(step != 0 && step >= -inputDim && step <= inputDim, "a step is 0 or longer than its input dim");
            c.CheckRange(start, 0, inputDim - 1, "slice start");
            long last = start + (long)(outputDim - 1) * step;
            c.Check(last >= 0 && last < inputDim, "a slice runs past its input dim");
        }

        internal override void Invoke(sbyte[] arena)
        {
            Slice.Eval(p, arena, input, output);
        }
    }
}
