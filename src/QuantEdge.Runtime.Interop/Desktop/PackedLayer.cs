using System.Runtime.CompilerServices;

namespace QuantEdge.Runtime.Interop
{
    /// <summary>
    /// A layer's int8 weight rows as <see cref="SimdKernels"/> multiply them: (w − weightZeroPoint) as int16,
    /// <see cref="BlockLanes"/> output channels per block (eight: one Vector256 of int32 accumulators; sixteen: one
    /// Vector512), two taps per lane so one vpmaddwd adds two products per channel:
    /// Values[((block × Pairs) + pair) × 2 × BlockLanes + lane × 2 + tap]. A row is cut into segments of
    /// <see cref="SegmentLength"/> taps, each segment's taps in pairs of its own: a segment is what the kernel reads as
    /// one run of its input (a convolution's filter row, or one tap's channels; a fully connected layer's whole row), so
    /// pair p of segment s is the int32 at 2p of that run. Channels past the last and the tap past a segment of odd
    /// length are zero, so the inner loop has no tail. Built once per weights array (<see cref="For"/>), the first time
    /// a layer runs: Invoke allocates nothing afterwards.
    /// </summary>
    internal sealed class PackedLayer
    {
        /// <summary>The int32 lanes of a Vector256: output channels per block unless packed for Vector512.</summary>
        public const int Lanes = 8;

        private static readonly ConditionalWeakTable<sbyte[], PackedLayer> Cache = new ConditionalWeakTable<sbyte[], PackedLayer>();

        public readonly int Depth;
        public readonly int Outputs;
        public readonly int WeightZeroPoint;

        /// <summary>Taps per segment; Depth is a whole number of segments.</summary>
        public readonly int SegmentLength;

        /// <summary>Segments per channel.</summary>
        public readonly int Segments;

        /// <summary>A segment's length rounded up to even, in pairs of taps.</summary>
        public readonly int PairsPerSegment;

        /// <summary>Pairs of taps per channel: every segment's.</summary>
        public readonly int Pairs;
        /// <summary>Output channels per block: <see cref="Lanes"/>, or twice that for Vector512.</summary>
        public readonly int BlockLanes;

        public readonly int Blocks;
        public readonly short[] Values;

        private PackedLayer(sbyte[] rows, int depth, int segmentLength, int outputs, int weightZeroPoint, int blockLanes)
        {
            BlockLanes = blockLanes;
            Depth = depth;
            SegmentLength = segmentLength;
            Outputs = outputs;
            WeightZeroPoint = weightZeroPoint;
            PairsPerSegment = (segmentLength + 1) / 2;
            Segments = depth / segmentLength;
            Pairs = Segments * PairsPerSegment;
            Blocks = (outputs + blockLanes - 1) / blockLanes;
            Values = new short[Blocks * Pairs * 2 * blockLanes];
            for (int o = 0; o < outputs; o++)
            {
                int block = o / blockLanes;
                int lane = o % blockLanes;
                for (int k = 0; k < depth; k++)
                {
                    int pair = k / segmentLength * PairsPerSegment + k % segmentLength / 2;
                    Values[((block * Pairs) + pair) * 2 * blockLanes + lane * 2 + k % segmentLength % 2] = (short)(rows[o * depth + k] - weightZeroPoint);
                }
            }
        }

        /// <summary>
        /// The packing of <paramref name="rows"/> (outputs × depth int8, OHWI for a convolution) in segments of
        /// <paramref name="segmentLength"/> taps (a divisor of depth), <paramref name="blockLanes"/> channels per block,
        /// made on first use.
        /// </summary>
        public static PackedLayer For(sbyte[] rows, int depth, int segmentLength, int outputs, int weightZeroPoint, int blockLanes)
        {
            PackedLayer packed;
            if (Cache.TryGetValue(rows, out packed) && packed.Depth == depth && packed.SegmentLength == segmentLength
                && packed.Outputs == outputs && packed.WeightZeroPoint == weightZeroPoint && packed.BlockLanes == blockLanes)
            {
                return packed;
            }

            packed = new PackedLayer(rows, depth, segmentLength, outputs, weightZeroPoint, blockLanes);
            Cache.AddOrUpdate(rows, packed);
            return packed;
        }
    }
}
