namespace QuantEdge.Runtime.Kernels
{
    /// <summary>
    /// A unary int8 activation as a 256-entry table (sigmoid, tanh, or any other function the host
    /// tabulates with the input's and output's quantization).
    /// </summary>
    public sealed class LookupParams
    {
        /// <summary>Elements in the input and in the output.</summary>
        public int Size;

        /// <summary>Table[x + 128] is the output for input x; 256 entries.</summary>
        public sbyte[] Table;
    }

    /// <summary>out = Table[x + 128]. Works in place (<c>inputOffset == outputOffset</c>).</summary>
    public static class Lookup
    {
        /// <summary>Maps the <see cref="LookupParams.Size"/> elements at <paramref name="inputOffset"/> through the table.</summary>
        public static void Eval(LookupParams p, sbyte[] arena, int inputOffset, int outputOffset)
        {
            sbyte[] table = p.Table;
            int toOutput = outputOffset - inputOffset;
            int end = inputOffset + p.Size;
            int i = inputOffset;
            if (toOutput == 0)
            {
                // In place (the output on the input), four elements per pass: per element, the loop's own instructions
                // and the output offset's cost as much as the lookup.
                for (int quadsEnd = inputOffset + (p.Size & ~3); i < quadsEnd; i += 4)
                {
                    arena[i] = table[arena[i] + 128];
                    arena[i + 1] = table[arena[i + 1] + 128];
                    arena[i + 2] = table[arena[i + 2] + 128];
                    arena[i + 3] = table[arena[i + 3] + 128];
                }
            }

            for (; i < end; i++)
            {
                arena[i + toOutput] = table[arena[i] + 128];
            }
        }
    }
}
