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

/// <summary>The sliding window of a convolution or pool: filter size, stride, dilation, leading pads.</summary>
public sealed record Window(int FilterHeight, int FilterWidth, int StrideHeight = 1, int StrideWidth = 1,
    int DilationHeight = 1, int DilationWidth = 1, int PadTop = 0, int PadLeft = 0)
{
    internal OpWords WriteTo(OpWords w, bool withDilation = true)
    {
        w.Word(FilterHeight).Word(FilterWidth).Word(StrideHeight).Word(StrideWidth);
        if (withDilation)
        {
            w.Word(DilationHeight).Word(DilationWidth);
        }

        return w.Word(PadTop).Word(PadLeft);
    }
}

/// <summary>Convolution over NHWC input; weights OHWI; the input zero point is subtracted as inputs load (not folded).</summary>
public sealed record Conv2DOp(
    int Input, int Output, Window Window, int InputZeroPoint, sbyte[] Weights, int[] Bias, int[] Multiplier, int[] Shift,
    int OutputZeroPoint, int ActivationMin, int ActivationMax, WeightLayout WeightLayout = WeightLayout.Int8Rows) : DeviceOp
{
    public override int OpCode => BlobFormat.OpConv2D;

    public override WeightLayout Layout => WeightLayout;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override void WriteWords(OpWords w)
    {
        Window.WriteTo(w.Tensor(Input).Tensor(Output)).Word(InputZeroPoint).Int8s(Weights).Int32s(Bias).Int32s(Multiplier).Int32s(Shift)
            .Word(OutputZeroPoint).Word(ActivationMin).Word(ActivationMax);
    }
}

/// <summary>Depthwise convolution; weights [FilterH, FilterW, OutputChannels] (1HWC); output channel o reads input channel o / DepthMultiplier.</summary>
public sealed record DepthwiseConv2DOp(
    int Input, int Output, Window Window, int InputZeroPoint, int DepthMultiplier, sbyte[] Weights, int[] Bias, int[] Multiplier, int[] Shift,
    int OutputZeroPoint, int ActivationMin, int ActivationMax) : DeviceOp
{
    public override int OpCode => BlobFormat.OpDepthwiseConv2D;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override void WriteWords(OpWords w)
    {
        Window.WriteTo(w.Tensor(Input).Tensor(Output)).Word(InputZeroPoint).Word(DepthMultiplier).Int8s(Weights).Int32s(Bias).Int32s(Multiplier).Int32s(Shift)
            .Word(OutputZeroPoint).Word(ActivationMin).Word(ActivationMax);
    }
}
