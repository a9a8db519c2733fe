namespace QuantEdge.Runtime.Format
{
    /// <summary>
    /// The constants of the model blob format (docs/blob-format.md), shared by the device reader
    /// and the host writer so that both sides use one definition.
    /// </summary>
    public static class BlobFormat
    {
        /// <summary>"QEM1" read as a little-endian u32.</summary>
        public const int Magic = 0x314D4551;

        /// <summary>
        /// The major version this runtime reads and the host writes. 2 made the inputs compact: one input rule per
        /// channel allowed, feature names optional, a golden vector of narrow raw values and the CRC of their int8
        /// input (format 1 stored both in full).
        /// </summary>
        public const int VersionMajor = 2;

        /// <summary>The minor version the host writes.</summary>
        public const int VersionMinor = 0;

        /// <summary>Bytes of the fixed header.</summary>
        public const int HeaderLength = 64;

        /// <summary>Bytes per tensor table entry.</summary>
        public const int TensorEntryLength = 28;

        /// <summary>Bytes of an op record before its words.</summary>
        public const int OpRecordHeaderLength = 8;

        /// <summary>Bytes per input quantization rule.</summary>
        public const int InputRuleLength = 12;

        /// <summary>Header fields: byte offsets.</summary>
        public const int MagicAt = 0, VersionMajorAt = 4, VersionMinorAt = 6, BlobLengthAt = 8, CrcAt = 12,
            HeaderLengthAt = 16, TensorCountAt = 20, OpCountAt = 24, ArenaBytesAt = 28, InputTensorAt = 32,
            OutputTensorAt = 36, TensorTableAt = 40, OpTableAt = 44, InputQuantAt = 48, MetadataAt = 52,
            GoldenAt = 56, DataAt = 60;

        /// <summary>Bytes covered by the CRC start here and run to the end of the blob.</summary>
        public const int CrcStart = 16;

        /// <summary>Limits that bound what a blob can make the device allocate or compute.</summary>
        public const int MaxTensors = 1024, MaxOps = 1024, MaxDim = 65535, MaxTensorElements = 1 << 24,
            MaxArenaBytes = 1 << 24, MaxStringBytes = 255, MaxConcatInputs = 16, MaxWindow = 255;

        /// <summary>Upper bound on multiply-accumulates (and pooling taps) per inference.</summary>
        public const long MaxWorkPerInference = int.MaxValue;

        /// <summary>Opcodes (u16 in an op record).</summary>
        public const int OpFullyConnected = 1, OpConv2D = 2, OpDepthwiseConv2D = 3, OpMaxPool2D = 4,
            OpAveragePool2D = 5, OpGlobalAveragePool = 6, OpAdd = 7, OpMul = 8, OpLookup = 9, OpSoftmax = 10,
            OpConcat = 11, OpReshape = 12, OpSub = 13, OpMaximum = 14, OpMinimum = 15, OpPad = 16, OpTranspose = 17,
            OpSlice = 18;

        /// <summary>
        /// Op record flag (byte 3): the per-channel requantization is a base multiplier and shift plus
        /// one channel scale index byte per channel (<see cref="ChannelScales"/>), not explicit arrays.
        /// </summary>
        public const int FlagChannelScaleGrid = 1;

        /// <summary>
        /// Golden vector flag: the vector holds raw input values (and the CRC-32 of the int8 input they quantize
        /// to) instead of the int8 input.
        /// </summary>
        public const int GoldenHasRawInput = 1;

        /// <summary>Rounds a byte count up to the next multiple of 4.</summary>
        public static int Align4(int value)
        {
            return (value + 3) & ~3;
        }
    }
}
