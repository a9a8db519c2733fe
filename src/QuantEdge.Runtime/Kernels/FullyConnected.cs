namespace QuantEdge.Runtime.Kernels
{
    /// <summary>Parameters of an int8 fully connected layer, all precomputed on the host.</summary>
    public sealed class FullyConnectedParams
    {
        /// <summary>Rows of input processed one after the other.</summary>
        public int Batches;

        /// <summary>Inputs per row (K).</summary>
        public int InputDepth;

        /// <summary>Outputs per row (O).</summary>
        public int OutputDepth;

        /// <summary>O × K weights, symmetric int8 (zero point 0), one scale per output channel.</summary>
        public ChannelWeights Weights;

        /// <summary>
        /// Per output channel: the int32 bias minus Σ_k w[o][k] × inputZeroPoint[k]. The input zero
        /// point is folded in here (per feature, or one value for all) so the inner loop is a bare
        /// multiply-accumulate of the raw int8 input.
        /// </summary>
        public int[] Bias;

        /// <summary>
        /// Zero point of the weights: 0 for the symmetric weights QuantEdge makes; nonzero only for
        /// models quantized elsewhere with asymmetric weights. Costs one sum over the input row.
        /// </summary>
        public int WeightZeroPoint;

        /// <summary>Per output channel requantization: Q31 multiplier and shift of inScale × wScale[o] / outScale.</summary>
        public int[] OutputMultiplier;

        /// <summary>Per output channel shift (positive = left).</summary>
        public int[] OutputShift;

        /// <summary>Zero point of the output tensor.</summary>
        public int OutputZeroPoint;

        /// <summary>Fused activation: lowest output value.</summary>
        public int ActivationMin;

        /// <summary>Fused activation: highest output value.</summary>
        public int ActivationMax;
    }

    /// <summary>
    /// out[b][o] = clamp(MBQM(Bias[o] + Σ_k x[b][k] × (w[o][k] - wZeroPoint), M[o], S[o]) + outZeroPoint, min, max).
    /// </summary>
    public static class FullyConnected
    {
        /// <summary>Runs the layer on the arena: input rows at <paramref name="inputOffset"/>, output rows at <paramref name="outputOffset"/>.</summary>
        public static void Eval(FullyConnectedParams p, sbyte[] arena, int inputOffset, int outputOffset)
        {
            if (p.Weights.Layout == WeightLayout.Streamed)
            {
                EvalStreamed(p, arena, inputOffset, outputOffset, null);
                return;
            }

            for (int b = 0; b < p.Batches; b++)
            {
                int input = inputOffset + b * p.InputDepth;
                int output = outputOffset + b * p.OutputDepth;
                int correction = p.WeightZeroPoint == 0 ? 0 : -p.WeightZeroPoint * RowSum(arena, input, p.InputDepth);
                if (p.Weights.Layout == WeightLayout.Int64Pairs)
                {
                    EvalPairs(p, arena, input, output, correction);
                }
                else
                {
                    EvalRows(p, arena, input, output, correction);
                }
            }
        }

        /// <summary>
        /// The layer's int32 accumulators instead of its int8 outputs: Bias[o] + Σ_k x[b][k] × (w[o][k] − wZeroPoint),
        /// before requantization, row after row from index 0 of <paramref name="accumulators"/> (ONNX
        /// MatMulInteger's result). The same dot products as <see cref="Eval"/>, one channel (or pair) at a time.
        /// </summary>
        public static void Accumulate(FullyConnectedParams p, sbyte[] arena, int inputOffset, int[] accumulators)
        {
            int depth = p.InputDepth;
            int outputs = p.OutputDepth;
            int[] bias = p.Bias;
            if (p.Weights.Layout == WeightLayout.Streamed)
            {
                EvalStreamed(p, arena, inputOffset, 0, accumulators);
                return;
            }

            bool pairs = p.Weights.Layout == WeightLayout.Int64Pairs;
            for (int b = 0; b < p.Batches; b++)
            {
                int input = inputOffset + b * depth;
                int output = b * outputs;
                int correction = p.WeightZeroPoint == 0 ? 0 : -p.WeightZeroPoint * RowSum(arena, input, depth);
                for (int o = 0; o < outputs; o += pairs ? 2 : 1)
                {
                    if (pairs)
                    {
                        long acc = Dot.PackLanes(bias[o] + correction, o + 1 < outputs ? bias[o + 1] + correction : 0);
                        acc = Dot.Pair(p.Weights.Pairs[o >> 1], 0, depth, arena, input, 0, acc);
                        accumulators[output + o] = Dot.LowLane(acc);
                        if (o + 1 < outputs)
                        {
                            accumulators[output + o + 1] = Dot.HighLane(acc);
                        }
                    }
                    else
                    {
                        accumulators[output + o] = Dot.Row(p.Weights.Rows[o], 0, depth, arena, input, 0, bias[o] + correction);
                    }
                }
            }
        }

        private static void EvalPairs(FullyConnectedParams p, sbyte[] arena, int input, int output, int correction)
        {
            long[][] pairs = p.Weights.Pairs;
            int depth = p.InputDepth;
            int outputs = p.OutputDepth;
            int[] bias = p.Bias;
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
                Dot.Pairs8(pairs, pair, 0, depth, arena, input, 0, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
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
                long a0 = Dot.PackLanes(bias[o] + correction, bias[o + 1] + correction);
                long a1 = Dot.PackLanes(bias[o + 2] + correction, bias[o + 3] + correction);
                long a2 = Dot.PackLanes(bias[o + 4] + correction, bias[o + 5] + correction);
                long a3 = Dot.PackLanes(bias[o + 6] + correction, bias[o + 7] + correction);
                Dot.Pairs4(pairs[pair], pairs[pair + 1], pairs[pair + 2], pairs[pair + 3], 0, depth,
                    arena, input, 0, ref a0, ref a1, ref a2, ref a3);
                StorePair(p, arena, output, o, a0);
                StorePair(p, arena, output, o + 2, a1);
                StorePair(p, arena, output, o + 4, a2);
                StorePair(p, arena, output, o + 6, a3);
            }

            for (; o < outputs; o += 2, pair++)
            {
                long acc = Dot.PackLanes(bias[o] + correction, o + 1 < outputs ? bias[o + 1] + correction : 0);
                StorePair(p, arena, output, o, Dot.Pair(pairs[pair], 0, depth, arena, input, 0, acc));
            }
        }

        private static void EvalRows(FullyConnectedParams p, sbyte[] arena, int input, int output, int correction)
        {
            sbyte[][] rows = p.Weights.Rows;
            int depth = p.InputDepth;
            int outputs = p.OutputDepth;
            int[] bias = p.Bias;
            int o = 0;
            for (; o + 16 <= outputs; o += 16)
            {
                int a0 = bias[o] + correction, a1 = bias[o + 1] + correction, a2 = bias[o + 2] + correction, a3 = bias[o + 3] + correction;
                int a4 = bias[o + 4] + correction, a5 = bias[o + 5] + correction, a6 = bias[o + 6] + correction, a7 = bias[o + 7] + correction;
                int a8 = bias[o + 8] + correction, a9 = bias[o + 9] + correction, a10 = bias[o + 10] + correction, a11 = bias[o + 11] + correction;
                int a12 = bias[o + 12] + correction, a13 = bias[o + 13] + correction, a14 = bias[o + 14] + correction, a15 = bias[o + 15] + correction;
                Dot.Rows16(rows, o, 0, depth, arena, input, 0, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7,
                    ref a8, ref a9, ref a10, ref a11, ref a12, ref a13, ref a14, ref a15);
                StoreEight(p, arena, output, o, a0, a1, a2, a3, a4, a5, a6, a7);
                StoreEight(p, arena, output, o + 8, a8, a9, a10, a11, a12, a13, a14, a15);
            }

            for (; o + 8 <= outputs; o += 8)
            {
                int a0 = bias[o] + correction, a1 = bias[o + 1] + correction, a2 = bias[o + 2] + correction, a3 = bias[o + 3] + correction;
                int a4 = bias[o + 4] + correction, a5 = bias[o + 5] + correction, a6 = bias[o + 6] + correction, a7 = bias[o + 7] + correction;
                Dot.Rows8(rows, o, 0, depth, arena, input, 0, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
                StoreEight(p, arena, output, o, a0, a1, a2, a3, a4, a5, a6, a7);
            }

            for (; o + 4 <= outputs; o += 4)
            {
                int a0 = bias[o] + correction, a1 = bias[o + 1] + correction, a2 = bias[o + 2] + correction, a3 = bias[o + 3] + correction;
                Dot.Rows4(rows[o], rows[o + 1], rows[o + 2], rows[o + 3], 0, depth,
                    arena, input, 0, ref a0, ref a1, ref a2, ref a3);
                Store(p, arena, output, o, a0);
                Store(p, arena, output, o + 1, a1);
                Store(p, arena, output, o + 2, a2);
                Store(p, arena, output, o + 3, a3);
            }

            for (; o < outputs; o++)
            {
                Store(p, arena, output, o, Dot.Row(rows[o], 0, depth, arena, input, 0, bias[o] + correction));
            }
        }

        /// <summary>
        /// The streamed layer: reads a group of channels' rows (eight, or one for <see cref="WeightLayout.StreamedByRow"/>),
        /// computes them for every batch, reads the next group, so each weight is read once per Invoke whatever the batch count.
        /// Writes int8 outputs, or with <paramref name="accumulators"/> the int32 sums (as <see cref="Accumulate"/>).
        /// </summary>
        private static void EvalStreamed(FullyConnectedParams p, sbyte[] arena, int inputOffset, int outputOffset, int[] accumulators)
        {
            StreamedRows stream = p.Weights.Stream;
            int depth = p.InputDepth;
            int outputs = p.OutputDepth;
            int[] bias = p.Bias;
            int group = stream.Group;
            for (int o = 0; o < outputs; o += group)
            {
                int count = outputs - o < group ? outputs - o : group;
                byte[][] rows = stream.Read(o, count);
                for (int b = 0; b < p.Batches; b++)
                {
                    int input = inputOffset + b * depth;
                    int output = (accumulators == null ? outputOffset : 0) + b * outputs + o;
                    int correction = p.WeightZeroPoint == 0 ? 0 : -p.WeightZeroPoint * RowSum(arena, input, depth);
                    if (count == StreamBuffer.Group)
                    {
                        int a0 = bias[o] + correction, a1 = bias[o + 1] + correction, a2 = bias[o + 2] + correction, a3 = bias[o + 3] + correction;
                        int a4 = bias[o + 4] + correction, a5 = bias[o + 5] + correction, a6 = bias[o + 6] + correction, a7 = bias[o + 7] + correction;
                        Dot.Bytes8(rows, 0, depth, arena, input, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
                        Put(p, arena, accumulators, output, o, a0);
                        Put(p, arena, accumulators, output + 1, o + 1, a1);
                        Put(p, arena, accumulators, output + 2, o + 2, a2);
                        Put(p, arena, accumulators, output + 3, o + 3, a3);
                        Put(p, arena, accumulators, output + 4, o + 4, a4);
                        Put(p, arena, accumulators, output + 5, o + 5, a5);
                        Put(p, arena, accumulators, output + 6, o + 6, a6);
                        Put(p, arena, accumulators, output + 7, o + 7, a7);
                    }
                    else
                    {
                        for (int r = 0; r < count; r++)
                        {
                            Put(p, arena, accumulators, output + r, o + r, Dot.ByteRow(rows[r], 0, depth, arena, input, bias[o + r] + correction));
                        }
                    }
                }
            }
        }

        /// <summary>Channel <paramref name="o"/>'s sum to <paramref name="at"/>: requantized into the arena, or as is into the accumulators.</summary>
        private static void Put(FullyConnectedParams p, sbyte[] arena, int[] accumulators, int at, int o, int acc)
        {
            if (accumulators != null)
            {
                accumulators[at] = acc;
            }
            else
            {
                Store(p, arena, at - o, o, acc);
            }
        }

        /// <summary>Σ_k x[k] over one input row (only needed with asymmetric weights).</summary>
        private static int RowSum(sbyte[] arena, int input, int depth)
        {
            int sum = 0;
            for (int k = input; k < input + depth; k++)
            {
                sum += arena[k];
            }

            return sum;
        }

        private static void StorePair(FullyConnectedParams p, sbyte[] arena, int output, int o, long acc)
        {
            OutputStage.RequantizePair(acc, p.OutputMultiplier, p.OutputShift, o, p.OutputDepth, p.OutputZeroPoint, p.ActivationMin, p.ActivationMax, arena, output);
        }

        private static void StoreEight(FullyConnectedParams p, sbyte[] arena, int output, int o, int a0, int a1, int a2, int a3, int a4, int a5, int a6, int a7)
        {
            OutputStage.RequantizeEight(a0, a1, a2, a3, a4, a5, a6, a7, p.OutputMultiplier, p.OutputShift, o, p.OutputZeroPoint, p.ActivationMin, p.ActivationMax, arena, output);
        }

        private static void Store(FullyConnectedParams p, sbyte[] arena, int output, int o, int acc)
        {
            arena[output + o] = OutputStage.Requantize(acc, p.OutputMultiplier[o], p.OutputShift[o],
                p.OutputZeroPoint, p.ActivationMin, p.ActivationMax);
        }
    }
}
