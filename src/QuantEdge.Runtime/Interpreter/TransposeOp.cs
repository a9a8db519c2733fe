using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Interpreter
{
    /// <summary>A permutation of the NHWC axes (<see cref="Transpose"/>).</summary>
    internal sealed class TransposeOp : Op
    {
        public const int WordCount = 6;
        private readonly TransposeParams p;
        private readonly int input;
        private readonly int output;

        private TransposeOp(int[] inputs, int outputIndex, TransposeParams p, TensorInfo x, TensorInfo y)
            : base(BlobFormat.OpTranspose, inputs, outputIndex)
        {
            this.p = p;
            input = x.ArenaOffset;
            output = y.ArenaOffset;
        }

        /// <summary>
        /// Words: input, output, then for each output axis N, H, W, C the input axis (0..3 over NHWC) it comes
        /// from: a permutation, with each output dim equal to its input axis's dim. Input and output share a
        /// quantization.
        /// </summary>
        public static Op Decode(LoadContext c, int[] w)
        {
            TensorInfo x = c.Read(w[0]);
            TensorInfo y = c.Write(w[1]);
            c.NoOverlap(y, x);
            c.SameQuantization(y, x, "input and output quantization differ");
            int[] dims = new int[] { x.N, x.H, x.W, x.C };
            int[] strides = new int[] { x.H * x.W * x.C, x.W * x.C, x.C, 1 };
            int[] outputDims = new int[] { y.N, y.H, y.W, y.C };
            int seen = 0;
            for (int axis = 0; axis < 4; axis++)
            {
                int from = w[2 + axis];
                c.CheckRange(from, 0, 3, "permuted axis");
                c.Check((seen & (1 << from)) == 0, "the axes are not a permutation");
                seen |= 1 << from;
                c.Check(outputDims[axis] == dims[from], "an output dim differs from its input axis's");
            }

            TransposeParams p = new TransposeParams();
            p.Batches = y.N;
            p.Height = y.H;
            p.Width = y.W;
            p.Channels = y.C;
            p.BatchStride = strides[w[2]];
            p.RowStride = strides[w[3]];
            p.ColumnStride = strides[w[4]];
            p.ChannelStride = strides[w[5]];
            c.AddWork(y.Elements);
            return new TransposeOp(new int[] { w[0] }, w[1], p, x, y);
        }

        internal override void Invoke(sbyte[] arena)
        {
            Transpose.Eval(p, arena, input, output);
        }
    }
}
