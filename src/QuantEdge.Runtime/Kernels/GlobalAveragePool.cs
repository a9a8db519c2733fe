namespace QuantEdge.Runtime.Kernels
{
    /// <summary>Parameters of an int8 global average pool (NHWC to N11C), all precomputed on the host.</summary>
    public sealed class GlobalAveragePoolParams
    {
        /// <summary>Images processed one after the other.</summary>
        public int Batches;

        /// <summary>Input rows.</summary>
        public int Height;

        /// <summary>Input columns.</summary>
        public int Width;

        /// <summary>Channels of input and output.</summary>
        public int Channels;

        /// <summary>Zero point of the input tensor.</summary>
        public int InputZeroPoint;

        /// <summary>Zero point of the output tensor.</summary>
        public int OutputZeroPoint;

        /// <summary>
        /// Q31 multiplier of inScale / (outScale × Height × Width): the division by the element count is
        /// folded in, and the input and output may be quantized differently.
        /// </summary>
        public int Multiplier;

        /// <summary>Shift of <see cref="Multiplier"/> (positive = left).</summary>
        public int Shift;

        /// <summary>Fused activation: lowest output value.</summary>
        public int ActivationMin;

        /// <summary>Fused activation: highest output value.</summary>
        public int ActivationMax;
    }

    /// <summary>
    /// out[b][c] = clamp(MBQM(Σ_{h,w} (x[b][h][w][c] - inZeroPoint), M, S) + outZeroPoint, min, max),
    /// the mean over height and width (TFLite MEAN over axes 1 and 2 with the count folded into M).
    /// </summary>
    public static class GlobalAveragePool
    {
        /// <summary>Averages the NHWC input at <paramref name="inputOffset"/> into Batches × Channels outputs at <paramref name="outputOffset"/>.</summary>
        public static void Eval(GlobalAveragePoolParams p, sbyte[] arena, int inputOffset, int outputOffset)
        {
            int channels = p.Channels;
            int imageSize = p.Height * p.Width * channels;
            // Σ (x - zp) = Σ x - count × zp: the zero point leaves the inner loop.
            int zeroPointSum = p.Height * p.Width * p.InputZeroPoint;
            int multiplier = p.Multiplier, shift = p.Shift, outputZeroPoint = p.OutputZeroPoint;
            int min = p.ActivationMin, max = p.ActivationMax;
            // Sixteen pixels per pass (the interpreter's cost is per instruction, and the loop's own is half of a
            // one-tap pass), then the pixels left over.
            int c1 = channels, c2 = 2 * channels, c3 = 3 * channels, c4 = 4 * channels, c5 = 5 * channels, c6 = 6 * channels, c7 = 7 * channels;
            int c8 = 8 * channels, c9 = 9 * channels, c10 = 10 * channels, c11 = 11 * channels, c12 = 12 * channels;
            int c13 = 13 * channels, c14 = 14 * channels, c15 = 15 * channels, c16 = 16 * channels;
            int sixteensSize = p.Height * p.Width / 16 * c16;
            int output = outputOffset;
            for (int b = 0; b < p.Batches; b++)
            {
                int image = inputOffset + b * imageSize;
                int imageEnd = image + imageSize;
                for (int c = 0; c < channels; c++)
                {
                    int sum = 0;
                    int i = image + c;
                    for (int sixteensEnd = i + sixteensSize; i < sixteensEnd; i += c16)
                    {
                        sum += arena[i] + arena[i + c1] + arena[i + c2] + arena[i + c3] + arena[i + c4] + arena[i + c5] + arena[i + c6] + arena[i + c7]
                            + arena[i + c8] + arena[i + c9] + arena[i + c10] + arena[i + c11] + arena[i + c12] + arena[i + c13] + arena[i + c14] + arena[i + c15];
                    }

                    for (; i < imageEnd; i += channels)
                    {
                        sum += arena[i];
                    }

                    arena[output++] = OutputStage.Requantize(sum - zeroPointSum, multiplier, shift, outputZeroPoint, min, max);
                }
            }
        }
    }
}
