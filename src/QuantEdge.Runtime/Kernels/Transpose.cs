namespace QuantEdge.Runtime.Kernels
{
    /// <summary>Parameters of a permutation of an NHWC tensor's axes, all read from the tensors and the record.</summary>
    public sealed class TransposeParams
    {
        /// <summary>Output batches, rows, columns and channels.</summary>
        public int Batches, Height, Width, Channels;

        /// <summary>The input's element stride along the input axis each output axis (N, H, W, C) comes from.</summary>
        public int BatchStride, RowStride, ColumnStride, ChannelStride;
    }

    /// <summary>out[n][h][w][c] = the input element whose coordinates along the permuted axes are n, h, w, c: a copy in a new order.</summary>
    public static class Transpose
    {
        /// <summary>Copies the input at <paramref name="inputOffset"/> into the output at <paramref name="outputOffset"/> (they do not overlap).</summary>
        public static void Eval(TransposeParams p, sbyte[] arena, int inputOffset, int outputOffset)
        {
            int channels = p.Channels, channelStride = p.ChannelStride;
            int o = outputOffset;
            for (int n = 0; n < p.Batches; n++)
            {
                for (int y = 0; y < p.Height; y++)
                {
                    for (int x = 0; x < p.Width; x++)
                    {
                        int i = inputOffset + n * p.BatchStride + y * p.RowStride + x * p.ColumnStride;
                        for (int c = 0; c < channels; c++)
                        {
                            arena[o++] = arena[i];
                            i += channelStride;
                        }
                    }
                }
            }
        }
    }
}
