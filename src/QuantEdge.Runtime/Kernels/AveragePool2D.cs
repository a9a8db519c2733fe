namespace QuantEdge.Runtime.Kernels
{
    /// <summary>
    /// out[b][oy][ox][c] = clamp(round(Σ x / n), min, max) over the window clipped to the input, n the
    /// number of elements left in it (padding is not counted). Rounding as TFLite's reference int8
    /// average pool: half away from zero by truncating division, (s ± n/2) / n.
    /// Requires <see cref="Pool2DParams.EveryWindowOverlapsInput"/> (else n = 0).
    /// </summary>
    public static class AveragePool2D
    {
        /// <summary>Pools the NHWC input at <paramref name="inputOffset"/> into the NHWC output at <paramref name="outputOffset"/>.</summary>
        public static void Eval(Pool2DParams p, sbyte[] arena, int inputOffset, int outputOffset)
        {
            int inputHeight = p.InputHeight, inputWidth = p.InputWidth, channels = p.Channels;
            int outputHeight = p.OutputHeight, outputWidth = p.OutputWidth;
            int filterHeight = p.FilterHeight, filterWidth = p.FilterWidth;
            int strideHeight = p.StrideHeight, strideWidth = p.StrideWidth, padTop = p.PadTop, padLeft = p.PadLeft;
            int min = p.ActivationMin, max = p.ActivationMax;
            int rowStride = inputWidth * channels;
            // The taps of a whole 2×2 window from its first, the common pool taken without loops over the window.
            bool twoByTwo = filterHeight == 2 && filterWidth == 2;
            int right = channels, below = rowStride, belowRight = rowStride + channels;
            int output = outputOffset;
            for (int b = 0; b < p.Batches; b++)
            {
                int image = inputOffset + b * inputHeight * rowStride;
                for (int oy = 0; oy < outputHeight; oy++)
                {
                    int y0 = oy * strideHeight - padTop;
                    int y1 = y0 + filterHeight;
                    if (y0 < 0) y0 = 0;
                    if (y1 > inputHeight) y1 = inputHeight;
                    for (int ox = 0; ox < outputWidth; ox++)
                    {
                        int x0 = ox * strideWidth - padLeft;
                        int x1 = x0 + filterWidth;
                        if (x0 < 0) x0 = 0;
                        if (x1 > inputWidth) x1 = inputWidth;
                        int windowStart = image + y0 * rowStride + x0 * channels;
                        int windowRowSpan = (x1 - x0) * channels;
                        int windowRows = y1 - y0;
                        int count = windowRows * (x1 - x0);
                        int halfCount = count / 2;
                        if (twoByTwo && count == 4)
                        {
                            for (int i = windowStart, end = windowStart + channels; i < end; i++)
                            {
                                int sum = arena[i] + arena[i + right] + arena[i + below] + arena[i + belowRight];
                                int average = sum > 0 ? (sum + 2) / 4 : (sum - 2) / 4;
                                arena[output++] = (sbyte)(average < min ? min : average > max ? max : average);
                            }

                            continue;
                        }

                        for (int c = 0; c < channels; c++)
                        {
                            int sum = 0;
                            int rowStart = windowStart + c;
                            for (int r = 0; r < windowRows; r++, rowStart += rowStride)
                            {
                                int rowEnd = rowStart + windowRowSpan;
                                for (int i = rowStart; i < rowEnd; i += channels)
                                {
                                    sum += arena[i];
                                }
                            }

                            int average = sum > 0 ? (sum + halfCount) / count : (sum - halfCount) / count;
                            if (average < min) average = min;
                            else if (average > max) average = max;
                            arena[output++] = (sbyte)average;
                        }
                    }
                }
            }
        }
    }
}
