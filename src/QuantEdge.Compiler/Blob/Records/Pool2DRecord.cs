using QuantEdge.Runtime.Format;
using static QuantEdge.Compiler.Blob.RecordFieldKind;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// Max or average pooling (same quantization in and out; average: padding not counted): two opcodes, one record.
/// The device side of this record is src/QuantEdge.Runtime/Interpreter/Pool2DOp.cs.
/// </summary>
public sealed record Pool2DRecord(int Input, int Output, DeviceWindow Window, bool Average, int ActivationMin = -128, int ActivationMax = 127) : DeviceOp
{
    public static OpRecordFormat MaxFormat { get; } = Format(BlobFormat.OpMaxPool2D, "MaxPool2D", average: false);

    public static OpRecordFormat AverageFormat { get; } = Format(BlobFormat.OpAveragePool2D, "AveragePool2D", average: true);

    public override int OpCode => Average ? BlobFormat.OpAveragePool2D : BlobFormat.OpMaxPool2D;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override RecordValues Values() => new RecordValues()
        .Set("input", Input).Set("output", Output).Set("window", Window).Set("activationMin", ActivationMin).Set("activationMax", ActivationMax);

    private static OpRecordFormat Format(int opCode, string name, bool average) => new(opCode, name,
    [
        new("input", ReadTensor), new("output", WrittenTensor), new("window", PoolWindow), new("activationMin", Word), new("activationMax", Word),
    ], v => new Pool2DRecord(v.Int("input"), v.Int("output"), v.Window("window"), average, v.Int("activationMin"), v.Int("activationMax")));
}
