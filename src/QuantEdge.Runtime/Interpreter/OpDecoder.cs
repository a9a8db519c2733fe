using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Interpreter
{
    /// <summary>Maps an opcode to its word count and its decoder (the op table in docs/blob-format.md).</summary>
    internal static class OpDecoder
    {
        /// <summary>
        /// The words an opcode takes, or −1 for an unknown opcode. Concat's count depends on its inputs;
        /// Conv2D takes one optional trailing word (the weight zero point).
        /// </summary>
        public static int WordCount(int opCode, int declared)
        {
            switch (opCode)
            {
                case BlobFormat.OpFullyConnected: return FullyConnectedOp.WordCount;
                case BlobFormat.OpConv2D: return declared == Conv2DOp.WordCount + 1 ? declared : Conv2DOp.WordCount;
                case BlobFormat.OpDepthwiseConv2D: return DepthwiseConv2DOp.WordCount;
                case BlobFormat.OpMaxPool2D: return Pool2DOp.WordCount;
                case BlobFormat.OpAveragePool2D: return Pool2DOp.WordCount;
                case BlobFormat.OpGlobalAveragePool: return GlobalAveragePoolOp.WordCount;
                case BlobFormat.OpAdd: return AddOp.WordCount;
                case BlobFormat.OpMul: return MulOp.WordCount;
                case BlobFormat.OpLookup: return LookupOp.WordCount;
                case BlobFormat.OpSoftmax: return SoftmaxOp.WordCount;
                case BlobFormat.OpConcat: return ConcatOp.IsValidWordCount(declared) ? declared : ConcatOp.FixedWords + 2;
                case BlobFormat.OpReshape: return ReshapeOp.WordCount;
                case BlobFormat.OpSub: return BroadcastOp.WordCount;
                case BlobFormat.OpMaximum: return BroadcastOp.WordCount;
                case BlobFormat.OpMinimum: return BroadcastOp.WordCount;
                case BlobFormat.OpPad: return PadOp.WordCount;
                case BlobFormat.OpTranspose: return TransposeOp.WordCount;
                case BlobFormat.OpSlice: return SliceOp.WordCount;
                default: return -1;
            }
        }

        /// <summary>Decodes a record whose opcode <see cref="WordCount"/> accepted; an unknown opcode is a <see cref="ModelFormatException"/>.</summary>
        public static Op Decode(LoadContext context, int opCode, int[] words, WeightLayout layout)
        {
            switch (opCode)
            {
                case BlobFormat.OpFullyConnected: return FullyConnectedOp.Decode(context, words, layout);
                case BlobFormat.OpConv2D: return Conv2DOp.Decode(context, words, layout);
                case BlobFormat.OpDepthwiseConv2D: return DepthwiseConv2DOp.Decode(context, words);
                case BlobFormat.OpMaxPool2D: return Pool2DOp.Decode(context, opCode, words);
                case BlobFormat.OpAveragePool2D: return Pool2DOp.Decode(context, opCode, words);
                case BlobFormat.OpGlobalAveragePool: return GlobalAveragePoolOp.Decode(context, words);
                case BlobFormat.OpAdd: return AddOp.Decode(context, words);
                case BlobFormat.OpMul: return MulOp.Decode(context, words);
                case BlobFormat.OpLookup: return LookupOp.Decode(context, words);
                case BlobFormat.OpSoftmax: return SoftmaxOp.Decode(context, words);
                case BlobFormat.OpConcat: return ConcatOp.Decode(context, words);
                case BlobFormat.OpReshape: return ReshapeOp.Decode(context, words);
                case BlobFormat.OpSub: return BroadcastOp.Decode(context, opCode, words);
                case BlobFormat.OpMaximum: return BroadcastOp.Decode(context, opCode, words);
                case BlobFormat.OpMinimum: return BroadcastOp.Decode(context, opCode, words);
                case BlobFormat.OpPad: return PadOp.Decode(context, words);
                case BlobFormat.OpTranspose: return TransposeOp.Decode(context, words);
                case BlobFormat.OpSlice: return SliceOp.Decode(context, words);
                default:
                    // WordCount refuses unknown opcodes before this is called; this refuses them too, so
                    // that no opcode can reach another op's decoder whatever the caller checked.
                    throw new ModelFormatException(ModelError.BadOp, "unknown opcode " + opCode.ToString());
            }
        }
    }
}
