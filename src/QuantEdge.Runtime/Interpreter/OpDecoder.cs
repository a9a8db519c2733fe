using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Interpreter
{
    /// <summary>Maps an opcode to its word count and its decoder (the table in docs/blob-format.md).</summary>
    internal static class OpDecoder
    {
        /// <summary>The words an opcode takes, or −1 for an unknown opcode. Concat's count depends on its inputs.</summary>
        public static int WordCount(int opCode, int declared)
        {
            switch (opCode)
            {
                case BlobFormat.OpFullyConnected: return FullyConnectedOp.WordCount;
                case BlobFormat.OpConv2D: return Conv2DOp.WordCount;
                case BlobFormat.OpDepthwiseConv2D: return DepthwiseConv2DOp.WordCount;
                case BlobFormat.OpReshape: return ReshapeOp.WordCount;
                default: return -1;
            }
        }

        public static Op Decode(LoadContext context, int opCode, int[] words, WeightLayout layout)
        {
            switch (opCode)
            {
                case BlobFormat.OpFullyConnected: return FullyConnectedOp.Decode(context, words, layout);
                case BlobFormat.OpConv2D: return Conv2DOp.Decode(context, words, layout);
                case BlobFormat.OpDepthwiseConv2D: return DepthwiseConv2DOp.Decode(context, words);
                default: return ReshapeOp.Decode(context, words);
            }
        }
    }
}
