using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Native;

namespace QuantEdge.Runtime.Interop
{
    /// <summary>
    /// The desktop build's own kernels for the layers that carry the MACs, FullyConnected and Conv2D, and for
    /// DepthwiseConv2D and MaxPool2D, on the x86 SIMD of the host (AVX2; AVX-512 where the CPU has it): what
    /// <see cref="NativeMethods"/> runs when no C kernels are installed (<see cref="KernelPath.HostSimd"/>). Same arithmetic
    /// as the managed kernels and the C twins (src/QuantEdge.Native/kernels/qe_fully_connected.c, qe_conv2d.c): acc = bias
    /// + Σ (x − inZeroPoint) × (w − wZeroPoint) over the taps inside the input, in int32 with wraparound, then
    /// OutputStage's requantization; integer sums are exact in any order, so the bytes out are the same. Both layers
    /// multiply int16 inputs by the packed weights (<see cref="PackedLayer"/>): eight channels per Vector256 (sixteen per
    /// Vector512 for a convolution of more than eight outputs), two taps per vpmaddwd, a pair of taps broadcast to every
    /// channel. A fully connected layer's row is widened to int16; a convolution reads its windows straight from its
    /// input image padded with zeros (int16 x − inZeroPoint), four pixels at a time, and requantizes the image's sums in
    /// one pass, sixteen per Vector512 where the CPU has AVX-512. A depthwise layer multiplies eight channels per vpmulld;
    /// max pooling takes the maximum of 16 (or 8) channels per instruction. The other ops run the managed kernels (the
    /// loader only routes these layers here), so their methods throw as a stock firmware's do.
    /// The methods that hold the loops are compiled optimized on their first call (AggressiveOptimization): unoptimized
    /// (tier-0) code calls every intrinsic and helper instead of inlining it, and a short-lived process (a quantedge
    /// command) spent much of its time in that code before tiering replaced it; ReadyToRun does not precompile them either.
    /// </summary>
    internal sealed class SimdKernels : IHostKernels
    {
        /// <summary>The kernels, or null where the CPU lacks AVX2 (the managed kernels then run everything).</summary>
        public static readonly SimdKernels Instance = Avx2.IsSupported ? new SimdKernels() : null;

        /// <summary>The column of the pixel (or batch row) being multiplied; per thread, grown on demand.</summary>
        [ThreadStatic]
        private static short[] column;

        /// <summary>Depthwise weights widened to int32, per weights array (<see cref="WideWeights"/>).</summary>
        private static readonly ConditionalWeakTable<sbyte[], int[]> Wide = new ConditionalWeakTable<sbyte[], int[]>();

        /// <summary>A convolution's input image, padded (<see cref="PaddedImage"/>); per thread, grown on demand.</summary>
        [ThreadStatic]
        private static short[] image;

        /// <summary>Where each segment of a convolution's window starts, from the window's origin (<see cref="SegmentOffsets"/>); per thread.</summary>
        [ThreadStatic]
        private static int[] segmentOffsets;

        /// <summary>A convolution's sums, bias included (<see cref="Sums"/>); per thread, grown on demand.</summary>
        [ThreadStatic]
        private static int[] sums;

        /// <summary>Output pixels a convolution multiplies together (<see cref="MultiplyRow"/>).</summary>
        private const int Group = 4;

        private static bool wide = Avx512F.IsSupported;

        // qe_fully_connected's args.
        private const int FcInput = 0, FcOutput = 1, FcBatches = 2, FcDepth = 3, FcOutputs = 4, FcWeightZeroPoint = 5,
            FcOutputZeroPoint = 6, FcMin = 7, FcMax = 8;

        // The QE_CONV_* args (src/QuantEdge.Native/kernels/qe_kernels.h).
        private const int ConvInput = 0, ConvOutput = 1, ConvBatches = 2, ConvInputHeight = 3, ConvInputWidth = 4,
            ConvInputDepth = 5, ConvOutputHeight = 6, ConvOutputWidth = 7, ConvOutputDepth = 8, ConvFilterHeight = 9,
            ConvFilterWidth = 10, ConvStrideHeight = 11, ConvStrideWidth = 12, ConvDilationHeight = 13, ConvDilationWidth = 14,
            ConvPadTop = 15, ConvPadLeft = 16, ConvInputZeroPoint = 17, ConvOutputZeroPoint = 18, ConvMin = 19, ConvMax = 20,
            ConvExtra = 21;

        // The QE_POOL_* args.
        private const int PoolInput = 0, PoolOutput = 1, PoolBatches = 2, PoolInputHeight = 3, PoolInputWidth = 4, PoolChannels = 5,
            PoolOutputHeight = 6, PoolOutputWidth = 7, PoolFilterHeight = 8, PoolFilterWidth = 9, PoolStrideHeight = 10,
            PoolStrideWidth = 11, PoolPadTop = 12, PoolPadLeft = 13, PoolMin = 14, PoolMax = 15;

        private SimdKernels()
        {
        }

        /// <summary>
        /// Whether the output stage requantizes two pixels' eight channels per Vector512 (AVX-512F), true where the CPU has
        /// it; tests turn it off to hold the AVX2 output stage to the managed kernels too.
        /// </summary>
        internal static bool Avx512
        {
            get { return wide; }
            set { wide = value && Avx512F.IsSupported; }
        }

        public int Version() => NativeKernels.HostSimdVersion;

        public void FullyConnected(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] multiplier, int[] shift) =>
            FullyConnected(arena, args, weights, bias, multiplier, shift, null);

        public void FullyConnectedAccumulate(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] accumulators) =>
            FullyConnected(arena, args, weights, bias, null, null, accumulators);

        public void Conv2D(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] multiplier, int[] shift) =>
            Conv2D(arena, args, weights, bias, multiplier, shift, null);

        public void Conv2DAccumulate(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] accumulators) =>
            Conv2D(arena, args, weights, bias, null, null, accumulators);

        /// <summary>
        /// DepthwiseConv2D (qe_depthwise_conv2d.c): acc[o] = bias[o] + Σ over the taps (x[o / depthMultiplier] − inZeroPoint) ×
        /// w[ky][kx][o], from the padded int16 image as Conv2D; with a depth multiplier of 1, eight channels per vector
        /// (the weights widened to int32 once per layer, <see cref="WideWeights"/>), the rest one channel at a time.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void DepthwiseConv2D(sbyte[] arena, int[] a, sbyte[] weights, int[] bias, int[] multiplier, int[] shift)
        {
            int height = a[ConvInputHeight], width = a[ConvInputWidth], depth = a[ConvInputDepth];
            int outputHeight = a[ConvOutputHeight], outputWidth = a[ConvOutputWidth], outputs = a[ConvOutputDepth];
            int filterHeight = a[ConvFilterHeight], filterWidth = a[ConvFilterWidth], depthMultiplier = a[ConvExtra];
            if (depthMultiplier < 1 || (long)depth * depthMultiplier != outputs)
            {
                throw new ArgumentException("output depth is not input depth × depth multiplier");
            }

            CheckLayer(weights, (long)filterHeight * filterWidth * outputs, bias, multiplier, shift, outputs);
            CheckSpan(arena, a[ConvInput], (long)a[ConvBatches] * height * width * depth);
            CheckSpan(arena, a[ConvOutput], (long)a[ConvBatches] * outputHeight * outputWidth * outputs);
            int[] wide = WideWeights(weights);
            int rowLength;
            short[] padded = PaddedImage(a, out rowLength);
            int blocks = depthMultiplier == 1 ? outputs / PackedLayer.Lanes : 0;
            int zeroPoint = a[ConvOutputZeroPoint], min = a[ConvMin], max = a[ConvMax];
            int pixel = 0;
            for (int b = 0; b < a[ConvBatches]; b++)
            {
                Pad(arena, a[ConvInput] + b * height * width * depth, height, width * depth, a[ConvInputZeroPoint], padded,
                    a[ConvPadTop] * rowLength + a[ConvPadLeft] * depth, rowLength);
                for (int oy = 0; oy < outputHeight; oy++)
                {
                    for (int ox = 0; ox < outputWidth; ox++, pixel++)
                    {
                        int origin = oy * a[ConvStrideHeight] * rowLength + ox * a[ConvStrideWidth] * depth;
                        int y = a[ConvOutput] + pixel * outputs;
                        for (int block = 0, o = 0; block < blocks; block++, o += PackedLayer.Lanes)
                        {
                            Vector256<int> acc = Vector256.LoadUnsafe(ref bias[o]);
                            for (int ky = 0; ky < filterHeight; ky++)
                            {
                                int row = origin + ky * a[ConvDilationHeight] * rowLength;
                                for (int kx = 0; kx < filterWidth; kx++)
                                {
                                    Vector256<int> x = Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref padded[row + kx * a[ConvDilationWidth] * depth + o]));
                                    Vector256<int> w = Vector256.LoadUnsafe(ref wide[(ky * filterWidth + kx) * outputs + o]);
                                    acc = Avx2.Add(acc, Avx2.MultiplyLow(x, w));
                                }
                            }

                            Vector256<int> requantized = Requantize(acc, Vector256.LoadUnsafe(ref multiplier[o]), Vector256.LoadUnsafe(ref shift[o]), zeroPoint, min, max);
                            Vector128<short> narrow = Sse2.PackSignedSaturate(requantized.GetLower(), requantized.GetUpper());
                            Unsafe.WriteUnaligned(ref Unsafe.As<sbyte, byte>(ref arena[y + o]), Sse2.PackSignedSaturate(narrow, narrow).AsUInt64().ToScalar());
                        }

                        for (int o = blocks * PackedLayer.Lanes; o < outputs; o++)
                        {
                            int acc = bias[o];
                            for (int ky = 0; ky < filterHeight; ky++)
                            {
                                int row = origin + ky * a[ConvDilationHeight] * rowLength + o / depthMultiplier;
                                for (int kx = 0; kx < filterWidth; kx++)
                                {
                                    acc += padded[row + kx * a[ConvDilationWidth] * depth] * wide[(ky * filterWidth + kx) * outputs + o];
                                }
                            }

                            arena[y + o] = OutputStage.Requantize(acc, multiplier[o], shift[o], zeroPoint, min, max);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// MaxPool2D (src/QuantEdge.Runtime/Kernels/MaxPool2D.cs): per output pixel and channel, the largest input in the
        /// window clipped to the image (the loader rejects windows wholly in the padding), clamped.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void MaxPool2D(sbyte[] arena, int[] a)
        {
            int height = a[PoolInputHeight], width = a[PoolInputWidth], channels = a[PoolChannels];
            int outputHeight = a[PoolOutputHeight], outputWidth = a[PoolOutputWidth];
            CheckSpan(arena, a[PoolInput], (long)a[PoolBatches] * height * width * channels);
            CheckSpan(arena, a[PoolOutput], (long)a[PoolBatches] * outputHeight * outputWidth * channels);
            Vector128<sbyte> min = Vector128.Create((sbyte)a[PoolMin]), max = Vector128.Create((sbyte)a[PoolMax]);
            int rowLength = width * channels, output = a[PoolOutput];
            for (int b = 0; b < a[PoolBatches]; b++)
            {
                int image = a[PoolInput] + b * height * rowLength;
                for (int oy = 0; oy < outputHeight; oy++)
                {
                    int y0 = Math.Max(oy * a[PoolStrideHeight] - a[PoolPadTop], 0);
                    int y1 = Math.Min(oy * a[PoolStrideHeight] - a[PoolPadTop] + a[PoolFilterHeight], height);
                    for (int ox = 0; ox < outputWidth; ox++, output += channels)
                    {
                        int x0 = Math.Max(ox * a[PoolStrideWidth] - a[PoolPadLeft], 0);
                        int x1 = Math.Min(ox * a[PoolStrideWidth] - a[PoolPadLeft] + a[PoolFilterWidth], width);
                        int c = 0;
                        for (; c + 16 <= channels; c += 16)
                        {
                            Vector128<sbyte> best = Vector128.Create(sbyte.MinValue);
                            for (int y = y0; y < y1; y++)
                            {
                                for (int x = x0; x < x1; x++)
                                {
                                    best = Vector128.Max(best, Vector128.LoadUnsafe(ref arena[image + y * rowLength + x * channels + c]));
                                }
                            }

                            Vector128.Min(Vector128.Max(best, min), max).StoreUnsafe(ref arena[output + c]);
                        }

                        for (; c + 8 <= channels; c += 8)
                        {
                            // Eight channels in the low half of a vector, read and written as one ulong.
                            Vector128<sbyte> best = Vector128.Create(sbyte.MinValue);
                            for (int y = y0; y < y1; y++)
                            {
                                for (int x = x0; x < x1; x++)
                                {
                                    ulong eight = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<sbyte, byte>(ref arena[image + y * rowLength + x * channels + c]));
                                    best = Vector128.Max(best, Vector128.CreateScalarUnsafe(eight).AsSByte());
                                }
                            }

                            Unsafe.WriteUnaligned(ref Unsafe.As<sbyte, byte>(ref arena[output + c]), Vector128.Min(Vector128.Max(best, min), max).AsUInt64().ToScalar());
                        }

                        for (; c < channels; c++)
                        {
                            int best = sbyte.MinValue;
                            for (int y = y0; y < y1; y++)
                            {
                                for (int x = x0; x < x1; x++)
                                {
                                    best = Math.Max(best, arena[image + y * rowLength + x * channels + c]);
                                }
                            }

                            arena[output + c] = (sbyte)Math.Min(Math.Max(best, a[PoolMin]), a[PoolMax]);
                        }
                    }
                }
            }
        }

        public void AveragePool2D(sbyte[] arena, int[] args) => throw Managed();

        public void GlobalAveragePool(sbyte[] arena, int[] args) => throw Managed();

        public void Add(sbyte[] arena, int[] args) => throw Managed();

        public void Mul(sbyte[] arena, int[] args) => throw Managed();

        public void Lookup(sbyte[] arena, int[] args, sbyte[] table) => throw Managed();

        public void Softmax(sbyte[] arena, int[] args) => throw Managed();

        public void Concat(sbyte[] arena, int[] args) => throw Managed();

        private static Exception Managed() => new NotSupportedException("the host SIMD kernels cover FullyConnected, Conv2D, DepthwiseConv2D and MaxPool2D: the other ops run managed");

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void FullyConnected(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] multiplier, int[] shift, int[] accumulators)
        {
            int batches = args[FcBatches], depth = args[FcDepth], outputs = args[FcOutputs];
            CheckLayer(weights, (long)depth * outputs, bias, multiplier, shift, outputs);
            CheckSpan(arena, args[FcInput], (long)batches * depth);
            CheckResult(arena, args[FcOutput], accumulators, (long)batches * outputs);
            PackedLayer packed = PackedLayer.For(weights, depth, depth, outputs, args[FcWeightZeroPoint], PackedLayer.Lanes);
            short[] x = Column(packed.Pairs * 2);
            var results = new Results(bias, multiplier, shift, args[FcOutputZeroPoint], args[FcMin], args[FcMax], arena, args[FcOutput], accumulators);
            for (int b = 0; b < batches; b++)
            {
                // The row widened to int16 (the input zero point is in the bias): the layer's one segment.
                Pad(arena, args[FcInput] + b * depth, 1, depth, 0, x, 0, depth);
                Multiply(x, packed, in results, b * outputs);
            }
        }

        /// <summary>
        /// Conv2D (qe_conv2d.c) straight from the padded int16 image, without copying windows: a window is the segments
        /// of <see cref="PackedLayer"/> (a filter row's taps are one run of the image without horizontal dilation, each
        /// tap's channels one with it), so pair p of a segment is the int32 at 2p of its run, broadcast to every channel
        /// of a block (<see cref="MultiplyRow"/>). An image's sums (bias included) go to a buffer, then through the output
        /// stage in one pass (<see cref="Store"/>).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Conv2D(sbyte[] arena, int[] a, sbyte[] weights, int[] bias, int[] multiplier, int[] shift, int[] accumulators)
        {
            int height = a[ConvInputHeight], width = a[ConvInputWidth], depth = a[ConvInputDepth];
            int outputHeight = a[ConvOutputHeight], outputWidth = a[ConvOutputWidth];
            int filterHeight = a[ConvFilterHeight], filterWidth = a[ConvFilterWidth], outputs = a[ConvOutputDepth];
            int dilationWidth = a[ConvDilationWidth];
            int channel = filterHeight * filterWidth * depth;
            CheckLayer(weights, (long)channel * outputs, bias, multiplier, shift, outputs);
            CheckSpan(arena, a[ConvInput], (long)a[ConvBatches] * height * width * depth);
            CheckResult(arena, a[ConvOutput], accumulators, (long)a[ConvBatches] * outputHeight * outputWidth * outputs);
            bool rows = dilationWidth == 1;
            int segmentLength = rows ? filterWidth * depth : depth;
            int segments = rows ? filterHeight : filterHeight * filterWidth;
            // More than eight channels: sixteen per block in a Vector512 where the CPU has AVX-512BW (half the instructions).
            bool sixteen = wide && Avx512BW.IsSupported && outputs > PackedLayer.Lanes;
            PackedLayer packed = PackedLayer.For(weights, channel, segmentLength, outputs, a[ConvExtra], sixteen ? 2 * PackedLayer.Lanes : PackedLayer.Lanes);
            OutputConstants constants = OutputConstants.For(bias, multiplier, shift);

            int rowLength;
            short[] padded = PaddedImage(a, out rowLength);
            int[] offsets = SegmentOffsets(segments);
            for (int s = 0; s < segments; s++)
            {
                int ky = rows ? s : s / filterWidth, kx = rows ? 0 : s % filterWidth;
                offsets[s] = ky * a[ConvDilationHeight] * rowLength + kx * dilationWidth * depth;
            }

            // A pixel's sums are a whole number of blocks apart; a row's last group writes up to Group − 1 pixels past it.
            int stride = packed.Blocks * packed.BlockLanes, pixels = outputHeight * outputWidth;
            int[] sums = Sums((pixels + Group) * stride);
            var results = new Results(bias, multiplier, shift, a[ConvOutputZeroPoint], a[ConvMin], a[ConvMax], arena, a[ConvOutput], accumulators);
            for (int b = 0; b < a[ConvBatches]; b++)
            {
                Pad(arena, a[ConvInput] + b * height * width * depth, height, width * depth, a[ConvInputZeroPoint], padded,
                    a[ConvPadTop] * rowLength + a[ConvPadLeft] * depth, rowLength);
                for (int oy = 0; oy < outputHeight; oy++)
                {
                    int origin = oy * a[ConvStrideHeight] * rowLength, step = a[ConvStrideWidth] * depth;
                    if (sixteen)
                    {
                        MultiplyRow<SixteenChannels, Vector512<int>, Vector512<short>>(padded, origin, step, outputWidth, offsets, packed, constants.Bias, sums, oy * outputWidth * stride);
                    }
                    else
                    {
                        MultiplyRow<EightChannels, Vector256<int>, Vector256<short>>(padded, origin, step, outputWidth, offsets, packed, constants.Bias, sums, oy * outputWidth * stride);
                    }
                }

                Store(sums, stride, pixels, in results, constants, b * pixels * outputs);
            }
        }

        /// <summary>
        /// Copies <paramref name="rows"/> rows of <paramref name="length"/> int8 from the arena into <paramref name="padded"/> at
        /// <paramref name="at"/> (rows <paramref name="stride"/> apart) as int16 minus <paramref name="zeroPoint"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Pad(sbyte[] arena, int input, int rows, int length, int zeroPoint, short[] padded, int at, int stride)
        {
            Vector256<short> offset = Vector256.Create((short)zeroPoint);
            for (int row = 0; row < rows; row++, input += length, at += stride)
            {
                int i = 0;
                for (; i + 16 <= length; i += 16)
                {
                    Vector256<short> wide = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref arena[input + i]));
                    Avx2.Subtract(wide, offset).CopyTo(padded, at + i);
                }

                if (i < length && length >= 16)
                {
                    // The last 16 of the row again, overlapping what is written: cheaper than one at a time.
                    i = length - 16;
                    Avx2.Subtract(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref arena[input + i])), offset).CopyTo(padded, at + i);
                    continue;
                }

                for (; i < length; i++)
                {
                    padded[at + i] = (short)(arena[input + i] - zeroPoint);
                }
            }
        }

        /// <summary>
        /// One column times every channel's weights: bias + Σ x × w per channel, into <paramref name="results"/> at
        /// <paramref name="at"/> (<see cref="Finish(in Results, Vector256{int}, int, int)"/>). The column holds Pairs × 2
        /// int16, the tap past an odd depth zero.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Multiply(short[] x, PackedLayer packed, in Results results, int at)
        {
            int pairs = packed.Pairs;
            ref byte taps = ref Unsafe.As<short, byte>(ref MemoryMarshal.GetArrayDataReference(x));
            ref short values = ref MemoryMarshal.GetArrayDataReference(packed.Values);
            bool vnni = AvxVnni.IsSupported;
            for (int block = 0, o = 0; block < packed.Blocks; block++, o += PackedLayer.Lanes)
            {
                ref short w = ref Unsafe.Add(ref values, block * pairs * 2 * PackedLayer.Lanes);

                // Four sums of every fourth pair: one chain of dependent multiply-adds would wait out each one's latency.
                Vector256<int> acc0 = Vector256<int>.Zero, acc1 = Vector256<int>.Zero, acc2 = Vector256<int>.Zero, acc3 = Vector256<int>.Zero;
                int p = 0;
                for (; p + 4 <= pairs; p += 4)
                {
                    acc0 = MultiplyAdd(acc0, Pair(ref taps, p), WeightsOfPair(ref w, p), vnni);
                    acc1 = MultiplyAdd(acc1, Pair(ref taps, p + 1), WeightsOfPair(ref w, p + 1), vnni);
                    acc2 = MultiplyAdd(acc2, Pair(ref taps, p + 2), WeightsOfPair(ref w, p + 2), vnni);
                    acc3 = MultiplyAdd(acc3, Pair(ref taps, p + 3), WeightsOfPair(ref w, p + 3), vnni);
                }

                for (; p < pairs; p++)
                {
                    acc0 = MultiplyAdd(acc0, Pair(ref taps, p), WeightsOfPair(ref w, p), vnni);
                }

                Finish(in results, Avx2.Add(Avx2.Add(acc0, acc1), Avx2.Add(acc2, acc3)), o, at);
            }
        }

        /// <summary>
        /// The windows of one row of output pixels (the first at <paramref name="origin"/> of <paramref name="image"/>, each
        /// <paramref name="step"/> int16 after the one before) times every channel's weights, <see cref="Group"/> pixels at a
        /// time so that each pair of weights is loaded once for them (and the pixels' sums are independent chains of
        /// multiply-adds): window i is the segments at its origin + <paramref name="offsets"/>[s], one int16 past a segment
        /// of odd length multiplying a zero weight. Pixel i's sums, bias first, go to sums[at + i × stride + channel], whole
        /// blocks: a group past the row's end repeats its last pixel there. <typeparamref name="TBlock"/> is a block's
        /// vectors (<see cref="EightChannels"/>, <see cref="SixteenChannels"/>), a struct so that the JIT compiles this
        /// once for each, its calls inlined.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void MultiplyRow<TBlock, TSums, TWeights>(short[] image, int origin, int step, int pixels, int[] offsets, PackedLayer packed,
            int[] bias, int[] sums, int at)
            where TBlock : struct, IBlock<TSums, TWeights>
        {
            TBlock lanes = default;
            int perSegment = packed.PairsPerSegment, stride = packed.Blocks * packed.BlockLanes;
            ref byte row = ref Unsafe.As<short, byte>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(image), origin));
            ref short values = ref MemoryMarshal.GetArrayDataReference(packed.Values);
            for (int first = 0; first < pixels; first += Group, at += Group * stride)
            {
                int last = pixels - 1;
                int origin1 = Math.Min(first + 1, last) * step, origin2 = Math.Min(first + 2, last) * step, origin3 = Math.Min(first + 3, last) * step;
                for (int block = 0, o = 0; block < packed.Blocks; block++, o += packed.BlockLanes)
                {
                    ref short w = ref Unsafe.Add(ref values, block * packed.Pairs * 2 * packed.BlockLanes);
                    TSums acc0 = lanes.Load(ref bias[o]), acc1 = acc0, acc2 = acc0, acc3 = acc0;
                    for (int s = 0; s < packed.Segments; s++)
                    {
                        ref byte x0 = ref Unsafe.Add(ref row, (first * step + offsets[s]) * sizeof(short));
                        ref byte x1 = ref Unsafe.Add(ref row, (origin1 + offsets[s]) * sizeof(short));
                        ref byte x2 = ref Unsafe.Add(ref row, (origin2 + offsets[s]) * sizeof(short));
                        ref byte x3 = ref Unsafe.Add(ref row, (origin3 + offsets[s]) * sizeof(short));
                        for (int q = 0; q < perSegment; q++)
                        {
                            TWeights weightsOfPair = lanes.Weights(ref w);
                            w = ref Unsafe.Add(ref w, 2 * packed.BlockLanes);
                            acc0 = lanes.MultiplyAdd(acc0, Pair(ref x0, q), weightsOfPair);
                            acc1 = lanes.MultiplyAdd(acc1, Pair(ref x1, q), weightsOfPair);
                            acc2 = lanes.MultiplyAdd(acc2, Pair(ref x2, q), weightsOfPair);
                            acc3 = lanes.MultiplyAdd(acc3, Pair(ref x3, q), weightsOfPair);
                        }
                    }

                    // The buffer holds the row and the group past it (Sums), so the stores stay inside it.
                    ref int y = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(sums), at + o);
                    lanes.Store(acc0, ref y);
                    lanes.Store(acc1, ref Unsafe.Add(ref y, stride));
                    lanes.Store(acc2, ref Unsafe.Add(ref y, 2 * stride));
                    lanes.Store(acc3, ref Unsafe.Add(ref y, 3 * stride));
                }
            }
        }

        /// <summary>A block of output channels as vectors: its int32 sums and its int16 pairs of weights (<see cref="MultiplyRow"/>).</summary>
        private interface IBlock<TSums, TWeights>
        {
            TSums Load(ref int at);

            TWeights Weights(ref short at);

            /// <summary>
            /// acc + the pair of taps (in every int32 lane) times each channel's two weights: vpmaddwd and add, or one vpdpwssd
            /// with AVX-VNNI. The int16 products (at most 255 × 256) and their pair sums fit int32.
            /// </summary>
            TSums MultiplyAdd(TSums acc, int pair, TWeights weightsOfPair);

            void Store(TSums sums, ref int at);
        }

        /// <summary>Eight channels per block: Vector256 (AVX2).</summary>
        private struct EightChannels : IBlock<Vector256<int>, Vector256<short>>
        {
            public Vector256<int> Load(ref int at) => Vector256.LoadUnsafe(ref at);

            public Vector256<short> Weights(ref short at) => Vector256.LoadUnsafe(ref at);

            public Vector256<int> MultiplyAdd(Vector256<int> acc, int pair, Vector256<short> weightsOfPair) =>
                SimdKernels.MultiplyAdd(acc, pair, weightsOfPair, AvxVnni.IsSupported);

            public void Store(Vector256<int> sums, ref int at) => sums.StoreUnsafe(ref at);
        }

        /// <summary>Sixteen channels per block: Vector512 (AVX-512BW), one vpmaddwd where eight channels take two.</summary>
        private struct SixteenChannels : IBlock<Vector512<int>, Vector512<short>>
        {
            public Vector512<int> Load(ref int at) => Vector512.LoadUnsafe(ref at);

            public Vector512<short> Weights(ref short at) => Vector512.LoadUnsafe(ref at);

            public Vector512<int> MultiplyAdd(Vector512<int> acc, int pair, Vector512<short> weightsOfPair) =>
                Avx512BW.Add(acc, Avx512BW.MultiplyAddAdjacent(Vector512.Create(pair).AsInt16(), weightsOfPair));

            public void Store(Vector512<int> sums, ref int at) => sums.StoreUnsafe(ref at);
        }

        /// <summary>
        /// An image's sums (<paramref name="pixels"/> of them, <paramref name="stride"/> int32 apart) into the results from
        /// <paramref name="at"/> on: copied into the accumulators, or requantized into the arena. With no padding between
        /// pixels and AVX-512, sixteen sums per Vector512 whatever the pixel, their channels' multipliers and shifts in the
        /// repeating pattern of <see cref="OutputConstants"/>; else eight channels of a pixel per Vector256.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Store(int[] sums, int stride, int pixels, in Results results, OutputConstants constants, int at)
        {
            int outputs = results.Bias.Length, output = results.Output + at;
            if (results.Accumulators != null)
            {
                for (int pixel = 0; pixel < pixels; pixel++)
                {
                    Array.Copy(sums, pixel * stride, results.Accumulators, at + pixel * outputs, outputs);
                }

                return;
            }

            int i = 0, count = pixels * outputs;
            if (wide && stride == outputs)
            {
                Vector512<int> zeroPoint = Vector512.Create(results.ZeroPoint), min = Vector512.Create(results.Min), max = Vector512.Create(results.Max);
                ref int sum = ref MemoryMarshal.GetArrayDataReference(sums);
                ref int multipliers = ref MemoryMarshal.GetArrayDataReference(constants.Multiplier);
                ref int oddMultipliers = ref MemoryMarshal.GetArrayDataReference(constants.OddMultiplier);
                ref int lefts = ref MemoryMarshal.GetArrayDataReference(constants.Left);
                ref int rights = ref MemoryMarshal.GetArrayDataReference(constants.Right);
                ref int masks = ref MemoryMarshal.GetArrayDataReference(constants.Mask);
                ref int halves = ref MemoryMarshal.GetArrayDataReference(constants.Half);
                // The output tensor, which CheckResult found inside the arena, holds the count bytes written from here.
                ref sbyte y = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(results.Arena), output);
                for (int pattern = 0, period = constants.Multiplier.Length; i + 2 * PackedLayer.Lanes <= count; i += 2 * PackedLayer.Lanes)
                {
                    nuint lane = (nuint)pattern;
                    Vector512<int> value = Requantize(Vector512.LoadUnsafe(ref sum, (nuint)i), Vector512.LoadUnsafe(ref multipliers, lane),
                        Vector512.LoadUnsafe(ref oddMultipliers, lane), Vector512.LoadUnsafe(ref lefts, lane), Vector512.LoadUnsafe(ref rights, lane),
                        Vector512.LoadUnsafe(ref masks, lane), Vector512.LoadUnsafe(ref halves, lane), zeroPoint, min, max);
                    Avx512F.ConvertToVector128SByteWithSaturation(value).StoreUnsafe(ref y, (nuint)i);
                    pattern += 2 * PackedLayer.Lanes;
                    if (pattern == period)
                    {
                        pattern = 0;
                    }
                }

                for (; i < count; i++)
                {
                    int o = i % outputs;
                    results.Arena[output + i] = OutputStage.Requantize(sums[i], results.Multiplier[o], results.Shift[o], results.ZeroPoint, results.Min, results.Max);
                }

                return;
            }

            for (int pixel = 0; pixel < pixels; pixel++)
            {
                for (int o = 0; o < outputs; o += PackedLayer.Lanes)
                {
                    Requantize(in results, Vector256.LoadUnsafe(ref sums[pixel * stride + o]), o, output + pixel * outputs);
                }
            }
        }

        /// <summary>Taps 2p and 2p + 1 of a run of int16 as one int32.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Pair(ref byte run, int p) => Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref run, p * sizeof(int)));

        /// <summary>The eight channels' two weights of pair p of a block.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<short> WeightsOfPair(ref short block, int p) => Vector256.LoadUnsafe(ref block, (nuint)(p * 2 * PackedLayer.Lanes));

        /// <summary>
        /// acc + the pair of taps (in every int32 lane) times each of eight channels' two weights: one vpmaddwd and add,
        /// or one vpdpwssd with AVX-VNNI. The int16 products (at most 255 × 256) and their pair sums fit int32.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<int> MultiplyAdd(Vector256<int> acc, int pair, Vector256<short> weightsOfPair, bool vnni)
        {
            Vector256<short> taps = Vector256.Create(pair).AsInt16();
            return vnni ? AvxVnni.MultiplyWideningAndAdd(acc, taps, weightsOfPair) : Avx2.Add(acc, Avx2.MultiplyAddAdjacent(taps, weightsOfPair));
        }

        /// <summary>
        /// A block's sums (bias not yet added) for channels o on: bias added, then into the accumulators at
        /// <paramref name="at"/> + o, or requantized into the arena at results.Output + at + o; the lanes past the layer's
        /// last channel are left out.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Finish(in Results results, Vector256<int> acc, int o, int at)
        {
            int count = Math.Min(PackedLayer.Lanes, results.Bias.Length - o);
            if (count == PackedLayer.Lanes)
            {
                acc = Avx2.Add(acc, Vector256.LoadUnsafe(ref results.Bias[o]));
            }
            else
            {
                for (int j = 0; j < count; j++)
                {
                    acc = acc.WithElement(j, acc.GetElement(j) + results.Bias[o + j]);
                }
            }

            if (results.Accumulators == null)
            {
                Requantize(in results, acc, o, results.Output + at);
                return;
            }

            for (int j = 0; j < count; j++)
            {
                results.Accumulators[at + o + j] = acc.GetElement(j);
            }
        }

        /// <summary>
        /// Eight channels' sums (bias included) from channel o on, requantized into the arena at <paramref name="output"/>
        /// + o; the lanes past the layer's last channel are left out.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Requantize(in Results results, Vector256<int> acc, int o, int output)
        {
            int count = Math.Min(PackedLayer.Lanes, results.Bias.Length - o);
            if (count == PackedLayer.Lanes)
            {
                Vector256<int> y = Requantize(acc, Vector256.LoadUnsafe(ref results.Multiplier[o]), Vector256.LoadUnsafe(ref results.Shift[o]), results.ZeroPoint, results.Min, results.Max);
                Vector128<short> narrow = Sse2.PackSignedSaturate(y.GetLower(), y.GetUpper());
                // The eight bytes lie inside the output tensor, which CheckResult found inside the arena.
                Unsafe.WriteUnaligned(ref Unsafe.As<sbyte, byte>(ref results.Arena[output + o]), Sse2.PackSignedSaturate(narrow, narrow).AsUInt64().ToScalar());
                return;
            }

            for (int j = 0; j < count; j++)
            {
                results.Arena[output + o + j] = OutputStage.Requantize(acc.GetElement(j), results.Multiplier[o + j], results.Shift[o + j], results.ZeroPoint, results.Min, results.Max);
            }
        }

        /// <summary>
        /// <see cref="OutputStage.Requantize"/> of eight channels at once, step for step: the left shift, the rounding
        /// doubling high multiply (floor((product + 2^30) / 2^31) is the same as rounding half away from zero and then
        /// truncating, for both signs), the rounding right shift (ties away from zero), the zero point and the clamp.
        /// </summary>
        internal static Vector256<int> Requantize(Vector256<int> acc, Vector256<int> multiplier, Vector256<int> shift, int zeroPoint, int min, int max)
        {
            Vector256<int> zero = Vector256<int>.Zero;
            Vector256<uint> left = Avx2.Max(shift, zero).AsUInt32();
            Vector256<uint> right = Avx2.Max(Avx2.Subtract(zero, shift), zero).AsUInt32();
            Vector256<int> shifted = Avx2.ShiftLeftLogicalVariable(acc, left);

            // vpmuldq multiplies the even int32 lanes into int64; the odd lanes are shifted down to be multiplied too.
            Vector256<long> round = Vector256.Create(1L << 30);
            Vector256<long> even = Avx2.Add(Avx2.Multiply(shifted, multiplier), round);
            Vector256<long> odd = Avx2.Add(
                Avx2.Multiply(Avx2.ShiftRightLogical(shifted.AsInt64(), 32).AsInt32(), Avx2.ShiftRightLogical(multiplier.AsInt64(), 32).AsInt32()), round);

            // Bits 31..62 of each product: the low int32 of a logical or arithmetic shift by 31 alike.
            Vector256<int> high = Avx2.Blend(
                Avx2.ShiftRightLogical(even, 31).AsInt32(), Avx2.ShiftLeftLogical(Avx2.ShiftRightLogical(odd, 31), 32).AsInt32(), 0b10101010);

            Vector256<int> one = Vector256.Create(1);
            Vector256<int> mask = Avx2.Subtract(Avx2.ShiftLeftLogicalVariable(one, right), one);
            Vector256<int> threshold = Avx2.Subtract(Avx2.ShiftRightArithmetic(mask, 1), Avx2.CompareGreaterThan(zero, high));
            Vector256<int> value = Avx2.Subtract(
                Avx2.ShiftRightArithmeticVariable(high, right), Avx2.CompareGreaterThan(Avx2.And(high, mask), threshold));
            value = Avx2.Add(value, Vector256.Create(zeroPoint));
            return Avx2.Min(Avx2.Max(value, Vector256.Create(min)), Vector256.Create(max));
        }

        /// <summary>
        /// <see cref="Requantize(Vector256{int}, Vector256{int}, Vector256{int}, int, int, int)"/> on sixteen lanes
        /// (AVX-512F): the shift's parts made here, as <see cref="OutputConstants"/> makes them once per layer.
        /// </summary>
        internal static Vector512<int> Requantize(Vector512<int> acc, Vector512<int> multiplier, Vector512<int> shift, Vector512<int> zeroPoint,
            Vector512<int> min, Vector512<int> max)
        {
            Vector512<int> zero = Vector512<int>.Zero;
            Vector512<int> right = Avx512F.Max(Avx512F.Subtract(zero, shift), zero);
            Vector512<int> mask = Avx512F.Subtract(Avx512F.ShiftLeftLogicalVariable(Vector512.Create(1), right.AsUInt32()), Vector512.Create(1));
            return Requantize(acc, multiplier, Avx512F.ShiftRightLogical(multiplier.AsInt64(), 32).AsInt32(), Avx512F.Max(shift, zero), right, mask,
                Avx512F.ShiftRightArithmetic(mask, 1), zeroPoint, min, max);
        }

        /// <summary>
        /// The sixteen-lane output stage, step for step as the eight-lane one, from each lane's multiplier, the multiplier
        /// of the odd lane above it (in the even lane: what vpmuldq multiplies), the left and right shifts, the right
        /// shift's mask (2^right − 1) and half of it; bits 31..62 of an odd lane's product are the upper int32 of the
        /// product shifted left by one.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<int> Requantize(Vector512<int> acc, Vector512<int> multiplier, Vector512<int> oddMultiplier, Vector512<int> left,
            Vector512<int> right, Vector512<int> mask, Vector512<int> half, Vector512<int> zeroPoint, Vector512<int> min, Vector512<int> max)
        {
            Vector512<int> shifted = Avx512F.ShiftLeftLogicalVariable(acc, left.AsUInt32());
            Vector512<long> round = Vector512.Create(1L << 30);
            Vector512<long> even = Avx512F.Add(Avx512F.Multiply(shifted, multiplier), round);
            Vector512<long> odd = Avx512F.Add(Avx512F.Multiply(Avx512F.ShiftRightLogical(shifted.AsInt64(), 32).AsInt32(), oddMultiplier), round);
            Vector512<int> high = Vector512.ConditionalSelect(
                Vector512.Create(unchecked((long)0xFFFFFFFF00000000UL)).AsInt32(), Avx512F.ShiftLeftLogical(odd, 1).AsInt32(), Avx512F.ShiftRightLogical(even, 31).AsInt32());
            Vector512<int> threshold = Avx512F.Subtract(half, Vector512.GreaterThan(Vector512<int>.Zero, high));
            Vector512<int> value = Avx512F.Subtract(
                Avx512F.ShiftRightArithmeticVariable(high, right.AsUInt32()), Vector512.GreaterThan(Avx512F.And(high, mask), threshold));
            return Avx512F.Min(Avx512F.Max(Avx512F.Add(value, zeroPoint), min), max);
        }

        /// <summary>A buffer for <paramref name="segments"/> offsets of segments of a window.</summary>
        private static int[] SegmentOffsets(int segments)
        {
            if (segmentOffsets == null || segmentOffsets.Length < segments)
            {
                segmentOffsets = new int[segments];
            }

            return segmentOffsets;
        }

        /// <summary>Where a layer's sums go: requantized into the arena from Output on, or as they are into Accumulators (when not null).</summary>
        private readonly struct Results
        {
            public readonly int[] Bias, Multiplier, Shift, Accumulators;
            public readonly int ZeroPoint, Min, Max, Output;
            public readonly sbyte[] Arena;

            public Results(int[] bias, int[] multiplier, int[] shift, int zeroPoint, int min, int max, sbyte[] arena, int output, int[] accumulators)
            {
                Bias = bias;
                Multiplier = multiplier;
                Shift = shift;
                ZeroPoint = zeroPoint;
                Min = min;
                Max = max;
                Arena = arena;
                Output = output;
                Accumulators = accumulators;
            }
        }

        /// <summary>A buffer of <paramref name="length"/> int32 for a convolution's sums; per thread, grown on demand.</summary>
        private static int[] Sums(int length)
        {
            if (sums == null || sums.Length < length)
            {
                sums = new int[length];
            }

            return sums;
        }

        /// <summary>
        /// A layer's output constants as Conv2D uses them, made once per bias array (the first time the layer
        /// runs): the bias padded with zeros to whole blocks of sixteen, and the multipliers and shifts repeated over
        /// lcm(outputs, 16) lanes, so that sixteen consecutive sums of an image (any pixels) find theirs at one offset,
        /// the shifts in the parts the sixteen-lane output stage takes (left, right, 2^right − 1 and half of it), and
        /// each even lane's odd neighbour's multiplier.
        /// </summary>
        private sealed class OutputConstants
        {
            private static readonly ConditionalWeakTable<int[], OutputConstants> Cache = new ConditionalWeakTable<int[], OutputConstants>();

            public readonly int[] Bias;
            public readonly int[] Multiplier, OddMultiplier, Left, Right, Mask, Half;
            private readonly int[] multiplierSource, shiftSource;

            private OutputConstants(int[] bias, int[] multiplier, int[] shift)
            {
                const int Sixteen = 2 * PackedLayer.Lanes;
                int outputs = bias.Length;
                Bias = new int[(outputs + Sixteen - 1) / Sixteen * Sixteen];
                Array.Copy(bias, Bias, outputs);
                multiplierSource = multiplier;
                shiftSource = shift;
                if (multiplier != null)
                {
                    int period = outputs;
                    while (period % Sixteen != 0)
                    {
                        period += outputs;
                    }

                    Multiplier = new int[period];
                    OddMultiplier = new int[period];
                    Left = new int[period];
                    Right = new int[period];
                    Mask = new int[period];
                    Half = new int[period];
                    for (int i = 0; i < period; i++)
                    {
                        Multiplier[i] = multiplier[i % outputs];
                        OddMultiplier[i] = i % 2 == 0 ? multiplier[(i + 1) % outputs] : 0;
                        Left[i] = Math.Max(shift[i % outputs], 0);
                        Right[i] = Math.Max(-shift[i % outputs], 0);
                        Mask[i] = (int)((1L << Right[i]) - 1);
                        Half[i] = Mask[i] >> 1;
                    }
                }
            }

            /// <summary>The constants of a layer (the requantization left out when <paramref name="multiplier"/> is null: sums only).</summary>
            public static OutputConstants For(int[] bias, int[] multiplier, int[] shift)
            {
                OutputConstants constants;
                if (Cache.TryGetValue(bias, out constants)
                    && (multiplier == null || (constants.multiplierSource == multiplier && constants.shiftSource == shift)))
                {
                    return constants;
                }

                constants = new OutputConstants(bias, multiplier, shift);
                Cache.AddOrUpdate(bias, constants);
                return constants;
            }
        }

        private static short[] Column(int length)
        {
            short[] x = column;
            if (x == null || x.Length < length)
            {
                x = new short[length];
                column = x;
            }

            // The tap past an odd depth multiplies a zero weight, but an int16 left over could be anything: clear it.
            x[length - 1] = 0;
            return x;
        }

        /// <summary>
        /// The buffer for a convolution's input image as int16 (x − inZeroPoint) inside a border of zeros as wide as the
        /// padding its windows reach, the border cleared (<see cref="Pad"/> writes the inside, per image): every tap of every
        /// window is then in the buffer, and one in the padding adds nothing (and one int16 past the end, zero). <paramref name="rowLength"/>: int16 per padded row.
        /// </summary>
        private static short[] PaddedImage(int[] a, out int rowLength)
        {
            int depth = a[ConvInputDepth];
            int paddedHeight = Math.Max(a[ConvPadTop] + a[ConvInputHeight],
                (a[ConvOutputHeight] - 1) * a[ConvStrideHeight] + (a[ConvFilterHeight] - 1) * a[ConvDilationHeight] + 1);
            int paddedWidth = Math.Max(a[ConvPadLeft] + a[ConvInputWidth],
                (a[ConvOutputWidth] - 1) * a[ConvStrideWidth] + (a[ConvFilterWidth] - 1) * a[ConvDilationWidth] + 1);
            // One int16 more: Conv2D reads a pair's second tap one past a segment of odd length (times a zero weight).
            int length = paddedHeight * paddedWidth * depth + 1;
            if (image == null || image.Length < length)
            {
                image = new short[length];
            }

            Array.Clear(image, 0, length);
            rowLength = paddedWidth * depth;
            return image;
        }

        /// <summary>A depthwise layer's int8 weights widened to int32 (for vpmulld), once per weights array.</summary>
        private static int[] WideWeights(sbyte[] weights)
        {
            int[] wide;
            if (!Wide.TryGetValue(weights, out wide))
            {
                wide = new int[weights.Length];
                for (int i = 0; i < weights.Length; i++)
                {
                    wide[i] = weights[i];
                }

                Wide.AddOrUpdate(weights, wide);
            }

            return wide;
        }

        private static void CheckLayer(sbyte[] weights, long weightCount, int[] bias, int[] multiplier, int[] shift, int outputs)
        {
            if (weights.Length != weightCount || bias.Length != outputs
                || (multiplier != null && (multiplier.Length != outputs || shift.Length != outputs)))
            {
                throw new ArgumentException("weights, bias or requantization do not match the layer's arguments");
            }
        }

        private static void CheckSpan(sbyte[] arena, int offset, long length)
        {
            if (offset < 0 || length < 0 || offset + length > arena.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(arena), "a tensor outside the arena");
            }
        }

        private static void CheckResult(sbyte[] arena, int output, int[] accumulators, long length)
        {
            if (accumulators == null)
            {
                CheckSpan(arena, output, length);
            }
            else if (accumulators.Length != length)
            {
                throw new ArgumentException("accumulators do not match the layer's outputs");
            }
        }
    }
}
