namespace QuantEdge.Runtime.Kernels
{
    /// <summary>
    /// The int8 weights of a fully connected or convolution layer, one row of <see cref="Depth"/>
    /// weights per output channel (OHWI order for convolutions), held in one of the
    /// <see cref="WeightLayout"/>s. Built once at load; the kernels only read it.
    /// </summary>
    public sealed class ChannelWeights
    {
        /// <summary>Layout of the arrays below.</summary>
        public readonly WeightLayout Layout;

        /// <summary>Number of output channels.</summary>
        public readonly int Channels;

        /// <summary>Weights per output channel (input depth × filter height × filter width).</summary>
        public readonly int Depth;

        /// <summary><see cref="WeightLayout.Int8Rows"/>: Rows[channel][k]. Null otherwise.</summary>
        public readonly sbyte[][] Rows;

        /// <summary>
        /// <see cref="WeightLayout.Int64Pairs"/>: Pairs[p][k] = w[2p][k] + (w[2p + 1][k] &lt;&lt; 32); an odd last
        /// channel is paired with zeros. Null otherwise.
        /// </summary>
        public readonly long[][] Pairs;

        /// <summary><see cref="WeightLayout.Streamed"/>: where Invoke reads the rows from. Null otherwise.</summary>
        public readonly StreamedRows Stream;

        /// <summary>All weights zero; the loader fills them piece by piece (<see cref="SetBytes"/>).</summary>
        internal ChannelWeights(WeightLayout layout, int channels, int depth)
        {
            if (layout == WeightLayout.Streamed || layout == WeightLayout.StreamedByRow)
            {
                throw new System.ArgumentException("streamed weights are read from a source, not filled in", "layout");
            }

            Layout = layout;
            Channels = channels;
            Depth = depth;
            if (layout == WeightLayout.Int64Pairs)
            {
                Pairs = new long[(channels + 1) / 2][];
                for (int p = 0; p < Pairs.Length; p++)
                {
                    Pairs[p] = new long[depth];
                }
            }
            else
            {
                Rows = new sbyte[channels][];
                for (int c = 0; c < channels; c++)
                {
                    Rows[c] = new sbyte[depth];
                }
            }
        }

        /// <summary>
        /// Weights left in <paramref name="stream"/>'s source, read during Invoke: <see cref="Layout"/> is <see cref="WeightLayout.Streamed"/>
        /// for both streamed layouts, the stream's <see cref="StreamedRows.Group"/> says how many rows a read takes.
        /// </summary>
        internal ChannelWeights(int channels, int depth, StreamedRows stream)
        {
            Layout = WeightLayout.Streamed;
            Channels = channels;
            Depth = depth;
            Stream = stream;
        }

        /// <summary>
        /// <see cref="WeightLayout.Streamed"/> weights: <paramref name="channels"/> rows of <paramref name="depth"/> int8 values
        /// at <paramref name="position"/> in <paramref name="source"/>, read during Eval through <paramref name="buffer"/>
        /// (grown here to <paramref name="depth"/> if shorter; layers may share one).
        /// </summary>
        public static ChannelWeights FromSource(BlobSource source, int position, int channels, int depth, StreamBuffer buffer)
        {
            return FromSource(source, position, channels, depth, StreamBuffer.Group, buffer);
        }

        /// <summary>As above, <paramref name="group"/> rows per read (1: <see cref="WeightLayout.StreamedByRow"/>).</summary>
        public static ChannelWeights FromSource(BlobSource source, int position, int channels, int depth, int group, StreamBuffer buffer)
        {
            return new ChannelWeights(channels, depth, new StreamedRows(source, position, depth, group, buffer));
        }

        /// <summary>
        /// Builds the layout from int8 weights, row after row; <see cref="WeightLayout.Streamed"/> and
        /// <see cref="WeightLayout.StreamedByRow"/>: a copy of them as bytes, read as a <see cref="ByteArrayBlobSource"/>
        /// through a buffer of its own (kernel tests, benchmarks).
        /// </summary>
        public static ChannelWeights FromInt8(sbyte[] source, int channels, int depth, WeightLayout layout)
        {
            if (layout == WeightLayout.Streamed || layout == WeightLayout.StreamedByRow)
            {
                byte[] bytes = new byte[channels * depth];
                for (int i = 0; i < bytes.Length; i++)
                {
                    bytes[i] = (byte)source[i];
                }

                return FromSource(new ByteArrayBlobSource(bytes), 0, channels, depth, layout == WeightLayout.Streamed ? StreamBuffer.Group : 1, new StreamBuffer());
            }

            ChannelWeights weights = new ChannelWeights(layout, channels, depth);
            for (int c = 0; c < channels; c++)
            {
                for (int k = 0; k < depth; k++)
                {
                    weights.Set(c, k, source[c * depth + k]);
                }
            }

            return weights;
        }

        /// <summary>Bytes these arrays hold (element storage only, without object headers); 0 when streamed.</summary>
        public int StorageBytes
        {
            get { return Layout == WeightLayout.Int64Pairs ? Pairs.Length * Depth * 8 : Layout == WeightLayout.Streamed ? 0 : Channels * Depth; }
        }

        /// <summary>
        /// Sets weights [<paramref name="k"/>, <paramref name="k"/> + <paramref name="count"/>) of a channel
        /// from bytes (two's complement int8), once each: a pair adds its channel's half to zero.
        /// </summary>
        internal void SetBytes(int channel, int k, byte[] source, int offset, int count)
        {
            if (Layout == WeightLayout.Int64Pairs)
            {
                long[] pair = Pairs[channel >> 1];
                int shift = (channel & 1) * 32;
                for (int i = 0; i < count; i++)
                {
                    pair[k + i] += (long)(sbyte)source[offset + i] << shift;
                }
            }
            else
            {
                sbyte[] row = Rows[channel];
                for (int i = 0; i < count; i++)
                {
                    row[k + i] = (sbyte)source[offset + i];
                }
            }
        }

        private void Set(int channel, int k, sbyte value)
        {
            if (Layout == WeightLayout.Int64Pairs)
            {
                long[] pair = Pairs[channel >> 1];
                pair[k] += (channel & 1) == 0 ? value : (long)value << 32;
            }
            else
            {
                Rows[channel][k] = value;
            }
        }
    }
}
