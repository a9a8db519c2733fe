using QuantEdge.Runtime.Format;
using static QuantEdge.Compiler.Blob.RecordFieldKind;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// Softmax over the last dim; output scale 1/256, zero point −128.
/// The device side of this record is src/QuantEdge.Runtime/Interpreter/SoftmaxOp.cs.
/// </summary>
public sealed record SoftmaxRecord(int Input, int Output, int InputMultiplier, int InputLeftShift, int DiffMin) : DeviceOp
{
    public static OpRecordFormat Format { get; } = new(BlobFormat.OpSoftmax, "Softmax",
        [new("input", ReadTensor), new("output", WrittenTensor), new("inputMultiplier", Word), new("inputLeftShift", Word), new("diffMin", Word)],
        v => new SoftmaxRecord(v.Int("input"), v.Int("output"), v.Int("inputMultiplier"), v.Int("inputLeftShift"), v.Int("diffMin")));

    public override int OpCode => BlobFormat.OpSoftmax;

    public override bool CanRunInPlace => true;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override RecordValues Values() => new RecordValues()
        .Set("input", Input).Set("output", Output).Set("inputMultiplier", InputMultiplier).Set("inputLeftShift", InputLeftShift).Set("diffMin", DiffMin);
}
