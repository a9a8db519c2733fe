using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Interpreter
{
    /// <summary>Sub, Maximum and Minimum: one record layout (Add's words), inputs that broadcast, one kernel (<see cref="BroadcastBinary"/>).</summary>
    internal sealed class BroadcastOp : Op
    {
        public const int WordCount = 12;
        private readonly BroadcastParams p;
        private readonly int input1;
        private readonly int input2;
        private readonly int output;

        private BroadcastOp(int opCode, int[] inputs, int outputIndex, BroadcastParams p, TensorInfo a, TensorInfo b, TensorInfo y)
            : base(opCode, inputs, outputIndex)
        {
            this.p = p;
            input1 = a.ArenaOffset;
            input2 = b.ArenaOffset;
            output = y.ArenaOffset;
        }

        /// <summary>
        /// Words: input1, input2, output, leftShift, input1Multiplier, input1Shift, input2Multiplier,
        /// input2Shift, outputMultiplier, outputShift, activationMin, activationMax. Each input dim equals the
        /// output's or is 1; zero points come from the tensors. The output may sit on an input of its own
        /// dims (it reads each element before writing it), never on a broadcast one.
        /// </summary>
        public static Op Decode(LoadContext c, int opCode, int[] w)
        {
            TensorInfo a = c.Read(w[0]);
            TensorInfo b = c.Read(w[1]);
            TensorInfo y = c.Write(w[2]);
            BroadcastParams p = new BroadcastParams();
            p.Operation = opCode == BlobFormat.OpSub ? BroadcastParams.Subtract
                : opCode == BlobFormat.OpMaximum ? BroadcastParams.Maximum : BroadcastParams.Minimum;
            p.Batches = y.N;
            p.Height = y.H;
            p.Width = y.W;
            p.Channels = y.C;
            ReadStrides(c, a, y, out p.Input1BatchStride, out p.Input1RowStride, out p.Input1ColumnStride, out p.Input1ChannelStride);
            ReadStrides(c, b, y, out p.Input2BatchStride, out p.Input2RowStride, out p.Input2ColumnStride, out p.Input2ChannelStride);
            p.Size = y.Elements;
            p.Input1ZeroPoint = a.ZeroPoint;
            p.Input2ZeroPoint = b.ZeroPoint;
            p.OutputZeroPoint = y.ZeroPoint;
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
            p.ActivationMin = w[10];
            p.ActivationMax = w[11];
            c.CheckClamp(p.ActivationMin, p.ActivationMax);
            c.AddWork(y.Elements);
            return new BroadcastOp(opCode, new int[] { w[0], w[1] }, w[2], p, a, b, y);
        }

        /// <summary>The input's element strides along the output's dims: 0 where it broadcasts (its dim 1).</summary>
        private static void ReadStrides(LoadContext c, TensorInfo x, TensorInfo y, out int batch, out int row, out int column, out int channel)
        {
            c.Check((x.N == y.N || x.N == 1) && (x.H == y.H || x.H == 1) && (x.W == y.W || x.W == 1) && (x.C == y.C || x.C == 1),
                "an input neither matches the output's dims nor broadcasts to them");
            if (x.Elements == y.Elements)
            {
                c.SameOrNoOverlap(y, x);
            }
            else
            {
                c.NoOverlap(y, x);
            }

            channel = x.C == 1 ? 0 : 1;
            column = x.W == 1 ? 0 : x.C;
            row = x.H == 1 ? 0 : x.W * x.C;
            batch = x.N == 1 ? 0 : x.H * x.W * x.C;
        }

        internal override void Invoke(sbyte[] arena)
        {
            BroadcastBinary.Eval(p, arena, input1, input2, output);
        }
    }
}
