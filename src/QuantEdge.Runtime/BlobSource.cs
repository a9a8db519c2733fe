namespace QuantEdge.Runtime
{
    /// <summary>
    /// A model blob that <see cref="Model.Load(BlobSource)"/> reads in pieces instead of holding it whole:
    /// a file, an embedded resource, external flash. The firmware adapts its storage in a few lines, e.g.
    /// over a nanoFramework <c>FileStream</c>:
    /// <code>
    /// public override int Length { get { return (int)file.Length; } }
    /// public override int Read(int position, byte[] buffer, int offset, int count)
    /// {
    ///     file.Seek(position, SeekOrigin.Begin);
    ///     return file.Read(buffer, offset, count);
    /// }
    /// </code>
    /// The loader reads the blob twice, a checksum pass and then the load pass, never asks for more than
    /// <see cref="ChunkBytes"/> bytes at once, and rejects the blob (<see cref="ModelError.ChecksumMismatch"/>)
    /// if the second pass sees other bytes than the first. Exceptions the source throws (an IOException)
    /// reach the caller of <see cref="Model.Load(BlobSource)"/> unchanged.
    /// </summary>
    public abstract class BlobSource
    {
        /// <summary>
        /// The most bytes the loader asks a source for in one <see cref="Read"/>, and the size of the one
        /// buffer it reads the data section through. Loading holds the sections before the data section
        /// (header, tables, metadata, golden vector), this buffer and the model being built, never the blob.
        /// </summary>
        public const int ChunkBytes = 1024;

        /// <summary>The blob's length in bytes; the loader asks once per load.</summary>
        public abstract int Length { get; }

        /// <summary>
        /// Copies up to <paramref name="count"/> bytes of the blob, starting at byte <paramref name="position"/>,
        /// into <paramref name="buffer"/> from <paramref name="offset"/> on, and returns how many it copied:
        /// 1 to <paramref name="count"/> (fewer is fine, the loader asks again for the rest), or 0 when the
        /// blob has no byte at <paramref name="position"/> (the loader then rejects it as
        /// <see cref="ModelError.Truncated"/>).
        /// </summary>
        public abstract int Read(int position, byte[] buffer, int offset, int count);
    }
}
