using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// Writes an op record's words from the record's field values in the order its
/// <see cref="OpRecordFormat"/> gives; arrays go to the data section and become (offset, length) words.
/// </summary>
internal static class OpRecordWriter
{
    public static List<int> Words(DeviceOp op, DataSection data)
    {
        OpRecordFormat format = OpRecordFormats.Of(op.OpCode) ?? throw new InvalidOperationException($"opcode {op.OpCode} has no record format");
        RecordValues values = op.Values();
        var words = new List<int>();
        foreach (RecordField field in format.Fields)
        {
            object value = values[field.Name];
            switch (field.Kind)
            {
                case RecordFieldKind.ReadTensor or RecordFieldKind.WrittenTensor or RecordFieldKind.Word:
                    words.Add((int)value);
                    break;
                case RecordFieldKind.OptionalWord:
                    if ((int)value != 0)
                    {
                        words.Add((int)value);
                    }

                    break;
                case RecordFieldKind.ReadTensors:
                    words.Add(((ImmutableArray<int>)value).Length);
                    words.AddRange((ImmutableArray<int>)value);
                    break;
                case RecordFieldKind.Int8Data:
                    Reference(words, data, MemoryMarshal.AsBytes(((ImmutableArray<sbyte>)value).AsSpan()));
                    break;
                case RecordFieldKind.Int32Data:
                    Reference(words, data, NarrowInt32s.Encode((ImmutableArray<int>)value));
                    break;
                case RecordFieldKind.Requantization when value is ScaleGridRequantization grid:
                    words.Add(grid.BaseMultiplier);
                    words.Add(grid.BaseShift);
                    Reference(words, data, grid.ScaleIndex.AsSpan());
                    break;
                case RecordFieldKind.Requantization:
                    var explicitForm = (ExplicitRequantization)value;
                    Reference(words, data, NarrowInt32s.Encode(explicitForm.Multiplier));
                    Reference(words, data, NarrowInt32s.Encode(explicitForm.Shift));
                    break;
                case RecordFieldKind.Window or RecordFieldKind.PoolWindow:
                    var w = (DeviceWindow)value;
                    words.AddRange([w.FilterHeight, w.FilterWidth, w.StrideHeight, w.StrideWidth]);
                    if (field.Kind == RecordFieldKind.Window)
                    {
                        words.AddRange([w.DilationHeight, w.DilationWidth]);
                    }

                    words.AddRange([w.PadTop, w.PadLeft]);
                    break;
                default:
                    throw new InvalidOperationException($"field kind {field.Kind}");
            }
        }

        return words;
    }

    private static void Reference(List<int> words, DataSection data, ReadOnlySpan<byte> bytes)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the blob writer runs on little-endian hosts");
        }

        words.Add(data.Add(bytes));
        words.Add(bytes.Length);
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
