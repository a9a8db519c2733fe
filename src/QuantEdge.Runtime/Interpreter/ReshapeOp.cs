using System;
using QuantEdge.Runtime.Format;

namespace QuantEdge.Runtime.Interpreter
{
    /// <summary>
    /// Reshape / Flatten: the bytes do not change, only the dims. The host's planner normally gives
    /// input and output the same arena offset, and then there is nothing to do at all.
    /// </summary>
    internal sealed class ReshapeOp : Op
    {
        public const int WordCount = 2;
        private readonly int input;
        private readonly int output;
        private readonly int length;

        private ReshapeOp(int[] inputs, int outputIndex, TensorInfo x, TensorInfo y)
            : base(BlobFormat.OpReshape, inputs, outputIndex)
        {
            input = x.ArenaOffset;
            output = y.ArenaOffset;
            length = y.Elements;
        }

        /// <summary>Words: input, output.</summary>
        public static Op Decode(LoadContext c, int[] w)
        {
            TensorInfo x = c.Read(w[0]);
            TensorInfo y = c.Write(w[1]);
            c.Check(x.Elements == y.Elements, "element counts differ");
            c.SameQuantization(y, x, "input and output quantization differ");
            c.SameOrNoOverlap(y, x);
            return new ReshapeOp(new int[] { w[0] }, w[1], x, y);
        }

        internal override void Invoke(sbyte[] arena)
        {
            if (input != output)
            {
                Array.Copy(arena, input, arena, output, length);
            }
        }
    }
}
