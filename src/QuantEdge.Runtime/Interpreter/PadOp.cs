using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Interpreter
{
    /// <summary>A constant pad (<see cref="Pad"/>).</summary>
    internal sealed class PadOp : Op
    {
        public const int WordCount = 7;
        private readonly PadParams p;
        private readonly int input;
        private readonly int output;

        private PadOp(int[] inputs, int outputIndex, PadParams p, TensorInfo x, TensorInfo y)
            : base(BlobFormat.OpPad, inputs, outputIndex)
        {
            this.p = p;
            input = x.ArenaOffset;
            output = y.ArenaOffset;
        }

        /// <summary>
        /// Words: input, output, beforeN, beforeH, beforeW, beforeC, value. Each output dim is the input's plus
        /// the pads before and after it (after = output − input − before, never negative); input and output share
        /// a quantization, and value is an int8 code.
        /// </summary>
        public static Op Decode(LoadContext c, int[] w)
        {
            TensorInfo x = c.Read(w[0]);
            TensorInfo y = c.Write(w[1]);
            c.NoOverlap(y, x);
            c.SameQuantization(y, x, "input and output quantization differ");
            CheckPads(c, x.N, y.N, w[2]);
            CheckPads(c, x.H, y.H, w[3]);
            CheckPads(c, x.W, y.W, w[4]);
            CheckPads(c, x.C, y.C, w[5]);
            c.CheckRange(w[6], -128, 127, "pad value");
            PadParams p = new PadParams();
            p.Batches = x.N;
            p.Height = x.H;
            p.Width = x.W;
            p.Channels = x.C;
            p.OutputHeight = y.H;
            p.OutputWidth = y.W;
            p.OutputChannels = y.C;
            p.OutputElements = y.Elements;
            p.BeforeBatch = w[2];
            p.BeforeRow = w[3];
            p.BeforeColumn = w[4];
            p.BeforeChannel = w[5];
            p.Value = w[6];
            c.AddWork(y.Elements);
            return new PadOp(new int[] { w[0] }, w[1], p, x, y);
        }

        /// <summary>0 ≤ before and before + input ≤ output along one dim.</summary>
        private static void CheckPads(LoadContext c, int inputDim, int outputDim, int before)
        {
            c.Check(before >= 0 && before <= outputDim - inputDim, "pads do not fit the output's dims");
        }

        internal override void Invoke(sbyte[] arena)
        {
            Pad.Eval(p, arena, input, output);
        }
    }
}
