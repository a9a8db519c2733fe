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
    private readonly AddParams parameters = KernelParamsCopy.Of(Params);

    /// <summary>The kernel's parameters: a copy each time (<see cref="AddParams"/> is the device's mutable block), so the record stays as made.</summary>
    public AddParams Params
    {
        get => KernelParamsCopy.Of(parameters);
        init => parameters = KernelParamsCopy.Of(value);
    }

    /// <summary>Add's fields: the tensors, both inputs' rescaling to a common scale, the output's, the clamp (<see cref="BroadcastRecord"/> has them too).</summary>
    internal static readonly RecordField[] RescaledFields =
    [
        new("input1", ReadTensor), new("input2", ReadTensor), new("output", WrittenTensor), new("leftShift", Word), new("input1Multiplier", Word),
        new("input1Shift", Word), new("input2Multiplier", Word), new("input2Shift", Word), new("outputMultiplier", Word),
        new("outputShift", Word), new("activationMin", Word), new("activationMax", Word),
    ];

    public static OpRecordFormat Format { get; } = new(BlobFormat.OpAdd, "Add", RescaledFields,
        v => new AddRecord(v.Int("input1"), v.Int("input2"), v.Int("output"), ReadRescaling(v)));

    public override int OpCode => BlobFormat.OpAdd;

    public override IReadOnlyList<int> InputTensors => [Input1, Input2];

    public override int OutputTensor => Output;

    internal override RecordValues Values() => RescalingValues(Input1, Input2, Output, Params);

    internal static AddParams ReadRescaling(RecordValues v) => v.Elementwise(new AddParams
    {
        LeftShift = v.Int("leftShift"),
        Input1Multiplier = v.Int("input1Multiplier"),
        Input1Shift = v.Int("input1Shift"),
        Input2Multiplier = v.Int("input2Multiplier"),
        Input2Shift = v.Int("input2Shift"),
        OutputMultiplier = v.Int("outputMultiplier"),
        OutputShift = v.Int("outputShift"),
    });

    internal static RecordValues RescalingValues(int input1, int input2, int output, AddParams p) => new RecordValues()
        .Set("input1", input1).Set("input2", input2).Set("output", output).Set("leftShift", p.LeftShift)
        .Set("input1Multiplier", p.Input1Multiplier).Set("input1Shift", p.Input1Shift)
        .Set("input2Multiplier", p.Input2Multiplier).Set("input2Shift", p.Input2Shift)
        .Set("outputMultiplier", p.OutputMultiplier).Set("outputShift", p.OutputShift)
        .Set("activationMin", p.ActivationMin).Set("activationMax", p.ActivationMax);
}
