using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Interop;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Native;

namespace QuantEdge.Runtime.Interpreter
{
    internal sealed class MulOp : Op
    {
        public const int WordCount = 7;
        private readonly MulParams p;
        private readonly int input1;
        private readonly int input2;
        private readonly int output;

        /// <summary>The native kernel's arguments; null: the managed kernel.</summary>
        private readonly int[] native;

        private MulOp(int[] inputs, int outputIndex, MulParams p, TensorInfo a, TensorInfo b, TensorInfo y, bool native)
            : base(BlobFormat.OpMul, inputs, outputIndex)
        {
            this.p = p;
            input1 = a.ArenaOffset;
            input2 = b.ArenaOffset;
            output = y.ArenaOffset;
            this.native = native ? NativeKernels.MulArgs(p, input1, input2, output) : null;
        }

        /// <summary>Words: input1, input2, output, outputMultiplier, outputShift, activationMin, activationMax.</summary>
        public static Op Decode(LoadContext c, int[] w)
        {
            MulParams p = new MulParams();
            TensorInfo a, b, y;
            ElementwiseRecord.Read(c, w, 5, p, out a, out b, out y);
            p.OutputMultiplier = w[3];
            p.OutputShift = w[4];
            c.CheckRequantization(p.OutputMultiplier, p.OutputShift);
            return new MulOp(new int[] { w[0], w[1] }, w[2], p, a, b, y, c.RunsNative(BlobFormat.OpMul));
        }

        internal override void Invoke(sbyte[] arena)
        {
            if (native != null)
            {
                NativeMethods.Mul(arena, native);
            }
            else
            {
                Mul.Eval(p, arena, input1, input2, output);
            }
        }
    }
}
