using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Interop;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Native;

namespace QuantEdge.Runtime.Interpreter
{
    internal sealed class AddOp : Op
    {
        public const int WordCount = 12;
        private readonly AddParams p;
        private readonly int input1;
        private readonly int input2;
        private readonly int output;

        /// <summary>The native kernel's arguments; null: the managed kernel.</summary>
        private readonly int[] native;

        private AddOp(int[] inputs, int outputIndex, AddParams p, TensorInfo a, TensorInfo b, TensorInfo y, bool native)
            : base(BlobFormat.OpAdd, inputs, outputIndex)
        {
            this.p = p;
            input1 = a.ArenaOffset;
            input2 = b.ArenaOffset;
            output = y.ArenaOffset;
            this.native = native ? NativeKernels.AddArgs(p, input1, input2, output) : null;
        }

        /// <summary>
        /// Words: input1, input2, output, leftShift, input1Multiplier, input1Shift, input2Multiplier,
        /// input2Shift, outputMultiplier, outputShift, activationMin, activationMax. Zero points come from the tensors.
        /// </summary>
        public static Op Decode(LoadContext c, int[] w)
        {
            AddParams p = new AddParams();
            TensorInfo a, b, y;
            ElementwiseRecord.Read(c, w, 10, p, out a, out b, out y);
            p.LeftShift = w[3];
            c.CheckRange(p.LeftShift, 0, 20, "left shift");
            p.Input1Multiplier = w[4];
            p.Input1Shift = w[5];
            p.Input2Multiplier = w[6];
            p.Input2Shift = w[7];
            p.OutputMultiplier = w[8];
            p.OutputShift = w[9];
            c.CheckRequantization(p.Input1Multiplier, p.Input1Shift);
            c.CheckRequantization(p.Input2Multiplier, p.Input2Shift);
            c.CheckRequantization(p.OutputMultiplier, p.OutputShift);
            return new AddOp(new int[] { w[0], w[1] }, w[2], p, a, b, y, c.RunsNative(BlobFormat.OpAdd));
        }

        internal override void Invoke(sbyte[] arena)
        {
            if (native != null)
            {
                NativeMethods.Add(arena, native);
            }
            else
            {
                Add.Eval(p, arena, input1, input2, output);
            }
        }
    }
}
