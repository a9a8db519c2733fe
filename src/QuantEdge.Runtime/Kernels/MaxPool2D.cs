namespace QuantEdge.Runtime.Kernels
{
    /// <summary>
    /// out[b][oy][ox][c] = clamp(max over the window clipped to the input of x[b][iy][ix][c], min, max)
    /// (TFLite's reference int8 max pool; padding never wins the max).
    /// </summary>
    public static class MaxPool2D
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
                        // The window's first element of channel 0, and the span of one window row.
                        int windowStart = image + y0 * rowStride + x0 * channels;
                        int windowRowSpan = (x1 - x0) * channels;
                        int windowRows = y1 - y0;
                        if (twoByTwo && windowRows == 2 && windowRowSpan == 2 * channels)
                        {
                            for (int i = windowStart, end = windowStart + channels; i < end; i++)
                            {
                                int best = arena[i], v = arena[i + right];
                                if (v > best) best = v;
                                v = arena[i + below];
                                if (v > best) best = v;
                                v = arena[i + belowRight];
                                if (v > best) best = v;
                                arena[output++] = (sbyte)(best < min ? min : best > max ? max : best);
                            }

                            continue;
                        }

                        for (int c = 0; c < channels; c++)
                        {
                            int best = -128;
                            int rowStart = windowStart + c;
                            for (int r = 0; r < windowRows; r++, rowStart += rowStride)
                            {
                                int rowEnd = rowStart + windowRowSpan;
                                for (int i = rowStart; i < rowEnd; i += channels)
                                {
                                    int v = arena[i];
                                    if (v > best) best = v;
                                }
                            }

                            if (best < min) best = min;
                            else if (best > max) best = max;
                            arena[output++] = (sbyte)best;
                        }
                    }
                }
            }
        }
    }
}
