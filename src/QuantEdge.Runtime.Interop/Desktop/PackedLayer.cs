using System.Runtime.CompilerServices;

namespace QuantEdge.Runtime.Interop
{
    /// <summary>
    /// A layer's int8 weight rows as <see cref="SimdKernels"/> multiply them: (w − weightZeroPoint) as int16, eight
    /// output channels per block (one Vector256 of int32 accumulators), two taps per lane so one vpmaddwd adds
    /// two products per channel: Values[((block × Pairs) + pair) × 16 + lane × 2 + tap]. A row is cut into segments of
    /// <see cref="SegmentLength"/> taps, each segment's taps in pairs of its own: a segment is what the kernel reads as
    /// one run of its input (a convolution's filter row, or one tap's channels; a fully connected layer's whole row), so
    /// pair p of segment s is the int32 at 2p of that run. Channels past the last and the tap past a segment of odd
    /// length are zero, so the inner loop has no tail. Built once per weights array (<see cref="For"/>), the first time
    /// a layer runs: Invoke allocates nothing afterwards.
    /// </summary>
    internal sealed class PackedLayer
    {
        /// <summary>Output channels per block: the int32 lanes of a Vector256.</summary>
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
        public readonly int Blocks;
        public readonly short[] Values;

        private PackedLayer(sbyte[] rows, int depth, int segmentLength, int outputs, int weightZeroPoint)
        {
            Depth = depth;
            SegmentLength = segmentLength;
            Outputs = outputs;
            WeightZeroPoint = weightZeroPoint;
            PairsPerSegment = (segmentLength + 1) / 2;
            Segments = depth / segmentLength;
            Pairs = Segments * PairsPerSegment;
            Blocks = (outputs + Lanes - 1) / Lanes;
            Values = new short[Blocks * Pairs * 2 * Lanes];
            for (int o = 0; o < outputs; o++)
            {
                int block = o / Lanes;
                int lane = o % Lanes;
                for (int k = 0; k < depth; k++)
                {
                    int pair = k / segmentLength * PairsPerSegment + k % segmentLength / 2;
                    Values[((block * Pairs) + pair) * 2 * Lanes + lane * 2 + k % segmentLength % 2] = (short)(rows[o * depth + k] - weightZeroPoint);
                }
            }
        }

        /// <summary>
        /// The packing of <paramref name="rows"/> (outputs × depth int8, OHWI for a convolution) in segments of
        /// <paramref name="segmentLength"/> taps (a divisor of depth), made on first use.
        /// </summary>
        public static PackedLayer For(sbyte[] rows, int depth, int segmentLength, int outputs, int weightZeroPoint)
        {
            PackedLayer packed;
            if (Cache.TryGetValue(rows, out packed) && packed.Depth == depth && packed.SegmentLength == segmentLength
                && packed.Outputs == outputs && packed.WeightZeroPoint == weightZeroPoint)
            {
                return packed;
            }

            packed = new PackedLayer(rows, depth, segmentLength, outputs, weightZeroPoint);
            Cache.AddOrUpdate(rows, packed);
            return packed;
        }
    }
}
