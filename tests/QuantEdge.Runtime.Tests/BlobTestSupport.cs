using QuantEdge.Runtime.Format;

namespace QuantEdge.Runtime.Tests;

/// <summary>Edits of valid blobs that keep the checksum right, so a test reaches the check it aims at.</summary>
public static class BlobTestSupport
{
    public static int ReadInt32(byte[] blob, int offset) => BitConverter.ToInt32(blob, offset);

    public static byte[] WithInt32(byte[] blob, int offset, int value, bool fixCrc = true)
    {
        byte[] copy = (byte[])blob.Clone();
        BitConverter.TryWriteBytes(copy.AsSpan(offset), value);
        return fixCrc ? FixCrc(copy) : copy;
    }

    /// <summary>Recomputes the header's CRC (and, for a resized blob, its length field).</summary>
    public static byte[] FixCrc(byte[] blob)
    {
        if (blob.Length >= BlobFormat.HeaderLength)
        {
            BitConverter.TryWriteBytes(blob.AsSpan(BlobFormat.BlobLengthAt), blob.Length);
            BitConverter.TryWriteBytes(blob.AsSpan(BlobFormat.CrcAt), Crc32.Compute(blob, BlobFormat.CrcStart, blob.Length - BlobFormat.CrcStart));
        }

        return blob;
    }

    public static ModelError Rejection(byte[] blob) => Assert.Throws<ModelFormatException>(() => Model.Load(blob)).Reason;
}
