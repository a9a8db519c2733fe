using System.Runtime.InteropServices;

namespace QuantEdge.Compiler.Blob;

/// <summary>Collects one op record's words; arrays go to the data section and become (offset, length) words.</summary>
internal sealed class OpWords(DataSection data)
{
    public List<int> Words { get; } = [];

    public OpWords Word(int value)
    {
        Words.Add(value);
        return this;
    }

    public OpWords Tensor(int index) => Word(index);

    public OpWords Int8s(sbyte[] values) => Reference(MemoryMarshal.AsBytes(values.AsSpan()));

    /// <summary>An int32 array, stored in the narrowest of i8, i16 and i32 that holds every value (the reference's length tells the reader which).</summary>
    public OpWords Int32s(int[] values)
    {
        if (values.All(v => v is >= sbyte.MinValue and <= sbyte.MaxValue))
        {
            return Int8s(values.Select(v => (sbyte)v).ToArray());
        }

        if (values.All(v => v is >= short.MinValue and <= short.MaxValue))
        {
            return Reference(MemoryMarshal.AsBytes(values.Select(v => (short)v).ToArray().AsSpan()));
        }

        return Reference(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private OpWords Reference(ReadOnlySpan<byte> bytes)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the blob writer runs on little-endian hosts");
        }

        Word(data.Add(bytes));
        return Word(bytes.Length);
    }
}

/// <summary>The data section under construction: 4-byte-aligned chunks.</summary>
internal sealed class DataSection
{
    private readonly MemoryStream bytes = new();

    public int Add(ReadOnlySpan<byte> chunk)
    {
        int offset = (int)bytes.Length;
        bytes.Write(chunk);
        while (bytes.Length % 4 != 0)
        {
            bytes.WriteByte(0);
        }

        return offset;
    }

    public byte[] ToArray() => bytes.ToArray();
}
