using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Interop;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Native;

namespace QuantEdge.Runtime.Interpreter
{
    internal sealed class GlobalAveragePoolOp : Op
    {
        public const int WordCount = 6;
        private readonly GlobalAveragePoolParams p;
        private readonly int input;
        private readonly int output;

        /// <summary>The native kernel's arguments; null: the managed kernel.</summary>
        private readonly int[] native;

        private GlobalAveragePoolOp(int[] inputs, int outputIndex, GlobalAveragePoolParams p, TensorInfo x, TensorInfo y, bool native)
            : base(BlobFormat.OpGlobalAveragePool, inputs, outputIndex)
        {
            this.p = p;
            input = x.ArenaOffset;
            output = y.ArenaOffset;
            this.native = native ? NativeKernels.GlobalAveragePoolArgs(p, input, output) : null;
        }

        /// <summary>Words: input, output, multiplier, shift, activationMin, activationMax.</summary>
        public static Op Decode(LoadContext c, int[] w)
        {
            TensorInfo x = c.Read(w[0]);
            TensorInfo y = c.Write(w[1]);
            c.NoOverlap(y, x);
            c.Check(x.N == y.N && x.C == y.C && y.H == 1 && y.W == 1, "output is not [N, 1, 1, C] of the input");
            GlobalAveragePoolParams p = new GlobalAveragePoolParams();
            p.Batches = x.N;
            p.Height = x.H;
            p.Width = x.W;
            p.Channels = x.C;
            p.InputZeroPoint = x.ZeroPoint;
            p.OutputZeroPoint = y.ZeroPoint;
            p.Multiplier = w[2];
            p.Shift = w[3];
            c.CheckRequantization(p.Multiplier, p.Shift);
            p.ActivationMin = w[4];
            p.ActivationMax = w[5];
            c.CheckClamp(p.ActivationMin, p.ActivationMax);
            c.AddWork(x.Elements);
            return new GlobalAveragePoolOp(new int[] { w[0] }, w[1], p, x, y, c.RunsNative(BlobFormat.OpGlobalAveragePool));
        }

        internal override void Invoke(sbyte[] arena)
        {
            if (native != null)
            {
                NativeMethods.GlobalAveragePool(arena, native);
            }
            else
            {
                GlobalAveragePool.Eval(p, arena, input, output);
            }
        }
    }
}
