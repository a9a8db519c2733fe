using System.Collections.Immutable;
using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;
using static QuantEdge.Compiler.Blob.RecordFieldKind;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// out = clamp(MBQM(Bias + Σ (x − zp_x)·(w − WeightZeroPoint)) + zp). Bias is raw: the device folds the
/// input zero points (the input tensor's, or the model input's per-feature ones) in at load.
/// The device side of this record is src/QuantEdge.Runtime/Interpreter/FullyConnectedOp.cs.
/// </summary>
public sealed record FullyConnectedRecord(
    int Input, int Output, ImmutableArray<sbyte> Weights, ImmutableArray<int> Bias, Requantization Requantization,
    int OutputZeroPoint, int ActivationMin, int ActivationMax, int WeightZeroPoint = 0,
    WeightLayout WeightLayout = WeightLayout.Int8Rows) : DeviceOp
{
    public static OpRecordFormat Format { get; } = new(BlobFormat.OpFullyConnected, "FullyConnected",
    [
        new("input", ReadTensor), new("output", WrittenTensor), new("weights", Int8Data, "O·K bytes, int8, row per output"),
        new("bias", Int32Data, "O i32"), new("requantization", RecordFieldKind.Requantization), new("outputZeroPoint", Word),
        new("activationMin", Word), new("activationMax", Word), new("weightZeroPoint", Word),
    ], v => new FullyConnectedRecord(v.Int("input"), v.Int("output"), v.Int8s("weights"), v.Ints("bias"), v.Requantization("requantization"),
        v.Int("outputZeroPoint"), v.Int("activationMin"), v.Int("activationMax"), v.Int("weightZeroPoint"), v.Layout));

    public override int Flags => Requantization.Flags;

    public override int OpCode => BlobFormat.OpFullyConnected;

    public override WeightLayout Layout => WeightLayout;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override RecordValues Values() => new RecordValues()
        .Set("input", Input).Set("output", Output).Set("weights", Weights).Set("bias", Bias).Set("requantization", Requantization)
        .Set("outputZeroPoint", OutputZeroPoint).Set("activationMin", ActivationMin).Set("activationMax", ActivationMax)
        .Set("weightZeroPoint", WeightZeroPoint);
}
