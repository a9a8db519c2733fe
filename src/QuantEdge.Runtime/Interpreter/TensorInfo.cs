namespace QuantEdge.Runtime.Interpreter
{
    /// <summary>One activation tensor: NHWC dims, its bytes in the arena, and its quantization.</summary>
    public sealed class TensorInfo
    {
        /// <summary>Dims, batch outermost.</summary>
        public readonly int N, H, W, C;

        /// <summary>N·H·W·C: one int8 per element.</summary>
        public readonly int Elements;

        /// <summary>Where the tensor's first element lives in the arena.</summary>
        public readonly int ArenaOffset;

        /// <summary>float32 bit pattern of the scale (the runtime never converts it).</summary>
        public readonly int ScaleBits;

        /// <summary>Zero point, −128..127.</summary>
        public readonly int ZeroPoint;

        internal TensorInfo(int n, int h, int w, int c, int arenaOffset, int scaleBits, int zeroPoint)
        {
            N = n;
            H = h;
            W = w;
            C = c;
            Elements = n * h * w * c;
            ArenaOffset = arenaOffset;
            ScaleBits = scaleBits;
            ZeroPoint = zeroPoint;
        }

        /// <summary>Elements per batch: H·W·C.</summary>
        public int ElementsPerBatch
        {
            get { return H * W * C; }
        }

        internal bool Overlaps(TensorInfo other)
        {
            return ArenaOffset < other.ArenaOffset + other.Elements && other.ArenaOffset < ArenaOffset + Elements;
        }

        internal bool SameShape(TensorInfo other)
        {
            return N == other.N && H == other.H && W == other.W && C == other.C;
        }
    }
}
