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
            for (int i = inputOffset; i < end; i++)
            {
                arena[i + toOutput] = table[arena[i] + 128];
            }
        }
    }
}
