using System.Collections.Immutable;
using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;
using static QuantEdge.Compiler.Blob.RecordFieldKind;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// Convolution over NHWC input; weights OHWI; the input zero point is subtracted as inputs load (not folded).
/// The device side of this record is src/QuantEdge.Runtime/Interpreter/Conv2DOp.cs.
/// </summary>
public sealed record Conv2DRecord(
    int Input, int Output, DeviceWindow Window, int InputZeroPoint, ImmutableArray<sbyte> Weights, ImmutableArray<int> Bias, Requantization Requantization,
    int OutputZeroPoint, int ActivationMin, int ActivationMax, WeightLayout WeightLayout = WeightLayout.Int8Rows) : DeviceOp
{
    public static OpRecordFormat Format { get; } = new(BlobFormat.OpConv2D, "Conv2D",
    [
        new("input", ReadTensor), new("output", WrittenTensor), new("window", RecordFieldKind.Window), new("inputZeroPoint", Word),
        new("weights", Int8Data, "O·fH·fW·I, OHWI"), new("bias", Int32Data, "O i32"), new("requantization", RecordFieldKind.Requantization),
        new("outputZeroPoint", Word), new("activationMin", Word), new("activationMax", Word),
        new("weightZeroPoint", OptionalWord, "absent = 0"),
    ], v => new Conv2DRecord(v.Int("input"), v.Int("output"), v.Window("window"), v.Int("inputZeroPoint"), v.Int8s("weights"), v.Ints("bias"),
        v.Requantization("requantization"), v.Int("outputZeroPoint"), v.Int("activationMin"), v.Int("activationMax"), v.Layout)
    {
        WeightZeroPoint = v.Int("weightZeroPoint"),
    });

    public override int Flags => Requantization.Flags;

    /// <summary>Zero point of asymmetric weights (models quantized elsewhere); written as an extra word only when nonzero.</summary>
    public int WeightZeroPoint { get; init; }

    public override int OpCode => BlobFormat.OpConv2D;

    public override WeightLayout Layout => WeightLayout;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override RecordValues Values() => new RecordValues()
        .Set("input", Input).Set("output", Output).Set("window", Window).Set("inputZeroPoint", InputZeroPoint).Set("weights", Weights)
        .Set("bias", Bias).Set("requantization", Requantization).Set("outputZeroPoint", OutputZeroPoint)
        .Set("activationMin", ActivationMin).Set("activationMax", ActivationMax).Set("weightZeroPoint", WeightZeroPoint);
}
