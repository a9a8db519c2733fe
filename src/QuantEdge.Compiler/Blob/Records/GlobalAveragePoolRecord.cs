using QuantEdge.Runtime.Format;
using static QuantEdge.Compiler.Blob.RecordFieldKind;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// Mean over H×W per channel; Multiplier/Shift encode inScale / (outScale · H · W).
/// The device side of this record is src/QuantEdge.Runtime/Interpreter/GlobalAveragePoolOp.cs.
/// </summary>
public sealed record GlobalAveragePoolRecord(int Input, int Output, int Multiplier, int Shift, int ActivationMin = -128, int ActivationMax = 127) : DeviceOp
{
    public static OpRecordFormat Format { get; } = new(BlobFormat.OpGlobalAveragePool, "GlobalAveragePool",
    [
        new("input", ReadTensor), new("output", WrittenTensor), new("multiplier", Word), new("shift", Word), new("activationMin", Word), new("activationMax", Word),
    ], v => new GlobalAveragePoolRecord(v.Int("input"), v.Int("output"), v.Int("multiplier"), v.Int("shift"), v.Int("activationMin"), v.Int("activationMax")));

    public override int OpCode => BlobFormat.OpGlobalAveragePool;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override RecordValues Values() => new RecordValues()
        .Set("input", Input).Set("output", Output).Set("multiplier", Multiplier).Set("shift", Shift)
        .Set("activationMin", ActivationMin).Set("activationMax", ActivationMax);
}
