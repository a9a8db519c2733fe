using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;
using static QuantEdge.Compiler.Blob.RecordFieldKind;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// Element-wise sum with rescaling (TFLite's int8 Add); zero points come from the tensors.
/// The device side of this record is src/QuantEdge.Runtime/Interpreter/AddOp.cs.
/// </summary>
public sealed record AddRecord(int Input1, int Input2, int Output, AddParams Params) : DeviceOp
{
    public static OpRecordFormat Format { get; } = new(BlobFormat.OpAdd, "Add",
    [
        new("input1", ReadTensor), new("input2", ReadTensor), new("output", WrittenTensor), new("leftShift", Word), new("input1Multiplier", Word),
        new("input1Shift", Word), new("input2Multiplier", Word), new("input2Shift", Word), new("outputMultiplier", Word),
        new("outputShift", Word), new("activationMin", Word), new("activationMax", Word),
    ], v => new AddRecord(v.Int("input1"), v.Int("input2"), v.Int("output"), v.Elementwise(new AddParams
    {
        LeftShift = v.Int("leftShift"),
        Input1Multiplier = v.Int("input1Multiplier"),
        Input1Shift = v.Int("input1Shift"),
        Input2Multiplier = v.Int("input2Multiplier"),
        Input2Shift = v.Int("input2Shift"),
        OutputMultiplier = v.Int("outputMultiplier"),
        OutputShift = v.Int("outputShift"),
    })));

    public override int OpCode => BlobFormat.OpAdd;

    public override IReadOnlyList<int> InputTensors => [Input1, Input2];

    public override int OutputTensor => Output;

    internal override RecordValues Values() => new RecordValues()
        .Set("input1", Input1).Set("input2", Input2).Set("output", Output).Set("leftShift", Params.LeftShift)
        .Set("input1Multiplier", Params.Input1Multiplier).Set("input1Shift", Params.Input1Shift)
        .Set("input2Multiplier", Params.Input2Multiplier).Set("input2Shift", Params.Input2Shift)
        .Set("outputMultiplier", Params.OutputMultiplier).Set("outputShift", Params.OutputShift)
        .Set("activationMin", Params.ActivationMin).Set("activationMax", Params.ActivationMax);
}
