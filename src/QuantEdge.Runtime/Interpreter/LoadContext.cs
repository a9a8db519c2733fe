using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Interpreter
{
    /// <summary>
    /// What the op decoders need while a blob is loaded: the tensors, the data section bounds, which
    /// tensors have been written so far, and the running total of work per inference. Every check
    /// an op makes goes through here, so each failure carries the right reason code. Data is read
    /// through <see cref="Blob"/>, a piece at a time (<see cref="BlobBytes.Fetch"/>): the whole array when
    /// the blob is in memory, up to a chunk when it comes from a source.
    /// </summary>
    internal sealed class LoadContext
    {
        public readonly BlobBytes Blob;
        public readonly TensorInfo[] Tensors;

        private readonly KernelPath kernels;
        private readonly int modelInput;
        private readonly InputRules inputRules;
        private readonly int dataStart;
        private readonly int dataEnd;
        private readonly bool[] written;
        private long work;
        private string op;
        private bool scaleGrid;
        private StreamBuffer streamBuffer;

        public LoadContext(BlobBytes blob, TensorInfo[] tensors, int modelInput, InputRules inputRules, int dataStart, int dataEnd, KernelPath kernels)
        {
            Blob = blob;
            Tensors = tensors;
            this.kernels = kernels;
            this.modelInput = modelInput;
            this.inputRules = inputRules;
            this.dataStart = dataStart;
            this.dataEnd = dataEnd;
            written = new bool[tensors.Length];
            written[modelInput] = true;
        }

        /// <summary>Names the op being decoded (for error messages) and records how its requantization is stored.</summary>
        public void BeginOp(int index, int opCode, bool channelScaleGrid)
        {
            op = "op " + index.ToString() + " (opcode " + opCode.ToString() + ")";
            scaleGrid = channelScaleGrid;
        }

        public bool IsWritten(int tensor)
        {
            return written[tensor];
        }

        /// <summary>A tensor the op reads: it must exist and have been written already.</summary>
        public TensorInfo Read(int index)
        {
            CheckIndex(index);
            Check(written[index], "reads tensor " + index.ToString() + " before anything writes it");
            return Tensors[index];
        }

        /// <summary>The tensor the op writes: it must exist, not be the model input, and be written only once.</summary>
        public TensorInfo Write(int index)
        {
            CheckIndex(index);
            Check(index != modelInput, "writes the model input");
            Check(!written[index], "writes tensor " + index.ToString() + " a second time");
            written[index] = true;
            return Tensors[index];
        }

        /// <summary>
        /// Whether op <paramref name="opCode"/> runs through NativeMethods: every op with the native kernels (<see cref="Native.NativeKernels"/>),
        /// FullyConnected, Conv2D, DepthwiseConv2D and MaxPool2D with the desktop build's SIMD kernels (<see cref="KernelPath.HostSimd"/>).
        /// Its decoder then builds the layer's native arguments, and weights as int8 rows, instead of what the managed kernel needs.
        /// </summary>
        public bool RunsNative(int opCode)
        {
            return kernels == KernelPath.Native
                || (kernels == KernelPath.HostSimd && (opCode == BlobFormat.OpFullyConnected || opCode == BlobFormat.OpConv2D
                    || opCode == BlobFormat.OpDepthwiseConv2D || opCode == BlobFormat.OpMaxPool2D));
        }

        /// <summary>Ops that move int8 codes without rescaling them (pad, transpose, pools, reshape, concat) need one quantization in and out.</summary>
        public void SameQuantization(TensorInfo output, TensorInfo input, string message)
        {
            Check(output.ZeroPoint == input.ZeroPoint && output.ScaleBits == input.ScaleBits, message);
        }

        /// <summary>The output of an op that reads all its input before writing may not share any byte with it.</summary>
        public void NoOverlap(TensorInfo output, TensorInfo input)
        {
            Check(!output.Overlaps(input), "output overlaps its input in the arena");
        }

        /// <summary>An element-wise op may write in place (same offset) but may not partly overlap.</summary>
        public void SameOrNoOverlap(TensorInfo output, TensorInfo input)
        {
            Check(output.ArenaOffset == input.ArenaOffset || !output.Overlaps(input), "output partly overlaps its input in the arena");
        }

        /// <summary>
        /// Resolves a data reference (offset and length relative to the data section) that must hold
        /// exactly <paramref name="expectedLength"/> bytes; returns the absolute offset in the blob.
        /// </summary>
        public int Data(int offset, int length, long expectedLength)
        {
            if (length != expectedLength)
            {
                throw new ModelFormatException(ModelError.BadDataReference, op + ": data length " + length.ToString() + " where " + expectedLength.ToString() + " is required");
            }

            if (offset < 0 || (offset & 3) != 0 || offset > dataEnd - dataStart - length)
            {
                throw new ModelFormatException(ModelError.BadDataReference, op + ": data reference outside the data section or misaligned");
            }

            return dataStart + offset;
        }

        /// <summary>
        /// Reads <paramref name="count"/> i32 values through a data reference. The writer stores them in
        /// the narrowest of i8, i16 and i32 that holds them all; the reference's length says which.
        /// </summary>
        public int[] Int32s(int offset, int length, int count)
        {
            int width = length == count ? 1 : length == 2L * count ? 2 : 4;
            int at = Data(offset, length, (long)width * count);
            int[] values = new int[count];
            for (int i = 0; i < count;)
            {
                // A piece holds whole values: they are aligned to their width, and pieces to 4 bytes.
                int p;
                int end = i + Blob.Fetch(at + width * i, width * (count - i), out p) / width;
                byte[] bytes = Blob.Bytes;
                for (; i < end; i++, p += width)
                {
                    values[i] = SectionReader.NarrowAt(bytes, p, width);
                }
            }

            return values;
        }

        /// <summary>
        /// The zero point of each of a layer's <paramref name="depth"/> inputs: the model input's per-feature
        /// zero points when the layer reads the model input and it has one rule per feature, else the
        /// input tensor's zero point for all of them.
        /// </summary>
        public int[] InputZeroPoints(int tensor, int depth)
        {
            int[] zeroPoints = new int[depth];
            bool perFeature = tensor == modelInput && inputRules.Multiplier.Length > 1;
            for (int k = 0; k < depth; k++)
            {
                zeroPoints[k] = perFeature ? inputRules.ZeroPoint[inputRules.Of(k)] : Tensors[tensor].ZeroPoint;
            }

            return zeroPoints;
        }

        /// <summary>Reads <paramref name="count"/> int8 values through a data reference.</summary>
        public sbyte[] Int8s(int offset, int length, long count)
        {
            return Int8sAt(Data(offset, length, count), length);
        }

        /// <summary>Reads <paramref name="length"/> int8 values from blob position <paramref name="at"/> (checked by <see cref="Data"/>).</summary>
        public sbyte[] Int8sAt(int at, int length)
        {
            sbyte[] values = new sbyte[length];
            for (int i = 0; i < length;)
            {
                int p;
                int end = i + Blob.Fetch(at + i, length - i, out p);
                byte[] bytes = Blob.Bytes;
                for (; i < end; i++, p++)
                {
                    values[i] = (sbyte)bytes[p];
                }
            }

            return values;
        }

        /// <summary>
        /// A layer's int8 weights, <paramref name="channels"/> rows of <paramref name="depth"/> from blob
        /// position <paramref name="at"/> (checked by <see cref="Data"/>), in <paramref name="layout"/>.
        /// </summary>
        public ChannelWeights Weights(int at, int channels, int depth, WeightLayout layout)
        {
            ChannelWeights weights = new ChannelWeights(layout, channels, depth);
            for (int c = 0; c < channels; c++)
            {
                int row = at + c * depth;
                for (int k = 0; k < depth;)
                {
                    int p;
                    int count = Blob.Fetch(row + k, depth - k, out p);
                    weights.SetBytes(c, k, Blob.Bytes, p, count);
                    k += count;
                }
            }

            return weights;
        }

        /// <summary>
        /// A streamed layer's weights, <paramref name="channels"/> rows of <paramref name="depth"/> at blob position
        /// <paramref name="at"/> (checked by <see cref="Data"/>): left in the blob, read during Invoke, <paramref name="group"/>
        /// rows at a time (8: <see cref="WeightLayout.Streamed"/>, 1: <see cref="WeightLayout.StreamedByRow"/>), into the row
        /// buffer all the model's streamed layers share.
        /// </summary>
        public ChannelWeights StreamedWeights(int at, int channels, int depth, int group)
        {
            if (streamBuffer == null)
            {
                streamBuffer = new StreamBuffer();
            }

            return ChannelWeights.FromSource(Blob.WeightSource(), at, channels, depth, group, streamBuffer);
        }

        /// <summary>The streamed layers' shared row buffer, or null when the model has none.</summary>
        public StreamBuffer StreamBuffer
        {
            get { return streamBuffer; }
        }

        public void Check(bool ok, string detail)
        {
            if (!ok)
            {
                throw new ModelFormatException(ModelError.BadOpParameters, op + ": " + detail);
            }
        }

        public void CheckRange(int value, int min, int max, string what)
        {
            Check(value >= min && value <= max, what + " " + value.ToString() + " outside " + min.ToString() + ".." + max.ToString());
        }

        public void CheckZeroPoint(int value, string what)
        {
            CheckRange(value, -128, 127, what);
        }

        public void CheckClamp(int min, int max)
        {
            CheckRange(min, -128, 127, "activation min");
            CheckRange(max, min, 127, "activation max");
        }

        /// <summary>Filter, stride and dilation in 1..255, pads in 0..255: any such window is memory-safe in the kernels.</summary>
        public void CheckWindow(int filterHeight, int filterWidth, int strideHeight, int strideWidth, int dilationHeight, int dilationWidth, int padTop, int padLeft)
        {
            CheckRange(filterHeight, 1, BlobFormat.MaxWindow, "filter height");
            CheckRange(filterWidth, 1, BlobFormat.MaxWindow, "filter width");
            CheckRange(strideHeight, 1, BlobFormat.MaxWindow, "stride height");
            CheckRange(strideWidth, 1, BlobFormat.MaxWindow, "stride width");
            CheckRange(dilationHeight, 1, BlobFormat.MaxWindow, "dilation height");
            CheckRange(dilationWidth, 1, BlobFormat.MaxWindow, "dilation width");
            CheckRange(padTop, 0, BlobFormat.MaxWindow, "pad top");
            CheckRange(padLeft, 0, BlobFormat.MaxWindow, "pad left");
        }

        /// <summary>
        /// Per-channel requantization, four words: two data references (multipliers, then shifts), or,
        /// with the op's channel scale grid flag, a base multiplier, a base shift and a reference to one
        /// scale index byte per channel, expanded here (<see cref="ChannelScales"/>).
        /// </summary>
        public void ReadRequantization(int[] w, int at, int channels, out int[] multipliers, out int[] shifts)
        {
            if (!scaleGrid)
            {
                multipliers = Int32s(w[at], w[at + 1], channels);
                shifts = Int32s(w[at + 2], w[at + 3], channels);
            }
            else
            {
                int baseMultiplier = w[at], baseShift = w[at + 1];
                Check(baseMultiplier >= 1 << 30, "base multiplier below 2^30");
                CheckRange(baseShift, -31, 30, "base shift");
                int indices = Data(w[at + 2], w[at + 3], channels);
                multipliers = new int[channels];
                shifts = new int[channels];
                for (int i = 0; i < channels;)
                {
                    int p;
                    int end = i + Blob.Fetch(indices + i, channels - i, out p);
                    byte[] bytes = Blob.Bytes;
                    for (; i < end; i++, p++)
                    {
                        ChannelScales.Expand(baseMultiplier, baseShift, bytes[p], out multipliers[i], out shifts[i]);
                    }
                }
            }

            CheckRequantization(multipliers, shifts);
        }

        /// <summary>Q0.31 multipliers must be non-negative and shifts within what the fixed point handles.</summary>
        public void CheckRequantization(int multiplier, int shift)
        {
            Check(multiplier >= 0, "negative multiplier");
            CheckRange(shift, -31, 30, "shift");
        }

        public void CheckRequantization(int[] multipliers, int[] shifts)
        {
            for (int i = 0; i < multipliers.Length; i++)
            {
                CheckRequantization(multipliers[i], shifts[i]);
            }
        }

        /// <summary>Counts work per inference; the total is bounded so a blob cannot make Invoke run for hours.</summary>
        public void AddWork(long amount)
        {
            work += amount;
            if (work > BlobFormat.MaxWorkPerInference)
            {
                throw new ModelFormatException(ModelError.TooLarge, op + ": more than " + BlobFormat.MaxWorkPerInference.ToString() + " operations per inference");
            }
        }

        private void CheckIndex(int index)
        {
            Check(index >= 0 && index < Tensors.Length, "tensor index " + index.ToString() + " out of range");
        }
    }
}
