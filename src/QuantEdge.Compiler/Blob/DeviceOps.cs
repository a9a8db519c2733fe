using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Blob;

// The host side of each op record in docs/blob-format.md. The device side of the same record is
// src/QuantEdge.Runtime/Interpreter/<Op>Op.cs; the two must write and read the same words in the same order.

/// <summary>out = clamp(MBQM(Bias + Σ x·(w − WeightZeroPoint)) + zp); Bias has the input zero point folded in.</summary>
public sealed record FullyConnectedOp(
    int Input, int Output, sbyte[] Weights, int[] Bias, int[] Multiplier, int[] Shift,
    int OutputZeroPoint, int ActivationMin, int ActivationMax, int WeightZeroPoint = 0,
    WeightLayout WeightLayout = WeightLayout.Int8Rows) : DeviceOp
{
    public override int OpCode => BlobFormat.OpFullyConnected;

    public override WeightLayout Layout => WeightLayout;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override void WriteWords(OpWords w)
    {
        w.Tensor(Input).Tensor(Output).Int8s(Weights).Int32s(Bias).Int32s(Multiplier).Int32s(Shift)
            .Word(OutputZeroPoint).Word(ActivationMin).Word(ActivationMax).Word(WeightZeroPoint);
    }
}

/// <summary>Reshape / Flatten: same bytes, new dims (the planner lets input and output share them).</summary>
public sealed record ReshapeOp(int Input, int Output) : DeviceOp
{
    public override int OpCode => BlobFormat.OpReshape;

    public override bool CanRunInPlace => true;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override void WriteWords(OpWords w) => w.Tensor(Input).Tensor(Output);
}
