using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;
using static QuantEdge.Compiler.Blob.RecordFieldKind;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// Element-wise product; zero points come from the tensors.
/// The device side of this record is src/QuantEdge.Runtime/Interpreter/MulOp.cs.
/// </summary>
public sealed record MulRecord(int Input1, int Input2, int Output, MulParams Params) : DeviceOp
{
    private readonly MulParams parameters = KernelParamsCopy.Of(Params);

    /// <summary>The kernel's parameters: a copy each time (<see cref="MulParams"/> is the device's mutable block), so the record stays as made.</summary>
    public MulParams Params
    {
        get => KernelParamsCopy.Of(parameters);
        init => parameters = KernelParamsCopy.Of(value);
    }

    public static OpRecordFormat Format { get; } = new(BlobFormat.OpMul, "Mul",
    [
        new("input1", ReadTensor), new("input2", ReadTensor), new("output", WrittenTensor), new("outputMultiplier", Word), new("outputShift", Word),
        new("activationMin", Word), new("activationMax", Word),
    ], v => new MulRecord(v.Int("input1"), v.Int("input2"), v.Int("output"), v.Elementwise(new MulParams
    {
        OutputMultiplier = v.Int("outputMultiplier"),
        OutputShift = v.Int("outputShift"),
    })));

    public override int OpCode => BlobFormat.OpMul;

    public override IReadOnlyList<int> InputTensors => [Input1, Input2];

    public override int OutputTensor => Output;

    internal override RecordValues Values() => new RecordValues()
        .Set("input1", Input1).Set("input2", Input2).Set("output", Output).Set("outputMultiplier", Params.OutputMultiplier)
        .Set("outputShift", Params.OutputShift).Set("activationMin", Params.ActivationMin).Set("activationMax", Params.ActivationMax);
}
