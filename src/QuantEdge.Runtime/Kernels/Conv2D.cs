namespace QuantEdge.Runtime.Kernels
{
    /// <summary>Parameters of an int8 2-D convolution (NHWC activations, OHWI weights), all precomputed on the host.</summary>
    public sealed class Conv2DParams : ConvolutionParams
    {
        /// <summary>
        /// OutputDepth rows of FilterHeight × FilterWidth × InputDepth weights (OHWI order), symmetric
        /// int8, one scale per output channel.
        /// </summary>
        public ChannelWeights Weights;

        /// <summary>
        /// Zero point of the weights: 0 for the symmetric weights QuantEdge makes; nonzero only for
        /// models quantized elsewhere with asymmetric weights. Costs one extra pass over each
        /// output pixel's window (the sum of its inputs, which the zero point multiplies).
        /// </summary>
        public int WeightZeroPoint;
    }

    /// <summary>
    /// out[n][oy][ox][o] = clamp(MBQM(Bias[o] + Σ (x[n][iy][ix][i] − inZeroPoint) × (w[o][ky][kx][i] − wZeroPoint), M[o], S[o]) + outZeroPoint, min, max),
    /// summed over the taps inside the input, with iy = oy × strideH − padTop + ky × dilationH
    /// (ix likewise). TFLite's reference Conv, bit for bit.
    /// </summary>
    public static class Conv2D
    {
        /// <summary>Runs the layer on the arena: input NHWC at <paramref name="inputOffset"/>, output NHWC at <paramref name="outputOffset"/>.</summary>
        public static void Eval(Conv2DParams p, sbyte[] arena, int inputOffset, int outputOffset)
        {
            Run(p, arena, inputOffset, outputOffset, null);
        }

        /// <summary>
        /// The layer's int32 accumulators instead of its int8 outputs: Bias[o] + Σ (x − inZeroPoint) × (w − wZeroPoint),
        /// before requantization, NHWC from index 0 of <paramref name="accumulators"/> (ONNX ConvInteger's result).
        /// The same window walk and dot products as <see cref="Eval"/>, one channel (or pair) at a time.
        /// </summary>
        public static void Accumulate(Conv2DParams p, sbyte[] arena, int inputOffset, int[] accumulators)
        {
            Run(p, arena, inputOffset, 0, accumulators);
        }

        /// <summary>Walks every output pixel's window; with <paramref name="accumulators"/> it stores sums, otherwise int8 outputs at <paramref name="outputOffset"/>.</summary>
        private static void Run(Conv2DParams p, sbyte[] arena, int inputOffset, int outputOffset, int[] accumulators)
        {
            int depth = p.InputDepth;
            int inputRow = p.InputWidth * depth;
            int filterRow = p.FilterWidth * depth;
            int dilationHeight = p.DilationHeight;
            int dilationWidth = p.DilationWidth;
            // Without horizontal dilation the valid taps of one filter row are adjacent in both the
            // NHWC input and the OHWI weights: one dot product per filter row instead of one per tap.
            bool rowIsOneRun = dilationWidth == 1;
            bool pairs = p.Weights.Layout == WeightLayout.Int64Pairs;
            int weightZeroPoint = p.WeightZeroPoint;
            int output = outputOffset;
            for (int b = 0; b < p.Batches; b++)
            {
                int image = inputOffset + b * p.InputHeight * inputRow;
                for (int oy = 0; oy < p.OutputHeight; oy++)
                {
                    int originY = oy * p.StrideHeight - p.PadTop;
                    int kyFirst = FilterWindow.FirstTap(originY, dilationHeight);
                    int rows = FilterWindow.EndTap(originY, p.InputHeight, dilationHeight, p.FilterHeight) - kyFirst;
                    int firstRowInput = image + (originY + kyFirst * dilationHeight) * inputRow;
                    for (int ox = 0; ox < p.OutputWidth; ox++)
                    {
                        int originX = ox * p.StrideWidth - p.PadLeft;
                        int kxFirst = FilterWindow.FirstTap(originX, dilationWidth);
                        int taps = FilterWindow.EndTap(originX, p.InputWidth, dilationWidth, p.FilterWidth) - kxFirst;
                        // The window of this pixel: `rows` filter rows, each `runs` runs of `run`
                        // weights; weight index k reads input k + shift. All taps in the padding
                        // leave rows, runs or run at zero or below, and nothing is read.
                        int first = kyFirst * filterRow + kxFirst * depth;
                        int shift = firstRowInput + (originX + kxFirst * dilationWidth) * depth - first;
                        int runs = rowIsOneRun ? 1 : taps;
                        int run = rowIsOneRun ? taps * depth : depth;
                        int correction = weightZeroPoint == 0 ? 0 : -weightZeroPoint * WindowSum(p, arena, first, shift, rows, runs, run);
                        if (accumulators != null)
                        {
                            AccumulatePixel(p, arena, accumulators, output, first, shift, rows, runs, run, correction);
                        }
                        else if (pairs)
                        {
                            EvalPairs(p, arena, output, first, shift, rows, runs, run, correction);
                        }
                        else
                        {
                            EvalRows(p, arena, output, first, shift, rows, runs, run, correction);
                        }

                        output += p.OutputDepth;
                    }
                }
            }
        }

        /// <summary>One output pixel with <see cref="WeightLayout.Int64Pairs"/>: eight channels per pass over the window, then pairs.</summary>
        private static void EvalPairs(Conv2DParams p, sbyte[] arena, int output, int first, int shift, int rows, int runs, int run, int correction)
        {
            long[][] weights = p.Weights.Pairs;
            int[] bias = p.Bias;
            int outputs = p.OutputDepth;
            int zeroPoint = p.InputZeroPoint;
            int depth = p.InputDepth;
            int filterRow = p.FilterWidth * depth;
            int rowShift = RowShift(p);
            int runShift = RunShift(p);
            int pair = 0;
            int o = 0;
            for (; o + 16 <= outputs; o += 16, pair += 8)
            {
                long a0 = Dot.PackLanes(bias[o] + correction, bias[o + 1] + correction);
                long a1 = Dot.PackLanes(bias[o + 2] + correction, bias[o + 3] + correction);
                long a2 = Dot.PackLanes(bias[o + 4] + correction, bias[o + 5] + correction);
                long a3 = Dot.PackLanes(bias[o + 6] + correction, bias[o + 7] + correction);
                long a4 = Dot.PackLanes(bias[o + 8] + correction, bias[o + 9] + correction);
                long a5 = Dot.PackLanes(bias[o + 10] + correction, bias[o + 11] + correction);
                long a6 = Dot.PackLanes(bias[o + 12] + correction, bias[o + 13] + correction);
                long a7 = Dot.PackLanes(bias[o + 14] + correction, bias[o + 15] + correction);
                for (int row = 0, k = first, s = shift; row < rows; row++, k += filterRow, s += rowShift)
                {
                    for (int r = 0, rk = k, rs = s; r < runs; r++, rk += depth, rs += runShift)
                    {
                        Dot.Pairs8(weights, pair, rk, rk + run, arena, rs, zeroPoint, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
                    }
                }

                StorePair(p, arena, output, o, a0);
                StorePair(p, arena, output, o + 2, a1);
                StorePair(p, arena, output, o + 4, a2);
                StorePair(p, arena, output, o + 6, a3);
                StorePair(p, arena, output, o + 8, a4);
                StorePair(p, arena, output, o + 10, a5);
                StorePair(p, arena, output, o + 12, a6);
                StorePair(p, arena, output, o + 14, a7);
            }

            for (; o + 8 <= outputs; o += 8, pair += 4)
            {
                long[] w0 = weights[pair], w1 = weights[pair + 1], w2 = weights[pair + 2], w3 = weights[pair + 3];
                long a0 = Dot.PackLanes(bias[o] + correction, bias[o + 1] + correction);
                long a1 = Dot.PackLanes(bias[o + 2] + correction, bias[o + 3] + correction);
                long a2 = Dot.PackLanes(bias[o + 4] + correction, bias[o + 5] + correction);
                long a3 = Dot.PackLanes(bias[o + 6] + correction, bias[o + 7] + correction);
                for (int row = 0, k = first, s = shift; row < rows; row++, k += filterRow, s += rowShift)
                {
                    for (int r = 0, rk = k, rs = s; r < runs; r++, rk += depth, rs += runShift)
                    {
                        Dot.Pairs4(w0, w1, w2, w3, rk, rk + run, arena, rs, zeroPoint, ref a0, ref a1, ref a2, ref a3);
                    }
                }

                StorePair(p, arena, output, o, a0);
                StorePair(p, arena, output, o + 2, a1);
                StorePair(p, arena, output, o + 4, a2);
                StorePair(p, arena, output, o + 6, a3);
            }

            for (; o < outputs; o += 2, pair++)
            {
                long[] w = weights[pair];
                long acc = Dot.PackLanes(bias[o] + correction, o + 1 < outputs ? bias[o + 1] + correction : 0);
                for (int row = 0, k = first, s = shift; row < rows; row++, k += filterRow, s += rowShift)
                {
                    for (int r = 0, rk = k, rs = s; r < runs; r++, rk += depth, rs += runShift)
                    {
                        acc = Dot.Pair(w, rk, rk + run, arena, rs, zeroPoint, acc);
                    }
                }

                StorePair(p, arena, output, o, acc);
            }
        }

        /// <summary>One output pixel with <see cref="WeightLayout.Int8Rows"/>: sixteen channels per pass over the window, then eight, four, one.</summary>
        private static void EvalRows(Conv2DParams p, sbyte[] arena, int output, int first, int shift, int rows, int runs, int run, int correction)
        {
            sbyte[][] weights = p.Weights.Rows;
            int[] bias = p.Bias;
            int outputs = p.OutputDepth;
            int zeroPoint = p.InputZeroPoint;
            int depth = p.InputDepth;
            int filterRow = p.FilterWidth * depth;
            int rowShift = RowShift(p);
            int runShift = RunShift(p);
            int o = 0;
            for (; o + 16 <= outputs; o += 16)
            {
                int a0 = bias[o] + correction, a1 = bias[o + 1] + correction, a2 = bias[o + 2] + correction, a3 = bias[o + 3] + correction;
                int a4 = bias[o + 4] + correction, a5 = bias[o + 5] + correction, a6 = bias[o + 6] + correction, a7 = bias[o + 7] + correction;
                int a8 = bias[o + 8] + correction, a9 = bias[o + 9] + correction, a10 = bias[o + 10] + correction, a11 = bias[o + 11] + correction;
                int a12 = bias[o + 12] + correction, a13 = bias[o + 13] + correction, a14 = bias[o + 14] + correction, a15 = bias[o + 15] + correction;
                for (int row = 0, k = first, s = shift; row < rows; row++, k += filterRow, s += rowShift)
                {
                    for (int r = 0, rk = k, rs = s; r < runs; r++, rk += depth, rs += runShift)
                    {
                        Dot.Rows16(weights, o, rk, rk + run, arena, rs, zeroPoint, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7,
                            ref a8, ref a9, ref a10, ref a11, ref a12, ref a13, ref a14, ref a15);
                    }
                }

                StoreEight(p, arena, output, o, a0, a1, a2, a3, a4, a5, a6, a7);
                StoreEight(p, arena, output, o + 8, a8, a9, a10, a11, a12, a13, a14, a15);
            }

            for (; o + 8 <= outputs; o += 8)
            {
                int a0 = bias[o] + correction, a1 = bias[o + 1] + correction, a2 = bias[o + 2] + correction, a3 = bias[o + 3] + correction;
                int a4 = bias[o + 4] + correction, a5 = bias[o + 5] + correction, a6 = bias[o + 6] + correction, a7 = bias[o + 7] + correction;
                for (int row = 0, k = first, s = shift; row < rows; row++, k += filterRow, s += rowShift)
                {
                    for (int r = 0, rk = k, rs = s; r < runs; r++, rk += depth, rs += runShift)
                    {
                        Dot.Rows8(weights, o, rk, rk + run, arena, rs, zeroPoint, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
                    }
                }

                StoreEight(p, arena, output, o, a0, a1, a2, a3, a4, a5, a6, a7);
            }

            for (; o + 4 <= outputs; o += 4)
            {
                sbyte[] w0 = weights[o], w1 = weights[o + 1], w2 = weights[o + 2], w3 = weights[o + 3];
                int a0 = bias[o] + correction, a1 = bias[o + 1] + correction, a2 = bias[o + 2] + correction, a3 = bias[o + 3] + correction;
                for (int row = 0, k = first, s = shift; row < rows; row++, k += filterRow, s += rowShift)
                {
                    for (int r = 0, rk = k, rs = s; r < runs; r++, rk += depth, rs += runShift)
                    {
                        Dot.Rows4(w0, w1, w2, w3, rk, rk + run, arena, rs, zeroPoint, ref a0, ref a1, ref a2, ref a3);
                    }
                }

                Store(p, arena, output, o, a0);
                Store(p, arena, output, o + 1, a1);
                Store(p, arena, output, o + 2, a2);
                Store(p, arena, output, o + 3, a3);
            }

            for (; o < outputs; o++)
            {
                sbyte[] w = weights[o];
                int acc = bias[o] + correction;
                for (int row = 0, k = first, s = shift; row < rows; row++, k += filterRow, s += rowShift)
                {
                    for (int r = 0, rk = k, rs = s; r < runs; r++, rk += depth, rs += runShift)
                    {
                        acc = Dot.Row(w, rk, rk + run, arena, rs, zeroPoint, acc);
                    }
                }

                Store(p, arena, output, o, acc);
            }
        }

        /// <summary>One output pixel's accumulators into <paramref name="accumulators"/>, a channel (Int8Rows) or a pair of channels (Int64Pairs) at a time.</summary>
        private static void AccumulatePixel(Conv2DParams p, sbyte[] arena, int[] accumulators, int output, int first, int shift, int rows, int runs, int run, int correction)
        {
            int[] bias = p.Bias;
            int outputs = p.OutputDepth;
            int zeroPoint = p.InputZeroPoint;
            int depth = p.InputDepth;
            int filterRow = p.FilterWidth * depth;
            int rowShift = RowShift(p);
            int runShift = RunShift(p);
            bool pairs = p.Weights.Layout == WeightLayout.Int64Pairs;
            for (int o = 0; o < outputs; o += pairs ? 2 : 1)
            {
                long pairAcc = pairs ? Dot.PackLanes(bias[o] + correction, o + 1 < outputs ? bias[o + 1] + correction : 0) : 0;
                int acc = bias[o] + correction;
                for (int row = 0, k = first, s = shift; row < rows; row++, k += filterRow, s += rowShift)
                {
                    for (int r = 0, rk = k, rs = s; r < runs; r++, rk += depth, rs += runShift)
                    {
                        if (pairs)
                        {
                            pairAcc = Dot.Pair(p.Weights.Pairs[o >> 1], rk, rk + run, arena, rs, zeroPoint, pairAcc);
                        }
                        else
                        {
                            acc = Dot.Row(p.Weights.Rows[o], rk, rk + run, arena, rs, zeroPoint, acc);
                        }
                    }
                }

                if (pairs)
                {
                    accumulators[output + o] = Dot.LowLane(pairAcc);
                    if (o + 1 < outputs)
                    {
                        accumulators[output + o + 1] = Dot.HighLane(pairAcc);
                    }
                }
                else
                {
                    accumulators[output + o] = acc;
                }
            }
        }

        /// <summary>Σ (x − inputZeroPoint) over one output pixel's window: what the weight zero point multiplies, the same for every output channel.</summary>
        private static int WindowSum(Conv2DParams p, sbyte[] arena, int first, int shift, int rows, int runs, int run)
        {
            int zeroPoint = p.InputZeroPoint;
            int depth = p.InputDepth;
            int filterRow = p.FilterWidth * depth;
            int rowShift = RowShift(p);
            int runShift = RunShift(p);
            int sum = 0;
            for (int row = 0, k = first, s = shift; row < rows; row++, k += filterRow, s += rowShift)
            {
                for (int r = 0, rk = k + s; r < runs; r++, rk += depth + runShift)
                {
                    for (int i = rk, end = rk + run; i < end; i++)
                    {
                        sum += arena[i] - zeroPoint;
                    }
                }
            }

            return sum;
        }

        /// <summary>
        /// Change of shift (input index − weight index) from one filter row to the next: the input
        /// moves down DilationHeight rows, the weights one filter row.
        /// </summary>
        private static int RowShift(Conv2DParams p)
        {
            return (p.DilationHeight * p.InputWidth - p.FilterWidth) * p.InputDepth;
        }

        /// <summary>Change of shift from one run (tap) to the next in a row: the input moves DilationWidth pixels, the weights one tap.</summary>
        private static int RunShift(Conv2DParams p)
        {
            return (p.DilationWidth - 1) * p.InputDepth;
        }

        private static void StorePair(Conv2DParams p, sbyte[] arena, int output, int o, long acc)
        {
            OutputStage.RequantizePair(acc, p.OutputMultiplier, p.OutputShift, o, p.OutputDepth, p.OutputZeroPoint, p.ActivationMin, p.ActivationMax, arena, output);
        }

        private static void StoreEight(Conv2DParams p, sbyte[] arena, int output, int o, int a0, int a1, int a2, int a3, int a4, int a5, int a6, int a7)
        {
            OutputStage.RequantizeEight(a0, a1, a2, a3, a4, a5, a6, a7, p.OutputMultiplier, p.OutputShift, o, p.OutputZeroPoint, p.ActivationMin, p.ActivationMax, arena, output);
        }

        private static void Store(Conv2DParams p, sbyte[] arena, int output, int o, int acc)
        {
            arena[output + o] = OutputStage.Requantize(acc, p.OutputMultiplier[o], p.OutputShift[o],
                p.OutputZeroPoint, p.ActivationMin, p.ActivationMax);
        }
    }
}
