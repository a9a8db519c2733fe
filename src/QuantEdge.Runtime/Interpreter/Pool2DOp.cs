using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Interop;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Native;

namespace QuantEdge.Runtime.Interpreter
{
    /// <summary>MaxPool2D and AveragePool2D: one record layout, one of two kernels.</summary>
    internal sealed class Pool2DOp : Op
    {
        public const int WordCount = 10;
        private readonly Pool2DParams p;
        private readonly bool average;
        private readonly int input;
        private readonly int output;

        /// <summary>The native kernel's arguments; null: the managed kernel.</summary>
        private readonly int[] native;

        private Pool2DOp(int opCode, int[] inputs, int outputIndex, Pool2DParams p, TensorInfo x, TensorInfo y, bool native)
            : base(opCode, inputs, outputIndex)
        {
            this.p = p;
            average = opCode == BlobFormat.OpAveragePool2D;
            input = x.ArenaOffset;
            output = y.ArenaOffset;
            this.native = native ? NativeKernels.Pool2DArgs(p, input, output) : null;
        }

        /// <summary>Words: input, output, filterH, filterW, strideH, strideW, padTop, padLeft, activationMin, activationMax.</summary>
        public static Op Decode(LoadContext c, int opCode, int[] w)
        {
            TensorInfo x = c.Read(w[0]);
            TensorInfo y = c.Write(w[1]);
            c.NoOverlap(y, x);
            c.Check(x.N == y.N && x.C == y.C, "input and output batches or channels differ");
            c.SameQuantization(y, x, "input and output quantization differ");
            c.CheckWindow(w[2], w[3], w[4], w[5], 1, 1, w[6], w[7]);
            Pool2DParams p = new Pool2DParams();
            p.Batches = x.N;
            p.InputHeight = x.H;
            p.InputWidth = x.W;
            p.Channels = x.C;
            p.OutputHeight = y.H;
            p.OutputWidth = y.W;
            p.FilterHeight = w[2];
            p.FilterWidth = w[3];
            p.StrideHeight = w[4];
            p.StrideWidth = w[5];
            p.PadTop = w[6];
            p.PadLeft = w[7];
            p.ActivationMin = w[8];
            p.ActivationMax = w[9];
            c.CheckClamp(p.ActivationMin, p.ActivationMax);
            c.Check(p.EveryWindowOverlapsInput(), "a pooling window lies entirely in the padding");
            c.AddWork((long)y.Elements * p.FilterHeight * p.FilterWidth);
            return new Pool2DOp(opCode, new int[] { w[0] }, w[1], p, x, y, c.RunsNative(opCode));
        }

        internal override void Invoke(sbyte[] arena)
        {
            if (native != null)
            {
                if (average)
                {
                    NativeMethods.AveragePool2D(arena, native);
                }
                else
                {
                    NativeMethods.MaxPool2D(arena, native);
                }
            }
            else if (average)
            {
                AveragePool2D.Eval(p, arena, input, output);
            }
            else
            {
                MaxPool2D.Eval(p, arena, input, output);
            }
        }
    }
}
