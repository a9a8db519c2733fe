using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Ops;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Compiler.Quantization.Lowering;
using DataType = Onnx.TensorProto.Types.DataType;

namespace QuantEdge.Compiler.PreQuantized;

/// <summary>The dispatch of a quantized graph's nodes to their op's import (in <c>Ops/</c>) and what those share.</summary>
internal sealed partial class PreQuantizedGraph
{
    /// <summary>Each ONNX op type's import into a quantized model: a <c>[ForOp("OpType")]</c> method in the op's file, <c>Ops/&lt;Op&gt;.cs</c>.</summary>
    private static readonly OpParts<string> Imports = new(typeof(PreQuantizedGraph), StringComparer.Ordinal);

    public static readonly IReadOnlyList<string> SupportedOps = Imports.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The requantization of an accumulator output: ×1 (M = 2^30, shift 1), never used by <see cref="Runtime.Model.InvokeAccumulators"/>.</summary>
    private const int UnitMultiplier = 1 << 30, UnitShift = 1;

    private void Convert(OnnxNodeContext c)
    {
        if (c.Node.Domain is not ("" or "ai.onnx"))
        {
            throw c.Error($"op '{c.Node.OpType}' of domain '{c.Node.Domain}' is not supported.");
        }

        string output = c.OutputName(0);
        values[output] = Imports.TryRun(this, c.Node.OpType, [c], out object? value)
            ? (Value)value!
            : throw c.Error($"op type '{c.Node.OpType}' is not supported in a quantized model. Supported: {string.Join(", ", SupportedOps)}.");
    }

    /// <summary>
    /// An op that keeps its input's quantization (MaxPool, Reshape, Flatten): on a quantized tensor it
    /// is lowered at once; on a dequantized one (QDQ) when the QuantizeLinear after it turns out to
    /// use the same scale and zero point, since requantizing would need another op.
    /// </summary>
    private Value SameQuantizationOp(OnnxNodeContext c, Func<Quantized, (int[] Shape, int[] Order, Func<int, int, DeviceOp> Op)> plan)
    {
        string output = c.OutputName(0);
        switch (ValueOf(c, 0))
        {
            case Quantized q:
                return Emit(Usable(q, c.Description), plan(q));
            case Dequantized d:
                var planned = plan(Usable(d.Source, c.Description));
                return new Pending(spec =>
                {
                    if (spec.Unsigned != d.Source.Unsigned || !SameQuantization(spec.Params, d.Source.Params) || spec.Min > -128 || spec.Max < 127)
                    {
                        throw c.Error("is quantized again with another scale, zero point or clamp than its input; requantizing is not supported.");
                    }

                    return Emit(d.Source, planned);
                });
            case var other:
                throw c.Error($"reads {Describe(other)}; a quantized (or dequantized) tensor is expected.");
        }

        Quantized Emit(Quantized x, (int[] Shape, int[] Order, Func<int, int, DeviceOp> Op) p)
        {
            int tensor = device.AddTensor(new DeviceTensor(output, [.. DevicePlan.DeviceDims(p.Shape)], x.Params.Scale, x.Params.ZeroPoint));
            device.Ops.Add(p.Op(x.Tensor, tensor));
            return x with { Tensor = tensor, Shape = p.Shape, Order = p.Order };
        }
    }

    /// <summary>
    /// Per output channel, the multiplier and shift reproducing ONNX's requantization of x_scale ×
    /// w_scale[o] / y_scale over every accumulator the channel can produce; for accumulator outputs (no
    /// spec) a unit requantization that is never applied.
    /// </summary>
    private (int[] Multipliers, int[] Shifts, OutputSpec Output) Requantization(OnnxNodeContext c, Quantized x, OutputSpec? spec, float[] weightScales, Func<int, (long Low, long High)> range)
    {
        int channels = weightScales.Length;
        if (spec is not { } y)
        {
            return (Enumerable.Repeat(UnitMultiplier, channels).ToArray(), Enumerable.Repeat(UnitShift, channels).ToArray(), new OutputSpec(new QuantParams(1f, 0), false, -128, 127));
        }

        var multipliers = new int[channels];
        var shifts = new int[channels];
        for (int o = 0; o < channels; o++)
        {
            ExactRatio m = ExactRatio.FromFloat(x.Params.Scale) * ExactRatio.FromFloat(weightScales[o]) / ExactRatio.FromFloat(y.Params.Scale);
            (long low, long high) = range(o);
            RequantizationFit fit = ExactRequantizer.Fit(m, low, high, y.Params.ZeroPoint, y.Min, y.Max);
            reports.Add(new RequantizationReport(c.IrName, o, m, fit));
            multipliers[o] = fit.Multiplier;
            shifts[o] = fit.Shift;
        }

        return (multipliers, shifts, y);
    }

    /// <summary>
    /// The accumulators a channel can produce: bias plus, per weight w' = w − wzp, the product with any
    /// x − xzp (x an int8 code). For a convolution a tap may fall in the padding and add nothing.
    /// </summary>
    private static (long Low, long High) AccumulatorRange(OnnxNodeContext c, long bias, int inputZeroPoint, IEnumerable<int> weights, bool skippable)
    {
        long low = bias, high = bias;
        foreach (int w in weights)
        {
            long a = (long)w * (-128 - inputZeroPoint), b = (long)w * (127 - inputZeroPoint);
            low += Math.Min(Math.Min(a, b), skippable ? 0 : long.MaxValue);
            high += Math.Max(Math.Max(a, b), skippable ? 0 : long.MinValue);
        }

        return low >= int.MinValue && high <= int.MaxValue
            ? (low, high)
            : throw c.Error($"its accumulators can reach [{low}, {high}], beyond int32.");
    }

    /// <summary>An integer weight matrix as [outputs][depth], whatever its ONNX layout.</summary>
    private sealed record Matrix(long[] Values, int Outputs, int Depth, bool Transposed)
    {
        public long At(int o, int k) => Transposed ? Values[o * Depth + k] : Values[k * Outputs + o];
    }

    /// <summary>MatMul's B is [K, O]; Gemm's with transB is [O, K].</summary>
    private static Matrix MatrixOf(OnnxNodeContext c, Constant b, int slot, bool transposed)
    {
        long[] values = b.Tensor.Integers ?? throw c.Error($"input {slot} (weights) must be integers.");
        int[] shape = b.Tensor.Shape;
        if (shape.Length != 2)
        {
            throw c.Error($"only rank-2 weights are supported, not {Shapes.Format(shape)}.");
        }

        return transposed ? new Matrix(values, shape[0], shape[1], true) : new Matrix(values, shape[1], shape[0], false);
    }

    private Quantized DequantizedInput(OnnxNodeContext c) => ValueOf(c, 0) is Dequantized d
        ? Usable(d.Source, c.Description)
        : throw c.Error($"{c.Node.OpType} on a float value is not part of a quantized model; its input must come from DequantizeLinear (QDQ).");

    /// <summary>QDQ weights: an integer constant through DequantizeLinear, per tensor or per output channel.</summary>
    private DequantizedConstant DequantizedWeights(OnnxNodeContext c, int slot, int outputAxis)
    {
        if (ValueOf(c, slot) is not DequantizedConstant w || w.Source.Tensor.Integers is null)
        {
            throw c.Error($"input {slot} (weights) must be an integer constant through DequantizeLinear.");
        }

        return w.Axis < 0 || w.Axis == outputAxis ? w : throw c.Error($"weights are quantized per axis {w.Axis}; only per tensor or per output channel (axis {outputAxis}) is supported.");
    }

    /// <summary>
    /// QDQ bias: an int32 constant through DequantizeLinear with zero point 0 and scale x_scale × w_scale[o]
    /// (as float32), so that it adds to the accumulator exactly, as QLinearConv's B does.
    /// </summary>
    private long[]? QdqBias(OnnxNodeContext c, int slot, Quantized x, DequantizedConstant w)
    {
        if (c.InputName(slot) is null)
        {
            return null;
        }

        if (ValueOf(c, slot) is not DequantizedConstant b || b.Source.Type != DataType.Int32 || b.ZeroPoints.Any(z => z != 0))
        {
            throw c.Error($"input {slot} (bias) must be an int32 constant through DequantizeLinear with zero point 0.");
        }

        long[] bias = b.Source.Tensor.Integers!;
        for (int o = 0; o < bias.Length; o++)
        {
            float expected = x.Params.Scale * w.Scales[w.Scales.Length == 1 ? 0 : o];
            if (BitConverter.SingleToInt32Bits(b.Scales[b.Scales.Length == 1 ? 0 : o]) != BitConverter.SingleToInt32Bits(expected))
            {
                throw c.Error($"the bias scale of channel {o} is {b.Scales[b.Scales.Length == 1 ? 0 : o]:R}, not x_scale × w_scale = {expected:R}; such a bias cannot be added to the accumulator exactly.");
            }
        }

        return bias;
    }

    private static OutputSpec Spec(OnnxNodeContext c, float[] scales, (long[] ZeroPoints, bool Unsigned) zeroPoints) =>
        Spec(c, scales, zeroPoints.ZeroPoints, zeroPoints.Unsigned);

    private static OutputSpec Spec(OnnxNodeContext c, float[] scales, long[] zeroPoints, bool unsigned) =>
        new(new QuantParams(PerTensor(scales, c, "output scale"), DeviceZeroPoint(c, PerTensor(zeroPoints, c, "output zero point"), unsigned)), unsigned, -128, 127);

    /// <summary>The kernels take one weight zero point per layer: per-channel zero points must all be equal.</summary>
    private static long OneZeroPoint(OnnxNodeContext c, long[] zeroPoints) => zeroPoints.Distinct().Count() == 1
        ? zeroPoints[0]
        : throw c.Error("per-channel weight zero points that differ are not supported (the kernels take one per layer).");

    private static sbyte DeviceWeight(OnnxNodeContext c, long value, bool unsigned)
    {
        long shifted = unsigned ? value - 128 : value;
        return shifted is >= -128 and <= 127 ? (sbyte)shifted : throw c.Error($"weight {value} is outside the {(unsigned ? "uint8" : "int8")} range.");
    }

    private static long[] ChannelBias(OnnxNodeContext c, long[]? bias, int outputs) => bias switch
    {
        null => new long[outputs],
        { Length: var n } when n == outputs => bias,
        _ => throw c.Error($"the bias has {bias.Length} values for {outputs} output channels."),
    };

    /// <summary>The weight scale of each output channel (an accumulator output has none: 1).</summary>
    private static float[] ChannelScales(OnnxNodeContext c, float[]? scales, int outputs) => scales switch
    {
        null => Enumerable.Repeat(1f, outputs).ToArray(),
        { Length: 1 } => Enumerable.Repeat(scales[0], outputs).ToArray(),
        { Length: var n } when n == outputs => scales,
        _ => throw c.Error($"{scales.Length} weight scales for {outputs} output channels."),
    };

    private static int ToInt32(OnnxNodeContext c, long value, string what) => value is >= int.MinValue and <= int.MaxValue
        ? (int)value
        : throw c.Error($"{what} of {value} does not fit int32.");
}
