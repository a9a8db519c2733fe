using System.Collections.Immutable;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// A model as the device will hold it: int8 tensors (NHWC) and ops with every parameter already
/// quantized. The last host-side stage before the bytes; <see cref="BlobWriter"/> plans its arena and
/// writes it as docs/blob-format.md describes.
/// </summary>
public sealed class DeviceModel
{
    public string Name { get; set; } = "";

    public List<DeviceTensor> Tensors { get; } = [];

    public List<DeviceOp> Ops { get; } = [];

    /// <summary>Index of the model input tensor.</summary>
    public int Input { get; set; }

    /// <summary>Index of the model output tensor.</summary>
    public int Output { get; set; }

    /// <summary>
    /// One rule for all inputs, or one per feature (the input's H·W·C); the blob stores them compactly
    /// (<see cref="BlobWriter.CompactRules"/>: one, or one per channel, when that says the same).
    /// </summary>
    public List<InputRule> InputRules { get; } = [];

    public string[] FeatureNames { get; set; } = [];

    /// <summary>The output names (a classifier's class labels).</summary>
    public string[] OutputNames { get; set; } = [];

    public ModelTask Task { get; set; }

    /// <summary>Adds a tensor and returns its index.</summary>
    public int AddTensor(DeviceTensor tensor)
    {
        Tensors.Add(tensor);
        return Tensors.Count - 1;
    }
}

/// <summary>An int8 activation tensor: NHWC dims (4 of them), scale and zero point.</summary>
public sealed record DeviceTensor(string Name, ImmutableArray<int> Dims, float Scale, int ZeroPoint)
{
    public int Elements => Dims.Aggregate(1, (a, b) => checked(a * b));

    /// <summary>H·W·C: the elements of one batch.</summary>
    public int ElementsPerBatch => Elements / Dims[0];

    /// <summary>A tensor of the given shape, left-padded with 1s to NHWC.</summary>
    public static DeviceTensor Of(string name, int[] shape, float scale, int zeroPoint)
    {
        if (shape.Length is < 1 or > 4)
        {
            throw new ArgumentException($"tensor '{name}' has rank {shape.Length}; the device takes ranks 1 to 4");
        }

        return new DeviceTensor(name, [.. Enumerable.Repeat(1, 4 - shape.Length).Concat(shape)], scale, zeroPoint);
    }
}

/// <summary>
/// How the device quantizes a raw integer feature value: the raw value counts units of
/// 10^UnitExponent, and q = clamp(MBQM(raw − RawOffset, Multiplier, Shift) + ZeroPoint, −128, 127).
/// </summary>
public sealed record InputRule(int UnitExponent, int RawOffset, int Multiplier, int Shift, int ZeroPoint, float Scale)
{
    /// <summary>
    /// The rule for a feature of the given scale and zero point, its raw values counted in units of
    /// 10^unitExponent, with <paramref name="rawOffset"/> subtracted first.
    /// </summary>
    public static InputRule For(float scale, int zeroPoint, int unitExponent, int rawOffset = 0)
    {
        var q = Quantization.QuantizedMultiplier.FromReal(Math.Pow(10, unitExponent) / scale);
        return new InputRule(unitExponent, rawOffset, q.Multiplier, q.Shift, zeroPoint, scale);
    }

    /// <summary>The real value the raw offset stands for.</summary>
    public double RealOffset => RawOffset * Math.Pow(10, UnitExponent);
}

/// <summary>One step of the device model: a host op record (Records/), written as its <see cref="OpRecordFormat"/> says.</summary>
public abstract record DeviceOp
{
    public abstract int OpCode { get; }

    /// <summary>The kind of op for reports ("FullyConnected", "Pool2D", ...): the type's name without "Record".</summary>
    public virtual string Kind => GetType().Name[..^"Record".Length];

    public virtual WeightLayout Layout => WeightLayout.Int8Rows;

    /// <summary>The op record's flags byte (BlobFormat.Flag*).</summary>
    public virtual int Flags => 0;

    public abstract IReadOnlyList<int> InputTensors { get; }

    public abstract int OutputTensor { get; }

    /// <summary>Whether the output may take the input's bytes (single-input ops that read each element before writing it).</summary>
    public virtual bool CanRunInPlace => false;

    /// <summary>The record's field values by the names of its <see cref="OpRecordFormat"/>, which <see cref="OpRecordWriter"/> writes.</summary>
    internal abstract RecordValues Values();
}
