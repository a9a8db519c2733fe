using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Interop;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Native;

namespace QuantEdge.Runtime.Interpreter
{
    internal sealed class SoftmaxOp : Op
    {
        public const int WordCount = 5;

        /// <summary>Longest row: a longer one could overflow the Q12.19 sum of exponentials.</summary>
        public const int MaxRowSize = 4095;
        private readonly SoftmaxParams p;
        private readonly int input;
        private readonly int output;

        /// <summary>The managed kernel's exponentials (<see cref="Softmax.ExpTable"/>); null on the native kernel.</summary>
        private readonly int[] expTable;

        /// <summary>The native kernel's arguments; null: the managed kernel.</summary>
        private readonly int[] native;

        private SoftmaxOp(int[] inputs, int outputIndex, SoftmaxParams p, TensorInfo x, TensorInfo y, bool native)
            : base(BlobFormat.OpSoftmax, inputs, outputIndex)
        {
            this.p = p;
            input = x.ArenaOffset;
            output = y.ArenaOffset;
            this.native = native ? NativeKernels.SoftmaxArgs(p, input, output) : null;
            expTable = native ? null : Softmax.ExpTable(p);
        }

        /// <summary>Words: input, output, inputMultiplier, inputLeftShift, diffMin. Output scale 1/256, zero point −128.</summary>
        public static Op Decode(LoadContext c, int[] w)
        {
            TensorInfo x = c.Read(w[0]);
            TensorInfo y = c.Write(w[1]);
            c.Check(x.SameShape(y), "input and output dims differ");
            c.Check(y.ZeroPoint == -128, "output zero point is not -128");
            c.SameOrNoOverlap(y, x);
            SoftmaxParams p = new SoftmaxParams();
            p.Rows = x.N * x.H * x.W;
            p.RowSize = x.C;
            c.CheckRange(p.RowSize, 1, MaxRowSize, "row size");
            p.InputMultiplier = w[2];
            p.InputLeftShift = w[3];
            c.CheckRequantization(p.InputMultiplier, 0);
            c.CheckRange(p.InputLeftShift, 0, 31, "input left shift");
            p.DiffMin = w[4];
            c.Check(p.DiffMin <= 0, "diff min above zero");
            c.AddWork(2L * y.Elements);
            return new SoftmaxOp(new int[] { w[0] }, w[1], p, x, y, c.RunsNative(BlobFormat.OpSoftmax));
        }

        internal override void Invoke(sbyte[] arena)
        {
            if (native != null)
            {
                NativeMethods.Softmax(arena, native);
            }
            else
            {
                Softmax.Eval(p, expTable, arena, input, output);
            }
        }
    }
}
