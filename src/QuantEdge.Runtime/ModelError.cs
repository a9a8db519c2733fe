namespace QuantEdge.Runtime
{
    /// <summary>Why a model blob was rejected. docs/blob-format.md gives the rule behind each.</summary>
    public enum ModelError
    {
        /// <summary>The first four bytes are not "QEM1".</summary>
        BadMagic = 1,

        /// <summary>The blob's major format version is not one this runtime reads.</summary>
        UnsupportedVersion = 2,

        /// <summary>The blob is shorter than its header says, or a section runs past its end.</summary>
        Truncated = 3,

        /// <summary>The CRC-32 of the payload does not match the header.</summary>
        ChecksumMismatch = 4,

        /// <summary>A header field or section offset breaks the layout rules.</summary>
        BadHeader = 5,

        /// <summary>A tensor's dims, arena placement or zero point is out of range.</summary>
        BadTensor = 6,

        /// <summary>An op has an unknown opcode or the wrong number of words.</summary>
        BadOp = 7,

        /// <summary>An op's parameters are out of range or disagree with its tensors.</summary>
        BadOpParameters = 8,

        /// <summary>A data reference lies outside the data section, is misaligned or has the wrong length.</summary>
        BadDataReference = 9,

        /// <summary>The input quantization or metadata section is malformed.</summary>
        BadMetadata = 10,

        /// <summary>The golden vector is malformed or does not fit the model's input and output.</summary>
        BadGoldenVector = 11,

        /// <summary>The model exceeds the runtime's limits (tensors, ops, arena, work per inference).</summary>
        TooLarge = 12,
    }
}
