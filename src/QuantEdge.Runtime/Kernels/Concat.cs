namespace QuantEdge.Runtime.Kernels
{
    /// <summary>
    /// Parameters of a concatenation along one axis. Seen as [OuterCount, chunk] blocks: input i
    /// contributes <see cref="InputChunk"/>[i] contiguous elements (its extent along the axis times
    /// everything inside it) per outer index. All inputs share the output's scale and zero point
    /// (the compiler makes them equal), so the op is a copy.
    /// </summary>
    public sealed class ConcatParams
    {
        /// <summary>Product of the dimensions outside the concatenation axis.</summary>
        public int OuterCount;

        /// <summary>Per input: elements it contributes per outer index.</summary>
        public int[] InputChunk;
    }

    /// <summary>out[o] = input0[o] ++ input1[o] ++ ... for every outer index o.</summary>
    public static class Concat
    {
        /// <summary>Copies the inputs at <paramref name="inputOffsets"/> (one per chunk) into the output.</summary>
        public static void Eval(ConcatParams p, sbyte[] arena, int[] inputOffsets, int outputOffset)
        {
            int[] chunks = p.InputChunk;
            int inputs = chunks.Length;
            int output = outputOffset;
            for (int o = 0; o < p.OuterCount; o++)
            {
                for (int k = 0; k < inputs; k++)
                {
                    int chunk = chunks[k];
                    System.Array.Copy(arena, inputOffsets[k] + o * chunk, arena, output, chunk);
                    output += chunk;
                }
            }
        }
    }
}
