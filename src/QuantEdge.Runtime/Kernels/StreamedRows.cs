namespace QuantEdge.Runtime.Kernels
{
    /// <summary>
    /// The one row buffer all streamed layers of a model share: as many rows as the largest group any of them reads
    /// (<see cref="Group"/> for <see cref="WeightLayout.Streamed"/>, 1 for <see cref="WeightLayout.StreamedByRow"/>), each
    /// as long as the deepest of them. Allocated (and grown) at load, only read and overwritten by Invoke.
    /// </summary>
    public sealed class StreamBuffer
    {
        /// <summary>Output channels a <see cref="WeightLayout.Streamed"/> layer reads and computes per pass: the eight-row dot product's width.</summary>
        public const int Group = 8;

        /// <summary>Rows[r][k]: weight k of the r-th channel of the group being computed, as stored (two's complement).</summary>
        public byte[][] Rows;

        /// <summary>Makes the buffer hold at least <paramref name="rows"/> rows of at least <paramref name="depth"/> bytes (load time only).</summary>
        internal void Reserve(int rows, int depth)
        {
            if (Rows != null && Rows.Length >= rows && Rows[0].Length >= depth)
            {
                return;
            }

            if (Rows != null)
            {
                rows = rows > Rows.Length ? rows : Rows.Length;
                depth = depth > Rows[0].Length ? depth : Rows[0].Length;
            }

            // The old rows, if any, become garbage here, at load: the model keeps one buffer.
            Rows = new byte[rows][];
            for (int r = 0; r < rows; r++)
            {
                Rows[r] = new byte[depth];
            }
        }

        /// <summary>Bytes of the rows' elements (what the buffer costs beside its array headers).</summary>
        public int StorageBytes
        {
            get { return Rows == null ? 0 : Rows.Length * Rows[0].Length; }
        }
    }

    /// <summary>
    /// A <see cref="WeightLayout.Streamed"/> layer's weights: <see cref="ChannelWeights.Channels"/> rows of
    /// <see cref="ChannelWeights.Depth"/> int8 values at <see cref="Position"/> in a <see cref="BlobSource"/>,
    /// read a group of rows at a time into the shared <see cref="StreamBuffer"/>. Reading allocates nothing
    /// here: the source copies into the buffer (whether the source itself allocates is its own matter:
    /// a byte[] or FileStream does not, nanoFramework's ResourceUtility.GetObject does, once per call).
    /// The bytes are not checked again after load: the source must be read-only storage (flash, a file
    /// nobody writes), as the loader's checksum pass assumed.
    /// </summary>
    public sealed class StreamedRows
    {
        /// <summary>The row buffer this layer reads into, shared with the model's other streamed layers.</summary>
        public readonly StreamBuffer Buffer;

        private readonly BlobSource source;
        private readonly int depth;

        /// <summary>Blob position of the layer's first weight (row 0, weight 0).</summary>
        public readonly int Position;

        /// <summary>Rows read and computed per pass: <see cref="StreamBuffer.Group"/>, or 1 (<see cref="WeightLayout.StreamedByRow"/>).</summary>
        public readonly int Group;

        internal StreamedRows(BlobSource source, int position, int depth, int group, StreamBuffer buffer)
        {
            this.source = source;
            Buffer = buffer;
            this.depth = depth;
            Position = position;
            Group = group;
            Buffer.Reserve(group, depth);
        }

        /// <summary>
        /// Reads the rows of channels [<paramref name="channel"/>, <paramref name="channel"/> + <paramref name="count"/>)
        /// (count at most <see cref="Group"/>) into the buffer's first <paramref name="count"/> rows and returns them.
        /// </summary>
        public byte[][] Read(int channel, int count)
        {
            byte[][] rows = Buffer.Rows;
            int position = Position + channel * depth;
            for (int r = 0; r < count; r++, position += depth)
            {
                byte[] row = rows[r];
                for (int k = 0; k < depth;)
                {
                    int got = source.Read(position + k, row, k, depth - k);
                    if (got <= 0 || got > depth - k)
                    {
                        // A constant message: building one would allocate in Invoke (nfcheck), even if only to fail.
                        throw new System.InvalidOperationException("the weight source returned no bytes, or more than asked, during Invoke");
                    }

                    k += got;
                }
            }

            return rows;
        }
    }
}
