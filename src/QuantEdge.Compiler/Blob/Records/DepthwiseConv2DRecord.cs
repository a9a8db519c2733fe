using System.Collections.Immutable;
using QuantEdge.Runtime.Format;
using static QuantEdge.Compiler.Blob.RecordFieldKind;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// Depthwise convolution; weights [FilterH, FilterW, OutputChannels] (1HWC); output channel o reads input channel o / DepthMultiplier.
/// The device side of this record is src/QuantEdge.Runtime/Interpreter/DepthwiseConv2DOp.cs.
/// </summary>
public sealed record DepthwiseConv2DRecord(
    int Input, int Output, DeviceWindow Window, int InputZeroPoint, int DepthMultiplier, ImmutableArray<sbyte> Weights, ImmutableArray<int> Bias, Requantization Requantization,
    int OutputZeroPoint, int ActivationMin, int ActivationMax) : DeviceOp
{
    public static OpRecordFormat Format { get; } = new(BlobFormat.OpDepthwiseConv2D, "DepthwiseConv2D",
    [
        new("input", ReadTensor), new("output", WrittenTensor), new("window", RecordFieldKind.Window), new("inputZeroPoint", Word),
        new("depthMultiplier", Word), new("weights", Int8Data, "fH·fW·O, 1HWC"), new("bias", Int32Data, "O i32"),
        new("requantization", RecordFieldKind.Requantization), new("outputZeroPoint", Word), new("activationMin", Word), new("activationMax", Word),
    ], v => new DepthwiseConv2DRecord(v.Int("input"), v.Int("output"), v.Window("window"), v.Int("inputZeroPoint"), v.Int("depthMultiplier"),
        v.Int8s("weights"), v.Ints("bias"), v.Requantization("requantization"), v.Int("outputZeroPoint"), v.Int("activationMin"), v.Int("activationMax")));

    public override int Flags => Requantization.Flags;

    public override int OpCode => BlobFormat.OpDepthwiseConv2D;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override RecordValues Values() => new RecordValues()
        .Set("input", Input).Set("output", Output).Set("window", Window).Set("inputZeroPoint", InputZeroPoint)
        .Set("depthMultiplier", DepthMultiplier).Set("weights", Weights).Set("bias", Bias).Set("requantization", Requantization)
        .Set("outputZeroPoint", OutputZeroPoint).Set("activationMin", ActivationMin).Set("activationMax", ActivationMax);
}
