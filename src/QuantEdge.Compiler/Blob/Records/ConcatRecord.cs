using System.Collections.Immutable;
using QuantEdge.Runtime.Format;
using static QuantEdge.Compiler.Blob.RecordFieldKind;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// Concatenation along an NHWC axis (0..3); all tensors share one quantization.
/// The device side of this record is src/QuantEdge.Runtime/Interpreter/ConcatOp.cs.
/// </summary>
public sealed record ConcatRecord(ImmutableArray<int> Inputs, int Output, int Axis) : DeviceOp
{
    public static OpRecordFormat Format { get; } = new(BlobFormat.OpConcat, "Concat",
        [new("output", WrittenTensor), new("axis", Word, "0..3 over NHWC"), new("inputs", RecordFieldKind.ReadTensors, "2..16")],
        v => new ConcatRecord(v.Ints("inputs"), v.Int("output"), v.Int("axis")));

    public override int OpCode => BlobFormat.OpConcat;

    public override IReadOnlyList<int> InputTensors => Inputs;

    public override int OutputTensor => Output;

    internal override RecordValues Values() => new RecordValues().Set("output", Output).Set("axis", Axis).Set("inputs", Inputs);
}
