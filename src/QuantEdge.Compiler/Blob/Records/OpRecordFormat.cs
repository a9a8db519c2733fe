using System.Collections.Immutable;
using System.Text;
using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Blob;

/// <summary>How one field of an op record is stored in its words (docs/blob-format.md, op table).</summary>
public enum RecordFieldKind
{
    /// <summary>One word: the index of a tensor the op reads.</summary>
    ReadTensor,

    /// <summary>One word: the index of the tensor the op writes.</summary>
    WrittenTensor,

    /// <summary>A count word, then that many indices of tensors the op reads.</summary>
    ReadTensors,

    /// <summary>One scalar word.</summary>
    Word,

    /// <summary>A trailing scalar word written only when it is not 0 (absent reads as 0).</summary>
    OptionalWord,

    /// <summary>A data reference (offset, length) to int8 values.</summary>
    Int8Data,

    /// <summary>A data reference to i32 values stored in the narrowest of i8, i16, i32 (<see cref="NarrowInt32s"/>).</summary>
    Int32Data,

    /// <summary>
    /// Four words of per-channel requantization: a multiplier and a shift reference (i32 data), or with
    /// the record's scale-grid flag a base multiplier, a base shift and a reference to one scale index
    /// byte per channel.
    /// </summary>
    Requantization,

    /// <summary>Eight words of a convolution's window: filter, stride and dilation (height, width), padTop, padLeft.</summary>
    Window,

    /// <summary>Six words of a pool's window: filter and stride (height, width), padTop, padLeft.</summary>
    PoolWindow,
}

/// <summary>One field of an op record: its name as the inspector and the docs spell it, how it is stored, and what it holds.</summary>
public sealed record RecordField(string Name, RecordFieldKind Kind, string Meaning = "");

/// <summary>
/// The one description of an op record: its opcode, name and fields in word order. The host writer
/// (<see cref="OpRecordWriter"/>), the inspector (<see cref="BlobInspector"/>), the reader
/// (<see cref="BlobReader"/>, through <see cref="Read"/>) and the op table of docs/blob-format.md
/// (<see cref="OpRecordFormats.DocumentTable"/>) all follow it; the device's hand-written decoders
/// (src/QuantEdge.Runtime/Interpreter/*Op.cs) are held to it by tests that round-trip every opcode.
/// </summary>
/// <param name="Read">Builds the host record from the field values the reader found.</param>
public sealed record OpRecordFormat(int OpCode, string Name, IReadOnlyList<RecordField> Fields, Func<RecordValues, DeviceOp> Read)
{
    /// <summary>Words of the record without its optional words; a Concat's with no inputs.</summary>
    public int FixedWordCount => Fields.Sum(f => f.Kind switch
    {
        RecordFieldKind.Int8Data or RecordFieldKind.Int32Data => 2,
        RecordFieldKind.Requantization => 4,
        RecordFieldKind.Window => 8,
        RecordFieldKind.PoolWindow => 6,
        RecordFieldKind.OptionalWord => 0,
        _ => 1,
    });

    /// <summary>The words of a window field, in order.</summary>
    internal static readonly string[] WindowWords = ["filterH", "filterW", "strideH", "strideW", "dilationH", "dilationW", "padTop", "padLeft"];

    /// <summary>The words of a pool window field, in order.</summary>
    internal static readonly string[] PoolWindowWords = ["filterH", "filterW", "strideH", "strideW", "padTop", "padLeft"];
}

/// <summary>
/// A record's field values by field name: what a host record gives the writer, and what the reader
/// gives back to build the record. Data fields hold arrays, window fields a <see cref="DeviceWindow"/>,
/// requantization fields a <see cref="Blob.Requantization"/>, an inputs field the tensor indices.
/// </summary>
public sealed class RecordValues
{
    private readonly Dictionary<string, object> values = new(StringComparer.Ordinal);

    /// <summary>The model the record belongs to, when reading (tensor shapes and zero points).</summary>
    public DeviceModel? Model { get; init; }

    /// <summary>The weight layout of the record's header, when reading.</summary>
    public WeightLayout Layout { get; init; }

    public RecordValues Set(string name, object value)
    {
        values.Add(name, value);
        return this;
    }

    public object this[string name] =>
        values.TryGetValue(name, out object? value) ? value : throw new InvalidOperationException($"the record has no value '{name}'");

    public int Int(string name) => (int)this[name];

    public ImmutableArray<int> Ints(string name) => (ImmutableArray<int>)this[name];

    public ImmutableArray<sbyte> Int8s(string name) => (ImmutableArray<sbyte>)this[name];

    public Requantization Requantization(string name) => (Requantization)this[name];

    public DeviceWindow Window(string name) => (DeviceWindow)this[name];

    /// <summary>
    /// Fills what Add and Mul take from their tensors rather than their words (size, zero points) and
    /// the clamp from the words, when reading.
    /// </summary>
    public T Elementwise<T>(T p) where T : ElementwiseParams
    {
        DeviceModel model = Model ?? throw new InvalidOperationException("reading an element-wise record needs its model");
        p.Size = model.Tensors[Int("output")].Elements;
        p.Input1ZeroPoint = model.Tensors[Int("input1")].ZeroPoint;
        p.Input2ZeroPoint = model.Tensors[Int("input2")].ZeroPoint;
        p.OutputZeroPoint = model.Tensors[Int("output")].ZeroPoint;
        p.ActivationMin = Int("activationMin");
        p.ActivationMax = Int("activationMax");
        return p;
    }
}

/// <summary>The op record formats of every opcode: the registry the writer, readers and the docs' op table use.</summary>
public static class OpRecordFormats
{
    /// <summary>Every opcode's format, in opcode order.</summary>
    public static IReadOnlyList<OpRecordFormat> All { get; } =
    [
        FullyConnectedRecord.Format, Conv2DRecord.Format, DepthwiseConv2DRecord.Format, Pool2DRecord.MaxFormat,
        Pool2DRecord.AverageFormat, GlobalAveragePoolRecord.Format, AddRecord.Format, MulRecord.Format, LookupRecord.Format,
        SoftmaxRecord.Format, ConcatRecord.Format, ReshapeRecord.Format, BroadcastRecord.SubFormat, BroadcastRecord.MaximumFormat,
        BroadcastRecord.MinimumFormat, PadRecord.Format, TransposeRecord.Format, SliceRecord.Format,
    ];

    private static readonly Dictionary<int, OpRecordFormat> ByOpCode = All.ToDictionary(f => f.OpCode);

    /// <summary>The format of <paramref name="opCode"/>, or null for an opcode the format does not have.</summary>
    public static OpRecordFormat? Of(int opCode) => ByOpCode.GetValueOrDefault(opCode);

    /// <summary>
    /// The op table of docs/blob-format.md (between its <c>op-table</c> markers), generated from the
    /// formats; a test keeps the checked-in document equal to it.
    /// </summary>
    public static string DocumentTable()
    {
        var table = new StringBuilder();
        table.Append("| opcode | op | words | word count |\n|---|---|---|---|\n");
        foreach (OpRecordFormat format in All)
        {
            table.Append($"| {format.OpCode} | {format.Name} | {string.Join(", ", format.Fields.Select(DescribeField))} | {WordCount(format)} |\n");
        }

        return table.ToString();
    }

    private static string WordCount(OpRecordFormat format) => format.Fields.Any(f => f.Kind == RecordFieldKind.ReadTensors)
        ? $"{format.FixedWordCount} + n"
        : format.Fields.Any(f => f.Kind == RecordFieldKind.OptionalWord)
            ? $"{format.FixedWordCount} or {format.FixedWordCount + format.Fields.Count(f => f.Kind == RecordFieldKind.OptionalWord)}"
            : $"{format.FixedWordCount}";

    private static string DescribeField(RecordField field)
    {
        string meaning = field.Meaning.Length > 0 ? $" ({field.Meaning})" : "";
        return field.Kind switch
        {
            RecordFieldKind.Int8Data or RecordFieldKind.Int32Data => $"{field.Name} ref{meaning}",
            RecordFieldKind.Requantization => $"multiplier ref (O i32), shift ref (O i32){meaning}",
            RecordFieldKind.Window => string.Join(", ", OpRecordFormat.WindowWords),
            RecordFieldKind.PoolWindow => string.Join(", ", OpRecordFormat.PoolWindowWords),
            RecordFieldKind.ReadTensors => $"inputCount n{meaning}, then n input indices",
            RecordFieldKind.OptionalWord => $"optionally {field.Name}{meaning}",
            _ => field.Name + meaning,
        };
    }

    /// <summary>The flag bit that switches a record's requantization to the scale grid.</summary>
    internal static bool HasScaleGrid(int flags) => (flags & BlobFormat.FlagChannelScaleGrid) != 0;
}
