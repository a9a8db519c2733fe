using System.Buffers.Binary;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// The host's one copy of the rule that stores an i32 array (biases, multipliers, shifts) in the
/// narrowest of i8, i16 and i32 that holds every value, little-endian; the reference's length (n, 2n
/// or 4n bytes for n values) tells a reader which. The device's copy is LoadContext.Int32s.
/// </summary>
public static class NarrowInt32s
{
    public static byte[] Encode(IReadOnlyList<int> values)
    {
        int width = values.All(v => v is >= sbyte.MinValue and <= sbyte.MaxValue) ? 1
            : values.All(v => v is >= short.MinValue and <= short.MaxValue) ? 2
            : 4;
        var bytes = new byte[values.Count * width];
        for (int i = 0; i < values.Count; i++)
        {
            Span<byte> at = bytes.AsSpan(i * width, width);
            switch (width)
            {
                case 1: at[0] = unchecked((byte)values[i]); break;
                case 2: BinaryPrimitives.WriteInt16LittleEndian(at, (short)values[i]); break;
                default: BinaryPrimitives.WriteInt32LittleEndian(at, values[i]); break;
            }
        }

        return bytes;
    }

    /// <summary><paramref name="count"/> values from bytes <see cref="Encode"/> wrote (their length is count × width).</summary>
    public static int[] Decode(ReadOnlySpan<byte> bytes, int count)
    {
        int width = bytes.Length / count;
        var values = new int[count];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> v = bytes.Slice(i * width, width);
            values[i] = width switch
            {
                1 => (sbyte)v[0],
                2 => BinaryPrimitives.ReadInt16LittleEndian(v),
                _ => BinaryPrimitives.ReadInt32LittleEndian(v),
            };
        }

        return values;
    }
}
