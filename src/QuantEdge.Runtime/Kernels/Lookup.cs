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
            int i = inputOffset, o = outputOffset;
            int end = inputOffset + p.Size;
            // Four elements per pass: the loop's own instructions are shared by four (the interpreter's cost is per
            // instruction). Each element is read before the next is written, as one at a time, so in place works.
            for (int fours = inputOffset + (p.Size & ~3); i < fours; i += 4, o += 4)
            {
                arena[o] = table[arena[i] + 128];
                arena[o + 1] = table[arena[i + 1] + 128];
                arena[o + 2] = table[arena[i + 2] + 128];
                arena[o + 3] = table[arena[i + 3] + 128];
            }

            for (; i < end; i++, o++)
            {
                arena[o] = table[arena[i] + 128];
            }
        }
    }
}
