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
