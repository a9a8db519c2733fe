using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// Sub, Maximum or Minimum of two tensors that broadcast to the output (each NHWC dim equal to the
/// output's or 1), with Add's rescaling of both inputs to a common scale (<see cref="AddParams"/>, whose
/// size and zero points the device takes from the tensors). Three opcodes, one record.
/// The device side of this record is src/QuantEdge.Runtime/Interpreter/BroadcastOp.cs.
/// </summary>
public sealed record BroadcastRecord(int OpCode, int Input1, int Input2, int Output, AddParams Params) : DeviceOp
{
    private readonly AddParams parameters = KernelParamsCopy.Of(Params);

    /// <summary>The kernel's parameters: a copy each time (<see cref="AddParams"/> is the device's mutable block), so the record stays as made.</summary>
    public AddParams Params
    {
        get => KernelParamsCopy.Of(parameters);
        init => parameters = KernelParamsCopy.Of(value);
    }

    public static OpRecordFormat SubFormat { get; } = Format(BlobFormat.OpSub, "Sub");

    public static OpRecordFormat MaximumFormat { get; } = Format(BlobFormat.OpMaximum, "Maximum");

    public static OpRecordFormat MinimumFormat { get; } = Format(BlobFormat.OpMinimum, "Minimum");

    public override int OpCode { get; } = OpCode is BlobFormat.OpSub or BlobFormat.OpMaximum or BlobFormat.OpMinimum
        ? OpCode
        : throw new ArgumentException($"opcode {OpCode} is not a broadcast op");

    /// <summary>"Sub", "Maximum" or "Minimum".</summary>
    public override string Kind => OpRecordFormats.Of(OpCode)!.Name;

    public override IReadOnlyList<int> InputTensors => [Input1, Input2];

    public override int OutputTensor => Output;

    internal override RecordValues Values() => AddRecord.RescalingValues(Input1, Input2, Output, Params);

    private static OpRecordFormat Format(int opCode, string name) => new(opCode, name, AddRecord.RescaledFields,
        v => new BroadcastRecord(opCode, v.Int("input1"), v.Int("input2"), v.Int("output"), AddRecord.ReadRescaling(v)));
}
