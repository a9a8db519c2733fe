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

        /// <summary>Scratch of OutputDepth ints, allocated with the parameters so that Eval allocates nothing.</summary>
        public int[] Accumulators;
    }

    /// <summary>
    /// out[n][oy][ox][o] = clamp(MBQM(Bias[o] + Σ (x[n][iy][ix][o / mult] − inZeroPoint) × w[ky][kx][o], M[o], S[o]) + outZeroPoint, min, max),
    /// summed over the taps inside the input, with iy = oy × strideH − padTop + ky × dilationH
    /// (ix likewise). TFLite's reference DepthwiseConv, bit for bit.
    /// </summary>
    public static class DepthwiseConv2D
    {
        /// <summary>Runs the layer on the arena: input NHWC at <paramref name="inputOffset"/>, output NHWC at <paramref name="outputOffset"/>.</summary>
        public static void Eval(DepthwiseConv2DParams p, sbyte[] arena, int inputOffset, int outputOffset)
        {
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
