using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Interpreter
{
    internal sealed class MulOp : Op
    {
        public const int WordCount = 7;
        private readonly MulParams p;
        private readonly int input1;
        private readonly int input2;
        private readonly int output;

        private MulOp(int[] inputs, int outputIndex, MulParams p, TensorInfo a, TensorInfo b, TensorInfo y)
            : base(BlobFormat.OpMul, inputs, outputIndex)
        {
            this.p = p;
            input1 = a.ArenaOffset;
            input2 = b.ArenaOffset;
            output = y.ArenaOffset;
        }

        /// <summary>Words: input1, input2, output, outputMultiplier, outputShift, activationMin, activationMax.</summary>
        public static Op Decode(LoadContext c, int[] w)
        {
            TensorInfo a = c.Read(w[0]);
            TensorInfo b = c.Read(w[1]);
            TensorInfo y = c.Write(w[2]);
            c.Check(a.Elements == y.Elements && b.Elements == y.Elements, "element counts differ");
            c.SameOrNoOverlap(y, a);
            c.SameOrNoOverlap(y, b);
            MulParams p = new MulParams();
            p.Size = y.Elements;
            p.Input1ZeroPoint = a.ZeroPoint;
            p.Input2ZeroPoint = b.ZeroPoint;
            p.OutputZeroPoint = y.ZeroPoint;
            p.OutputMultiplier = w[3];
            p.OutputShift = w[4];
            c.CheckRequantization(p.OutputMultiplier, p.OutputShift);
            p.ActivationMin = w[5];
            p.ActivationMax = w[6];
            c.CheckClamp(p.ActivationMin, p.ActivationMax);
            c.AddWork(y.Elements);
            return new MulOp(new int[] { w[0], w[1] }, w[2], p, a, b, y);
        }

        internal override void Invoke(sbyte[] arena)
        {
            Mul.Eval(p, arena, input1, input2, output);
        }
    }
}
