namespace QuantEdge.Runtime.Kernels
{
    /// <summary>Parameters of an int8 depthwise 2-D convolution (NHWC activations, 1HWC weights), all precomputed on the host.</summary>
    public sealed class DepthwiseConv2DParams : ConvolutionParams
    {
        /// <summary>Output channels per input channel; output channel o reads input channel o / DepthMultiplier.</summary>
        public int DepthMultiplier;

        /// <summary>
        /// FilterHeight × FilterWidth × OutputDepth weights (TFLite's 1HWC order): the channels of
        /// one tap are adjacent, as in the NHWC input. Symmetric int8, one scale per output channel.
        /// </summary>
        public sbyte[] Weights;

        /// <summary>Scratch of OutputDepth ints for the general walk (<see cref="DepthwiseConv2D.AllocateScratch"/>); null on the 3×3 walk.</summary>
        public int[] Accumulators;

        /// <summary>
        /// The 3×3 walk's scratch (<see cref="DepthwiseConv2D.AllocateScratch"/>): three input rows with their
        /// padding, <see cref="DepthwiseConv2D.BandWidth"/> pixels of InputDepth channels each, the padding
        /// filled with the input zero point. Null on the general walk.
        /// </summary>
        public sbyte[] Band;

        /// <summary>
        /// The 3×3 walk's per-channel constants, worked out once at load rather than for every output row: for channel c,
        /// [3c] the bias with the input zero point folded in (bias − zp × Σ w), [3c + 1] and [3c + 2] the left and the total
        /// shift of its requantization (<see cref="OutputStage.LeftShift"/>, <see cref="OutputStage.TotalShift"/>). Null on the general walk.
        /// </summary>
        public int[] ChannelTerms;

        /// <summary>The 3×3 walk's rounding terms: [2c] <see cref="OutputStage.RoundUp"/>, [2c + 1] <see cref="OutputStage.RoundDown"/> of channel c's shift.</summary>
        public long[] ChannelRounding;
    }

    /// <summary>
    /// out[n][oy][ox][o] = clamp(MBQM(Bias[o] + Σ (x[n][iy][ix][o / mult] − inZeroPoint) × w[ky][kx][o], M[o], S[o]) + outZeroPoint, min, max),
    /// summed over the taps inside the input, with iy = oy × strideH − padTop + ky × dilationH
    /// (ix likewise). TFLite's reference DepthwiseConv, bit for bit.
    /// </summary>
    public static class DepthwiseConv2D
    {
        /// <summary>
        /// Allocates what <see cref="Eval"/> works in, once, after the other parameters are set: the band of
        /// the 3×3 walk (<see cref="Walks3x3"/>), else the general walk's accumulators.
        /// </summary>
        public static void AllocateScratch(DepthwiseConv2DParams p)
        {
            if (!Walks3x3(p))
            {
                p.Accumulators = new int[p.OutputDepth];
                return;
            }

            sbyte[] band = new sbyte[3 * BandWidth(p) * p.InputDepth];
            for (int i = 0; i < band.Length; i++)
            {
                band[i] = (sbyte)p.InputZeroPoint;
            }

            p.Band = band;
            int channels = p.OutputDepth;
            int[] terms = new int[3 * channels];
            long[] rounding = new long[2 * channels];
            for (int c = 0; c < channels; c++)
            {
                int sum = 0;
                for (int tap = 0; tap < 9; tap++)
                {
                    sum += p.Weights[tap * channels + c];
                }

                int shift = p.OutputShift[c];
                terms[3 * c] = p.Bias[c] - p.InputZeroPoint * sum;
                terms[3 * c + 1] = OutputStage.LeftShift(shift);
                terms[3 * c + 2] = OutputStage.TotalShift(shift);
                rounding[2 * c] = OutputStage.RoundUp(shift);
                rounding[2 * c + 1] = OutputStage.RoundDown(shift);
            }

            p.ChannelTerms = terms;
            p.ChannelRounding = rounding;
        }

        /// <summary>
        /// The common MobileNet-style layer: 3×3 filter, one output channel per input channel, no dilation, any
        /// stride, padding of at most 2 on the leading sides. It runs on a padded band of three input rows.
        /// </summary>
        public static bool Walks3x3(DepthwiseConv2DParams p)
        {
            return p.FilterHeight == 3 && p.FilterWidth == 3 && p.DepthMultiplier == 1 && p.DilationHeight == 1 && p.DilationWidth == 1
                && p.PadTop >= 0 && p.PadTop <= 2 && p.PadLeft >= 0 && p.PadLeft <= 2;
        }

        /// <summary>Pixels in one row of the band: the columns the output row's windows span, padding included.</summary>
        public static int BandWidth(DepthwiseConv2DParams p)
        {
            return (p.OutputWidth - 1) * p.StrideWidth + 3;
        }

        /// <summary>Runs the layer on the arena: input NHWC at <paramref name="inputOffset"/>, output NHWC at <paramref name="outputOffset"/>.</summary>
        public static void Eval(DepthwiseConv2DParams p, sbyte[] arena, int inputOffset, int outputOffset)
        {
            if (p.Band != null)
            {
                Eval3x3(p, arena, inputOffset, outputOffset);
                return;
            }

            int channels = p.InputDepth;
            int outputs = p.OutputDepth;
            int multiplier = p.DepthMultiplier;
            int inputRow = p.InputWidth * channels;
            int filterWidth = p.FilterWidth;
            int dilationHeight = p.DilationHeight;
            int dilationWidth = p.DilationWidth;
            int tapStride = dilationWidth * channels;
            int zeroPoint = p.InputZeroPoint;
            sbyte[] weights = p.Weights;
            int[] acc = p.Accumulators;
            int output = outputOffset;
            for (int b = 0; b < p.Batches; b++)
            {
                int image = inputOffset + b * p.InputHeight * inputRow;
                for (int oy = 0; oy < p.OutputHeight; oy++)
                {
                    int originY = oy * p.StrideHeight - p.PadTop;
                    int kyFirst = FilterWindow.FirstTap(originY, dilationHeight);
                    int kyEnd = FilterWindow.EndTap(originY, p.InputHeight, dilationHeight, p.FilterHeight);
                    for (int ox = 0; ox < p.OutputWidth; ox++)
                    {
                        int originX = ox * p.StrideWidth - p.PadLeft;
                        int kxFirst = FilterWindow.FirstTap(originX, dilationWidth);
                        int kxEnd = FilterWindow.EndTap(originX, p.InputWidth, dilationWidth, filterWidth);
                        int firstColumn = (originX + kxFirst * dilationWidth) * channels;
                        if (multiplier == 1)
                        {
                            int firstInput = image + (originY + kyFirst * dilationHeight) * inputRow + firstColumn;
                            Pixel(p, arena, firstInput, (kyFirst * filterWidth + kxFirst) * outputs, kyEnd - kyFirst, kxEnd - kxFirst, output);
                            output += outputs;
                            continue;
                        }

                        System.Array.Copy(p.Bias, acc, outputs);
                        // Tap by tap, the innermost loop walks the channels: input and weights
                        // both contiguous, each channel its own accumulator.
                        for (int ky = kyFirst; ky < kyEnd; ky++)
                        {
                            int x = image + (originY + ky * dilationHeight) * inputRow + firstColumn;
                            int w = (ky * filterWidth + kxFirst) * outputs;
                            for (int kx = kxFirst; kx < kxEnd; kx++, x += tapStride, w += outputs)
                            {
                                if (multiplier == 1)
                                {
                                    for (int c = 0; c < outputs; c++)
                                    {
                                        acc[c] += (arena[x + c] - zeroPoint) * weights[w + c];
                                    }
                                }
                                else
                                {
                                    // The `multiplier` adjacent output channels of one input channel share its value: load it once.
                                    int o = 0;
                                    for (int i = x, end = x + channels; i < end; i++)
                                    {
                                        int v = arena[i] - zeroPoint;
                                        for (int group = o + multiplier; o < group; o++)
                                        {
                                            acc[o] += v * weights[w + o];
                                        }
                                    }
                                }
                            }
                        }

                        Requantize(p, acc, arena, output);
                        output += outputs;
                    }
                }
            }
        }

        /// <summary>
        /// One output pixel of a layer with one output channel per input channel, four channels per pass:
        /// their accumulators in locals, the window's taps walked once per four channels (against a pass
        /// per tap over an accumulator array, the interpreter's cost per MAC about halves). <paramref name="input"/>
        /// and <paramref name="weight"/> are channel 0 of the first valid tap; <paramref name="rows"/> ×
        /// <paramref name="taps"/> valid taps.
        /// </summary>
        private static void Pixel(DepthwiseConv2DParams p, sbyte[] arena, int input, int weight, int rows, int taps, int output)
        {
            int channels = p.OutputDepth;
            int zeroPoint = p.InputZeroPoint;
            int tapStride = p.DilationWidth * channels;
            int inputRowStep = p.DilationHeight * p.InputWidth * channels;
            int weightRowStep = p.FilterWidth * channels;
            sbyte[] weights = p.Weights;
            int[] bias = p.Bias, multiplier = p.OutputMultiplier, shift = p.OutputShift;
            int outputZeroPoint = p.OutputZeroPoint, min = p.ActivationMin, max = p.ActivationMax;
            int c = 0;
            for (; c + 4 <= channels; c += 4)
            {
                int a0 = bias[c], a1 = bias[c + 1], a2 = bias[c + 2], a3 = bias[c + 3];
                for (int r = 0, xr = input + c, wr = weight + c; r < rows; r++, xr += inputRowStep, wr += weightRowStep)
                {
                    for (int x = xr, w = wr, end = xr + taps * tapStride; x < end; x += tapStride, w += channels)
                    {
                        a0 += (arena[x] - zeroPoint) * weights[w];
                        a1 += (arena[x + 1] - zeroPoint) * weights[w + 1];
                        a2 += (arena[x + 2] - zeroPoint) * weights[w + 2];
                        a3 += (arena[x + 3] - zeroPoint) * weights[w + 3];
                    }
                }

                arena[output + c] = OutputStage.Requantize(a0, multiplier[c], shift[c], outputZeroPoint, min, max);
                arena[output + c + 1] = OutputStage.Requantize(a1, multiplier[c + 1], shift[c + 1], outputZeroPoint, min, max);
                arena[output + c + 2] = OutputStage.Requantize(a2, multiplier[c + 2], shift[c + 2], outputZeroPoint, min, max);
                arena[output + c + 3] = OutputStage.Requantize(a3, multiplier[c + 3], shift[c + 3], outputZeroPoint, min, max);
            }

            for (; c < channels; c++)
            {
                int a = bias[c];
                for (int r = 0, xr = input + c, wr = weight + c; r < rows; r++, xr += inputRowStep, wr += weightRowStep)
                {
                    for (int x = xr, w = wr, end = xr + taps * tapStride; x < end; x += tapStride, w += channels)
                    {
                        a += (arena[x] - zeroPoint) * weights[w];
                    }
                }

                arena[output + c] = OutputStage.Requantize(a, multiplier[c], shift[c], outputZeroPoint, min, max);
            }
        }

        /// <summary>
        /// The 3×3 walk. Per output row, the three input rows its windows read are copied (natively) into the band,
        /// whose padding already holds the input zero point: every window is then whole, so no tap is tested or
        /// skipped, and Σ (x − zp) × w = Σ x × w − zp × Σ w folds the zero point into the bias. Per channel the nine
        /// weights and the requantization terms (worked out at load, <see cref="DepthwiseConv2DParams.ChannelTerms"/>) sit in locals, and the row's pixels of that channel are walked
        /// with the nine taps written out and the requantization inline: one array read per MAC and no call per
        /// output (at stride 1, <see cref="Row3x3Stride1"/>: one read per three MACs).
        /// </summary>
        private static void Eval3x3(DepthwiseConv2DParams p, sbyte[] arena, int inputOffset, int outputOffset)
        {
            int channels = p.InputDepth;
            int inputRow = p.InputWidth * channels;
            int bandRow = BandWidth(p) * channels;
            // The input columns the band holds, after the left padding: all of them, or as many as the windows reach.
            int copied = p.InputWidth < BandWidth(p) - p.PadLeft ? p.InputWidth : BandWidth(p) - p.PadLeft;
            int bandColumn = p.PadLeft * channels;
            int pixelStep = p.StrideWidth * channels;
            int zeroPoint = p.InputZeroPoint, outputZeroPoint = p.OutputZeroPoint, min = p.ActivationMin, max = p.ActivationMax;
            int outputRow = p.OutputWidth * channels;
            sbyte[] band = p.Band;
            sbyte[] weights = p.Weights;
            int[] terms = p.ChannelTerms, multipliers = p.OutputMultiplier;
            long[] rounding = p.ChannelRounding;
            // Offsets of the taps from a window's first: the channel stride across, the band row down.
            int c1 = channels, c2 = 2 * channels;
            int r1 = bandRow, r1c1 = bandRow + channels, r1c2 = bandRow + 2 * channels;
            int r2 = 2 * bandRow, r2c1 = 2 * bandRow + channels, r2c2 = 2 * bandRow + 2 * channels;
            int output = outputOffset;
            for (int b = 0; b < p.Batches; b++)
            {
                int image = inputOffset + b * p.InputHeight * inputRow;
                for (int oy = 0; oy < p.OutputHeight; oy++, output += outputRow)
                {
                    for (int k = 0, y = oy * p.StrideHeight - p.PadTop; k < 3; k++, y++)
                    {
                        if (y >= 0 && y < p.InputHeight)
                        {
                            System.Array.Copy(arena, image + y * inputRow, band, k * bandRow + bandColumn, copied * channels);
                        }
                        else
                        {
                            for (int i = k * bandRow + bandColumn, end = i + copied * channels; i < end; i++)
                            {
                                band[i] = (sbyte)zeroPoint;
                            }
                        }
                    }

                    for (int c = 0; c < channels; c++)
                    {
                        int w0 = weights[c], w1 = weights[c1 + c], w2 = weights[c2 + c];
                        int w3 = weights[3 * channels + c], w4 = weights[4 * channels + c], w5 = weights[5 * channels + c];
                        int w6 = weights[6 * channels + c], w7 = weights[7 * channels + c], w8 = weights[8 * channels + c];
                        int folded = terms[3 * c], left = terms[3 * c + 1], total = terms[3 * c + 2];
                        long up = rounding[2 * c], down = rounding[2 * c + 1];
                        long multiplier = multipliers[c];
                        if (pixelStep == channels)
                        {
                            Row3x3Stride1(band, c, channels, bandRow, w0, w1, w2, w3, w4, w5, w6, w7, w8, arena, output + c, output + outputRow,
                                folded, multiplier, left, total, up, down, outputZeroPoint, min, max);
                            continue;
                        }

                        for (int x = c, o = output + c, end = output + outputRow; o < end; x += pixelStep, o += channels)
                        {
                            int acc = folded + band[x] * w0 + band[x + c1] * w1 + band[x + c2] * w2
                                + band[x + r1] * w3 + band[x + r1c1] * w4 + band[x + r1c2] * w5
                                + band[x + r2] * w6 + band[x + r2c1] * w7 + band[x + r2c2] * w8;
                            long product = (acc << left) * multiplier;
                            int value = (int)((product + (product < OutputStage.NegativeHalf ? down : up)) >> total) + outputZeroPoint;
                            arena[o] = (sbyte)(value < min ? min : value > max ? max : value);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// One channel of one output row at stride 1, three MACs per multiply: the three taps of a filter row
        /// packed in one long in 21-bit lanes, w[ky][2] + w[ky][1] × 2^21 + w[ky][0] × 2^42, so that an input value
        /// times it gives its products for the three outputs whose windows hold it. Column j's three values times
        /// the three packed rows are added to a running sum whose lanes are then out(j − 2), out(j − 1) and out(j),
        /// each partial; after a column the low lane is complete, is taken off (sign-extended) and the sum moves
        /// down one lane. A lane never holds more than nine int8 × int8 products (|Σ| &lt; 2^18 &lt; 2^20), so the
        /// lanes never spill into each other.
        /// </summary>
        private static void Row3x3Stride1(sbyte[] band, int x, int channels, int bandRow, int w0, int w1, int w2, int w3, int w4, int w5, int w6, int w7, int w8,
            sbyte[] arena, int output, int end, int folded, long multiplier, int left, int total, long up, long down, int zeroPoint, int min, int max)
        {
            long top = w2 + ((long)w1 << 21) + ((long)w0 << 42);
            long middle = w5 + ((long)w4 << 21) + ((long)w3 << 42);
            long bottom = w8 + ((long)w7 << 21) + ((long)w6 << 42);
            int r1 = bandRow, r2 = 2 * bandRow;
            // The first two columns start the lanes of out(0) and out(1); out(−2) and out(−1) do not exist.
            long sum = band[x] * top + band[x + r1] * middle + band[x + r2] * bottom;
            int low = (int)((sum << 43) >> 43);
            x += channels;
            sum = ((sum - low) >> 21) + band[x] * top + band[x + r1] * middle + band[x + r2] * bottom;
            low = (int)((sum << 43) >> 43);
            // Column x completes the output at x + toOutput: one index for both.
            x += channels;
            int toOutput = output - x;
            for (int xEnd = x + (end - output); x < xEnd; x += channels)
            {
                sum = ((sum - low) >> 21) + band[x] * top + band[x + r1] * middle + band[x + r2] * bottom;
                low = (int)((sum << 43) >> 43);
                long product = ((folded + low) << left) * multiplier;
                int value = (int)((product + (product < OutputStage.NegativeHalf ? down : up)) >> total) + zeroPoint;
                arena[x + toOutput] = (sbyte)(value < min ? min : value > max ? max : value);
            }
        }

        private static void Requantize(DepthwiseConv2DParams p, int[] acc, sbyte[] arena, int output)
        {
            int[] multiplier = p.OutputMultiplier;
            int[] shift = p.OutputShift;
            int zeroPoint = p.OutputZeroPoint, min = p.ActivationMin, max = p.ActivationMax;
            for (int o = 0; o < p.OutputDepth; o++)
            {
                arena[output + o] = OutputStage.Requantize(acc[o], multiplier[o], shift[o], zeroPoint, min, max);
            }
        }
    }
}
