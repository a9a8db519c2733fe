using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Blob;

// The host side of each op record in docs/blob-format.md. The device side of the same record is
// src/QuantEdge.Runtime/Interpreter/<Op>Op.cs; the two must write and read the same words in the same order.

/// <summary>
/// out = clamp(MBQM(Bias + Σ (x − zp_x)·(w − WeightZeroPoint)) + zp). Bias is raw: the device folds the
/// input zero points (the input tensor's, or the model input's per-feature ones) in at load.
/// </summary>
public sealed record FullyConnectedOp(
    int Input, int Output, sbyte[] Weights, int[] Bias, Requantization Requantization,
    int OutputZeroPoint, int ActivationMin, int ActivationMax, int WeightZeroPoint = 0,
    WeightLayout WeightLayout = WeightLayout.Int8Rows) : DeviceOp
{
    public override int Flags => Requantization.Flags;

    public override int OpCode => BlobFormat.OpFullyConnected;

    public override WeightLayout Layout => WeightLayout;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override void WriteWords(OpWords w)
    {
        Requantization.WriteTo(w.Tensor(Input).Tensor(Output).Int8s(Weights).Int32s(Bias));
        w.Word(OutputZeroPoint).Word(ActivationMin).Word(ActivationMax).Word(WeightZeroPoint);
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
    int Input, int Output, Window Window, int InputZeroPoint, sbyte[] Weights, int[] Bias, Requantization Requantization,
    int OutputZeroPoint, int ActivationMin, int ActivationMax, WeightLayout WeightLayout = WeightLayout.Int8Rows) : DeviceOp
{
    public override int Flags => Requantization.Flags;

    /// <summary>Zero point of asymmetric weights (models quantized elsewhere); written as an extra word only when nonzero.</summary>
    public int WeightZeroPoint { get; init; }

    public override int OpCode => BlobFormat.OpConv2D;

    public override WeightLayout Layout => WeightLayout;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override void WriteWords(OpWords w)
    {
        Requantization.WriteTo(Window.WriteTo(w.Tensor(Input).Tensor(Output)).Word(InputZeroPoint).Int8s(Weights).Int32s(Bias));
        w.Word(OutputZeroPoint).Word(ActivationMin).Word(ActivationMax);
        if (WeightZeroPoint != 0)
        {
            w.Word(WeightZeroPoint);
        }
    }
}

/// <summary>Depthwise convolution; weights [FilterH, FilterW, OutputChannels] (1HWC); output channel o reads input channel o / DepthMultiplier.</summary>
public sealed record DepthwiseConv2DOp(
    int Input, int Output, Window Window, int InputZeroPoint, int DepthMultiplier, sbyte[] Weights, int[] Bias, Requantization Requantization,
    int OutputZeroPoint, int ActivationMin, int ActivationMax) : DeviceOp
{
    public override int Flags => Requantization.Flags;

    public override int OpCode => BlobFormat.OpDepthwiseConv2D;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override void WriteWords(OpWords w)
    {
        Requantization.WriteTo(Window.WriteTo(w.Tensor(Input).Tensor(Output)).Word(InputZeroPoint).Word(DepthMultiplier).Int8s(Weights).Int32s(Bias));
        w.Word(OutputZeroPoint).Word(ActivationMin).Word(ActivationMax);
    }
}

/// <summary>Max or average pooling (same quantization in and out; average: padding not counted).</summary>
public sealed record Pool2DOp(int Input, int Output, Window Window, bool Average, int ActivationMin = -128, int ActivationMax = 127) : DeviceOp
{
    public override int OpCode => Average ? BlobFormat.OpAveragePool2D : BlobFormat.OpMaxPool2D;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override void WriteWords(OpWords w) =>
        Window.WriteTo(w.Tensor(Input).Tensor(Output), withDilation: false).Word(ActivationMin).Word(ActivationMax);
}

/// <summary>Mean over H×W per channel; Multiplier/Shift encode inScale / (outScale · H · W).</summary>
public sealed record GlobalAveragePoolOp(int Input, int Output, int Multiplier, int Shift, int ActivationMin = -128, int ActivationMax = 127) : DeviceOp
{
    public override int OpCode => BlobFormat.OpGlobalAveragePool;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override void WriteWords(OpWords w) =>
        w.Tensor(Input).Tensor(Output).Word(Multiplier).Word(Shift).Word(ActivationMin).Word(ActivationMax);
}

/// <summary>Element-wise sum with rescaling (TFLite's int8 Add); zero points come from the tensors.</summary>
public sealed record AddOp(int Input1, int Input2, int Output, Runtime.Kernels.AddParams Params) : DeviceOp
{
    public override int OpCode => BlobFormat.OpAdd;

    public override IReadOnlyList<int> InputTensors => [Input1, Input2];

    public override int OutputTensor => Output;

    internal override void WriteWords(OpWords w) =>
        w.Tensor(Input1).Tensor(Input2).Tensor(Output).Word(Params.LeftShift)
            .Word(Params.Input1Multiplier).Word(Params.Input1Shift).Word(Params.Input2Multiplier).Word(Params.Input2Shift)
            .Word(Params.OutputMultiplier).Word(Params.OutputShift).Word(Params.ActivationMin).Word(Params.ActivationMax);
}

/// <summary>Element-wise product; zero points come from the tensors.</summary>
public sealed record MulOp(int Input1, int Input2, int Output, Runtime.Kernels.MulParams Params) : DeviceOp
{
    public override int OpCode => BlobFormat.OpMul;

    public override IReadOnlyList<int> InputTensors => [Input1, Input2];

    public override int OutputTensor => Output;

    internal override void WriteWords(OpWords w) =>
        w.Tensor(Input1).Tensor(Input2).Tensor(Output).Word(Params.OutputMultiplier).Word(Params.OutputShift)
            .Word(Params.ActivationMin).Word(Params.ActivationMax);
}

/// <summary>Any unary function as a 256-entry table: out = Table[x + 128].</summary>
public sealed record LookupOp(int Input, int Output, sbyte[] Table) : DeviceOp
{
    public override int OpCode => BlobFormat.OpLookup;

    public override bool CanRunInPlace => true;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override void WriteWords(OpWords w)
    {
        if (Table.Length != 256)
        {
            throw new ArgumentException("a lookup table has 256 entries");
        }

        w.Tensor(Input).Tensor(Output).Int8s(Table);
    }
}

/// <summary>Softmax over the last dim; output scale 1/256, zero point −128.</summary>
public sealed record SoftmaxOp(int Input, int Output, int InputMultiplier, int InputLeftShift, int DiffMin) : DeviceOp
{
    public override int OpCode => BlobFormat.OpSoftmax;

    public override bool CanRunInPlace => true;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override void WriteWords(OpWords w) =>
        w.Tensor(Input).Tensor(Output).Word(InputMultiplier).Word(InputLeftShift).Word(DiffMin);
}

/// <summary>Concatenation along an NHWC axis (0..3); all tensors share one quantization.</summary>
public sealed record ConcatOp(int[] Inputs, int Output, int Axis) : DeviceOp
{
    public override int OpCode => BlobFormat.OpConcat;

    public override IReadOnlyList<int> InputTensors => Inputs;

    public override int OutputTensor => Output;

    internal override void WriteWords(OpWords w)
    {
        w.Tensor(Output).Word(Axis).Word(Inputs.Length);
        foreach (int input in Inputs)
        {
            w.Tensor(input);
        }
    }
}
