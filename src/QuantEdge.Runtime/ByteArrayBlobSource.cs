namespace QuantEdge.Runtime
{
    /// <summary>
    /// A blob already in memory, as a <see cref="BlobSource"/>. <see cref="Model.Load(byte[])"/> is the
    /// direct way to load such a blob; this is for code written against <see cref="BlobSource"/> (and tests).
    /// </summary>
    public sealed class ByteArrayBlobSource : BlobSource
    {
        private readonly byte[] blob;

        /// <summary>A source over <paramref name="blob"/> (not copied).</summary>
        public ByteArrayBlobSource(byte[] blob)
        {
            if (blob == null)
            {
                throw new System.ArgumentNullException("blob");
            }

            this.blob = blob;
        }

        /// <inheritdoc/>
        public override int Length
        {
            get { return blob.Length; }
        }

        /// <inheritdoc/>
        public override int Read(int position, byte[] buffer, int offset, int count)
        {
            int available = position < 0 ? 0 : blob.Length - position;
            int copied = count < available ? count : available;
            if (copied <= 0)
            {
                return 0;
            }

            System.Array.Copy(blob, position, buffer, offset, copied);
            return copied;
        }
    }
}
