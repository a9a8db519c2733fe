namespace QuantEdge.Runtime.Kernels
{
    /// <summary>Parameters of a strided slice of an NHWC tensor, all read from the tensors and the record.</summary>
    public sealed class SliceParams
    {
        /// <summary>Output batches, rows, columns and channels.</summary>
        public int Batches, Height, Width, Channels;

        /// <summary>Where the first element taken is, in elements from the input's start.</summary>
        public int First;

        /// <summary>
        /// Input elements from one element taken to the next along N, H, W and C: the input's stride along the
        /// axis times the slice's step there (negative for a step back).
        /// </summary>
        public int BatchStep, RowStep, ColumnStep, ChannelStep;
    }

    /// <summary>
    /// out[n][h][w][c] = in[startN + n·stepN][startH + h·stepH][startW + w·stepW][startC + c·stepC]: ONNX's Slice
    /// (and each output of Split). A pixel's channels taken one by one in order are copied as one run.
    /// </summary>
    public static class Slice
    {
        /// <summary>Copies the slice of the input at <paramref name="inputOffset"/> into the output at <paramref name="outputOffset"/> (they do not overlap).</summary>
        public static void Eval(SliceParams p, sbyte[] arena, int inputOffset, int outputOffset)
        {
            int channels = p.Channels, channelStep = p.ChannelStep;
            int o = outputOffset;
            for (int n = 0; n < p.Batches; n++)
            {
                int image = inputOffset + p.First + n * p.BatchStep;
                for (int y = 0; y < p.Height; y++)
                {
                    int row = image + y * p.RowStep;
                    for (int x = 0; x < p.Width; x++)
                    {
                        int i = row + x * p.ColumnStep;
                        if (channelStep == 1)
                        {
                            System.Array.Copy(arena, i, arena, o, channels);
                            o += channels;
                            continue;
                        }

                        for (int c = 0; c < channels; c++)
                        {
                            arena[o++] = arena[i];
                            i += channelStep;
                        }
                    }
                }
            }
        }
    }
}
