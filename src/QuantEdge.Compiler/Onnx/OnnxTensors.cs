using System.Buffers.Binary;
using Google.Protobuf;
using Onnx;

namespace QuantEdge.Compiler.Onnx;

/// <summary>
/// A constant read from an ONNX TensorProto: floating-point types become <see cref="Floats"/>, integer
/// and boolean types <see cref="Integers"/>; exactly one is set.
/// </summary>
internal sealed record OnnxConstant(int[] Shape, float[]? Floats, long[]? Integers)
{
    public int Length => Floats?.Length ?? Integers!.Length;
}

/// <summary>Conversions between TensorProto and arrays, in both directions.</summary>
internal static class OnnxTensors
{
    public static TensorProto Create(string name, int[] shape, float[] data) =>
        Create(name, shape, OnnxElementType.Float, data.Length, 4, (bytes, i) => BinaryPrimitives.WriteSingleLittleEndian(bytes, data[i]));

    public static TensorProto Create(string name, int[] shape, long[] data) =>
        Create(name, shape, OnnxElementType.Int64, data.Length, 8, (bytes, i) => BinaryPrimitives.WriteInt64LittleEndian(bytes, data[i]));

    public static TensorProto Create(string name, int[] shape, int[] data) =>
        Create(name, shape, OnnxElementType.Int32, data.Length, 4, (bytes, i) => BinaryPrimitives.WriteInt32LittleEndian(bytes, data[i]));

    public static TensorProto Create(string name, int[] shape, sbyte[] data) =>
        Create(name, shape, OnnxElementType.Int8, data.Length, 1, (bytes, i) => bytes[0] = (byte)data[i]);

    public static TensorProto Create(string name, int[] shape, byte[] data) =>
        Create(name, shape, OnnxElementType.UInt8, data.Length, 1, (bytes, i) => bytes[0] = data[i]);

    public static TensorProto Create(string name, int[] shape, bool[] data) =>
        Create(name, shape, OnnxElementType.Bool, data.Length, 1, (bytes, i) => bytes[0] = data[i] ? (byte)1 : (byte)0);

    /// <summary>
    /// Reads a tensor's elements from raw_data (little-endian), the typed repeated fields, or an
    /// external file next to the model (<paramref name="baseDirectory"/>; null when the model came
    /// from bytes). Throws <see cref="OnnxImportException"/> naming <paramref name="context"/>.
    /// </summary>
    public static OnnxConstant Read(TensorProto tensor, string? baseDirectory, string context)
    {
        int[] shape = ToShape(tensor.Dims, context);
        long product = 1;
        foreach (int d in shape)
        {
            product = Math.Min(product * d, 1L << 40);
        }

        if (product > int.MaxValue)
        {
            throw new OnnxImportException($"{context}: dims {FormatDims(tensor.Dims)} hold more elements than a tensor can ({int.MaxValue}).");
        }

        int count = (int)product;
        if (tensor.Segment is not null)
        {
            throw new OnnxImportException($"{context}: segmented tensors are not supported.");
        }

        ByteString? raw = tensor.DataLocation == TensorProto.Types.DataLocation.External
            ? ReadExternal(tensor, baseDirectory, context)
            : tensor.HasRawData ? tensor.RawData : null;

        var type = (TensorProto.Types.DataType)tensor.DataType;
        OnnxConstant constant = type switch
        {
            TensorProto.Types.DataType.Float => Floats(raw, 4, b => BinaryPrimitives.ReadSingleLittleEndian(b), tensor.FloatData, v => v),
            TensorProto.Types.DataType.Double => Floats(raw, 8, b => (float)BinaryPrimitives.ReadDoubleLittleEndian(b), tensor.DoubleData, v => (float)v),
            TensorProto.Types.DataType.Float16 => Floats(raw, 2, b => (float)BinaryPrimitives.ReadHalfLittleEndian(b), tensor.Int32Data, v => (float)BitConverter.UInt16BitsToHalf((ushort)v)),
            TensorProto.Types.DataType.Bfloat16 => Floats(raw, 2, b => BFloat16(BinaryPrimitives.ReadUInt16LittleEndian(b)), tensor.Int32Data, v => BFloat16((ushort)v)),
            TensorProto.Types.DataType.Int64 => Integers(raw, 8, b => BinaryPrimitives.ReadInt64LittleEndian(b), tensor.Int64Data, v => v),
            TensorProto.Types.DataType.Int32 => Integers(raw, 4, b => BinaryPrimitives.ReadInt32LittleEndian(b), tensor.Int32Data, v => v),
            TensorProto.Types.DataType.Int16 => Integers(raw, 2, b => BinaryPrimitives.ReadInt16LittleEndian(b), tensor.Int32Data, v => v),
            TensorProto.Types.DataType.Uint16 => Integers(raw, 2, b => BinaryPrimitives.ReadUInt16LittleEndian(b), tensor.Int32Data, v => v),
            TensorProto.Types.DataType.Int8 => Integers(raw, 1, b => (sbyte)b[0], tensor.Int32Data, v => v),
            TensorProto.Types.DataType.Uint8 or TensorProto.Types.DataType.Bool => Integers(raw, 1, b => b[0], tensor.Int32Data, v => v),
            _ => throw new OnnxImportException($"{context}: tensor element type {type} ({tensor.DataType}) is not supported (float, double, float16, bfloat16 and integer types are)."),
        };

        return constant.Length == count
            ? constant
            : throw new OnnxImportException($"{context}: tensor has {constant.Length} elements but its dims {FormatDims(tensor.Dims)} need {count}.");

        OnnxConstant Floats<T>(ByteString? bytes, int size, Func<ReadOnlySpan<byte>, float> decode, IList<T> typed, Func<T, float> convert) =>
            new(shape, bytes is null ? typed.Select(convert).ToArray() : Decode(bytes, size, decode, context), null);

        OnnxConstant Integers<T>(ByteString? bytes, int size, Func<ReadOnlySpan<byte>, long> decode, IList<T> typed, Func<T, long> convert) =>
            new(shape, null, bytes is null ? typed.Select(convert).ToArray() : Decode(bytes, size, decode, context));
    }

    /// <summary>ONNX dims (int64) as an int shape, rejecting negative or oversized dimensions.</summary>
    public static int[] ToShape(IReadOnlyList<long> dims, string context)
    {
        var shape = new int[dims.Count];
        for (int i = 0; i < shape.Length; i++)
        {
            if (dims[i] < 0 || dims[i] > int.MaxValue)
            {
                throw new OnnxImportException($"{context}: dimension {i} is {dims[i]}, outside 0..{int.MaxValue}.");
            }

            shape[i] = (int)dims[i];
        }

        return shape;
    }

    private static string FormatDims(IEnumerable<long> dims) => "[" + string.Join(", ", dims) + "]";

    private static float BFloat16(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    private static T[] Decode<T>(ByteString bytes, int size, Func<ReadOnlySpan<byte>, T> decode, string context)
    {
        ReadOnlySpan<byte> span = bytes.Span;
        if (span.Length % size != 0)
        {
            throw new OnnxImportException($"{context}: raw data of {span.Length} bytes is not a whole number of {size}-byte elements.");
        }

        var values = new T[span.Length / size];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = decode(span.Slice(i * size, size));
        }

        return values;
    }

    private static ByteString ReadExternal(TensorProto tensor, string? baseDirectory, string context)
    {
        if (baseDirectory is null)
        {
            throw new OnnxImportException($"{context}: the tensor's data is in an external file, which needs the model loaded from a path, not from bytes.");
        }

        Dictionary<string, string> entries = tensor.ExternalData.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        if (!entries.TryGetValue("location", out string? location))
        {
            throw new OnnxImportException($"{context}: external data has no 'location'.");
        }

        string root = Path.GetFullPath(baseDirectory);
        string file = Path.GetFullPath(Path.Combine(root, location));
        if (!file.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new OnnxImportException($"{context}: external data location '{location}' is outside the model's folder.");
        }

        long offset = entries.TryGetValue("offset", out string? o) ? long.Parse(o, System.Globalization.CultureInfo.InvariantCulture) : 0;
        try
        {
            using FileStream stream = File.OpenRead(file);
            long length = entries.TryGetValue("length", out string? l) ? long.Parse(l, System.Globalization.CultureInfo.InvariantCulture) : stream.Length - offset;
            if (offset < 0 || length < 0 || offset + length > stream.Length)
            {
                throw new OnnxImportException($"{context}: external data range {offset}+{length} is outside '{location}' ({stream.Length} bytes).");
            }

            var buffer = new byte[length];
            stream.Position = offset;
            stream.ReadExactly(buffer);
            return ByteString.CopyFrom(buffer);
        }
        catch (IOException e)
        {
            throw new OnnxImportException($"{context}: cannot read external data '{location}': {e.Message}", e);
        }
    }

    private static TensorProto Create(string name, int[] shape, OnnxElementType type, int count, int size, Action<Span<byte>, int> write)
    {
        int expected = Graph.FloatTensor.ElementCount(shape);
        if (expected != count)
        {
            throw new ArgumentException($"Tensor '{name}': shape [{string.Join(", ", shape)}] holds {expected} elements but {count} were given.");
        }

        var bytes = new byte[count * size];
        for (int i = 0; i < count; i++)
        {
            write(bytes.AsSpan(i * size, size), i);
        }

        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(shape.Select(d => (long)d));
        return tensor;
    }
}
