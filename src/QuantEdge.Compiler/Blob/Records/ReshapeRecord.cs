using QuantEdge.Runtime.Format;
using static QuantEdge.Compiler.Blob.RecordFieldKind;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// Reshape / Flatten: same bytes, new dims (the planner lets input and output share them).
/// The device side of this record is src/QuantEdge.Runtime/Interpreter/ReshapeOp.cs.
/// </summary>
public sealed record ReshapeRecord(int Input, int Output) : DeviceOp
{
    public static OpRecordFormat Format { get; } = new(BlobFormat.OpReshape, "Reshape",
        [new("input", ReadTensor), new("output", WrittenTensor)], v => new ReshapeRecord(v.Int("input"), v.Int("output")));

    public override int OpCode => BlobFormat.OpReshape;

    public override bool CanRunInPlace => true;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override RecordValues Values() => new RecordValues().Set("input", Input).Set("output", Output);
}
