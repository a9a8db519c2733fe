using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Interop;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Native;

namespace QuantEdge.Runtime.Interpreter
{
    internal sealed class LookupOp : Op
    {
        public const int WordCount = 4;
        private readonly LookupParams p;
        private readonly int input;
        private readonly int output;

        /// <summary>The native kernel's arguments; null: the managed kernel.</summary>
        private readonly int[] native;

        private LookupOp(int[] inputs, int outputIndex, LookupParams p, TensorInfo x, TensorInfo y, bool native)
            : base(BlobFormat.OpLookup, inputs, outputIndex)
        {
            this.p = p;
            input = x.ArenaOffset;
            output = y.ArenaOffset;
            this.native = native ? NativeKernels.LookupArgs(p, input, output) : null;
        }

        /// <summary>Words: input, output, table ref (256 bytes, out = table[x + 128]).</summary>
        public static Op Decode(LoadContext c, int[] w)
        {
            TensorInfo x = c.Read(w[0]);
            TensorInfo y = c.Write(w[1]);
            c.Check(x.Elements == y.Elements, "element counts differ");
            c.SameOrNoOverlap(y, x);
            LookupParams p = new LookupParams();
            p.Size = y.Elements;
            p.Table = c.Int8s(w[2], w[3], 256);
            c.AddWork(y.Elements);
            LookupOp op = new LookupOp(new int[] { w[0] }, w[1], p, x, y, c.RunsNative(BlobFormat.OpLookup));
            op.WeightBytes = 256;
            return op;
        }

        internal override void Invoke(sbyte[] arena)
        {
            if (native != null)
            {
                NativeMethods.Lookup(arena, native, p.Table);
            }
            else
            {
                Lookup.Eval(p, arena, input, output);
            }
        }
    }
}
