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

    public OpWords Int32s(int[] values) => Reference(MemoryMarshal.AsBytes(values.AsSpan()));

    /// <summary>Requantization shifts (−31..30) stored one byte each.</summary>
    public OpWords Shifts(int[] values) => Int8s(values.Select(v => checked((sbyte)v)).ToArray());

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
