namespace QuantEdge.Runtime.Kernels
{
    /// <summary>Parameters of a constant pad of an NHWC tensor, all read from the tensors and the record.</summary>
    public sealed class PadParams
    {
        /// <summary>Input batches, rows, columns and channels.</summary>
        public int Batches, Height, Width, Channels;

        /// <summary>Output rows, columns and channels (its batches follow from its size).</summary>
        public int OutputHeight, OutputWidth, OutputChannels;

        /// <summary>Elements of the output.</summary>
        public int OutputElements;

        /// <summary>Pad elements before the input along N, H, W and C (those after follow from the output's dims).</summary>
        public int BeforeBatch, BeforeRow, BeforeColumn, BeforeChannel;

        /// <summary>The pad value's int8 code (input and output share a quantization).</summary>
        public int Value;
    }

    /// <summary>
    /// out = the input placed at (BeforeBatch, BeforeRow, BeforeColumn, BeforeChannel) in an output filled
    /// with Value: the output is filled, then each input pixel's channels are copied as one run.
    /// </summary>
    public static class Pad
    {
        /// <summary>Pads the input at <paramref name="inputOffset"/> into the output at <paramref name="outputOffset"/> (they do not overlap).</summary>
        public static void Eval(PadParams p, sbyte[] arena, int inputOffset, int outputOffset)
        {
            sbyte value = (sbyte)p.Value;
            int end = outputOffset + p.OutputElements;
            for (int i = outputOffset; i < end; i++)
            {
                arena[i] = value;
            }

            int channels = p.Channels, outputChannels = p.OutputChannels;
            int outputRow = p.OutputWidth * outputChannels;
            int outputImage = p.OutputHeight * outputRow;
            int input = inputOffset;
            for (int n = 0; n < p.Batches; n++)
            {
                for (int y = 0; y < p.Height; y++)
                {
                    int at = outputOffset + (n + p.BeforeBatch) * outputImage + (y + p.BeforeRow) * outputRow + p.BeforeColumn * outputChannels + p.BeforeChannel;
                    for (int x = 0; x < p.Width; x++)
                    {
                        System.Array.Copy(arena, input, arena, at, channels);
                        input += channels;
                        at += outputChannels;
                    }
                }
            }
        }
    }
}
