using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Interop;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Native;

namespace QuantEdge.Runtime.Interpreter
{
    internal sealed class ConcatOp : Op
    {
        /// <summary>Words before the input indices.</summary>
        public const int FixedWords = 3;
        private readonly ConcatParams p;
        private readonly int[] inputOffsets;
        private readonly int output;

        /// <summary>The native kernel's arguments; null: the managed kernel.</summary>
        private readonly int[] native;

        private ConcatOp(int[] inputs, int outputIndex, ConcatParams p, int[] inputOffsets, TensorInfo y, bool native)
            : base(BlobFormat.OpConcat, inputs, outputIndex)
        {
            this.p = p;
            this.inputOffsets = inputOffsets;
            output = y.ArenaOffset;
            this.native = native ? NativeKernels.ConcatArgs(p, inputOffsets, output) : null;
        }

        /// <summary>The words a Concat record may have: 3 plus 2..16 inputs.</summary>
        public static bool IsValidWordCount(int count)
        {
            return count >= FixedWords + 2 && count <= FixedWords + BlobFormat.MaxConcatInputs;
        }

        /// <summary>Words: output, axis (0..3 over NHWC), input count n, then n input indices.</summary>
        public static Op Decode(LoadContext c, int[] w)
        {
            int count = w.Length - FixedWords;
            c.Check(w[2] == count, "input count disagrees with the word count");
            int axis = w[1];
            c.CheckRange(axis, 0, 3, "axis");
            int[] inputs = new int[count];
            TensorInfo[] xs = new TensorInfo[count];
            for (int i = 0; i < count; i++)
            {
                inputs[i] = w[FixedWords + i];
                xs[i] = c.Read(inputs[i]);
            }

            TensorInfo y = c.Write(w[0]);
            int[] outDims = Dims(y);
            int alongAxis = 0;
            ConcatParams p = new ConcatParams();
            p.InputChunk = new int[count];
            int[] offsets = new int[count];
            for (int i = 0; i < count; i++)
            {
                TensorInfo x = xs[i];
                c.NoOverlap(y, x);
                c.SameQuantization(y, x, "an input's quantization differs from the output's");
                int[] dims = Dims(x);
                int chunk = 1;
                for (int d = 0; d < 4; d++)
                {
                    c.Check(d == axis || dims[d] == outDims[d], "input dims differ from the output's outside the axis");
                    if (d >= axis)
                    {
                        chunk *= dims[d];
                    }
                }

                alongAxis += dims[axis];
                p.InputChunk[i] = chunk;
                offsets[i] = x.ArenaOffset;
            }

            c.Check(alongAxis == outDims[axis], "inputs do not add up to the output along the axis");
            p.OuterCount = 1;
            for (int d = 0; d < axis; d++)
            {
                p.OuterCount *= outDims[d];
            }

            c.AddWork(y.Elements);
            return new ConcatOp(inputs, w[0], p, offsets, y, c.RunsNative(BlobFormat.OpConcat));
        }

        private static int[] Dims(TensorInfo t)
        {
            return new int[] { t.N, t.H, t.W, t.C };
        }

        internal override void Invoke(sbyte[] arena)
        {
            if (native != null)
            {
                NativeMethods.Concat(arena, native);
            }
            else
            {
                Concat.Eval(p, arena, inputOffsets, output);
            }
        }
    }
}
