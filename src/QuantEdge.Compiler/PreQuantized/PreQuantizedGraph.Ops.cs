using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Compiler.Quantization.Lowering;
using QuantEdge.Runtime.Kernels;
using DataType = Onnx.TensorProto.Types.DataType;

namespace QuantEdge.Compiler.PreQuantized;

/// <summary>The per-operator conversions of a quantized graph.</summary>
internal sealed partial class PreQuantizedGraph
{
    public static readonly IReadOnlyList<string> SupportedOps =
    [
        "Constant", "Conv", "ConvInteger", "DequantizeLinear", "Flatten", "Gemm", "Identity", "MatMul", "MatMulInteger",
        "MaxPool", "QLinearConv", "QLinearMatMul", "QuantizeLinear", "Relu", "Reshape",
    ];

    /// <summary>The requantization of an accumulator output: ×1 (M = 2^30, shift 1), never used by <see cref="Runtime.Model.InvokeAccumulators"/>.</summary>
    private const int UnitMultiplier = 1 << 30, UnitShift = 1;

    private void Convert(OnnxNodeContext c)
    {
        if (c.Node.Domain is not ("" or "ai.onnx"))
        {
            throw c.Error($"op '{c.Node.OpType}' of domain '{c.Node.Domain}' is not supported.");
        }

        string output = c.OutputName(0);
        values[output] = c.Node.OpType switch
        {
            "Constant" => ReadConstant(c),
            "Identity" => ValueOf(c, 0),
            "QuantizeLinear" => Quantize(c),
            "DequantizeLinear" => Dequantize(c),
            "QLinearMatMul" => QLinearMatMul(c),
            "MatMulInteger" => MatMulInteger(c),
            "QLinearConv" => QLinearConv(c),
            "ConvInteger" => ConvInteger(c),
            "Conv" => QdqConv(c),
            "Gemm" or "MatMul" => QdqDense(c),
            "Relu" => Relu(c),
            "MaxPool" => MaxPool(c),
            "Reshape" or "Flatten" => Reshape(c),
            _ => throw c.Error($"op type '{c.Node.OpType}' is not supported in a quantized model. Supported: {string.Join(", ", SupportedOps)}."),
        };
    }

    private static Constant ReadConstant(OnnxNodeContext c)
    {
        global::Onnx.TensorProto tensor = c.Tensor("value") ?? throw c.Error("only a Constant with a tensor 'value' is supported here.");
        return new Constant(OnnxTensors.Read(tensor, null, $"{c.Description} value"), (DataType)tensor.DataType);
    }

    private Value Quantize(OnnxNodeContext c)
    {
        c.RequireInputs(2, 3);
        long axis = c.Int("axis", 1);
        float[] scales = FloatValues(c, 1, "y_scale");
        (long[] zeroPoints, bool unsigned) = ZeroPoints(c, 2, DataType.Uint8);
        return ValueOf(c, 0) switch
        {
            FloatInput input => QuantizeInput(c, input, scales, zeroPoints, unsigned, axis),
            Pending pending => pending.Lower(Spec(c, scales, zeroPoints, unsigned)),
            Dequantized d => RequireAndReturn(c, d.Source),
            var other => throw c.Error($"quantizes {Describe(other)}; only the float model input or the result of a QDQ operator can be quantized."),
        };

        Quantized RequireAndReturn(OnnxNodeContext node, Quantized source)
        {
            RequireQuantization(node, source, 1, 2);
            return source;
        }
    }

    /// <summary>
    /// The float model input's QuantizeLinear becomes the device's input rules: raw integers (the
    /// real value in units of 10^e) quantized with a multiplier the <see cref="ExactRequantizer"/>
    /// chose, one rule for the tensor or one per channel.
    /// </summary>
    private Quantized QuantizeInput(OnnxNodeContext c, FloatInput input, float[] scales, long[] zeroPoints, bool unsigned, long axisAttribute)
    {
        if (device.InputRules.Count > 0)
        {
            throw c.Error("quantizes the float input a second time; the device quantizes its input once.");
        }

        int[] shape = input.Shape;
        int[] dims = DevicePlan.DeviceDims(shape);
        int[] order = DevicePlan.NaturalOrder(shape);
        bool perChannel = scales.Length > 1;
        int axis = perChannel ? OnnxSemantics.NormalizeAxis(c, axisAttribute, shape.Length) : 0;
        int channels = perChannel ? shape[axis] : 1;
        if (scales.Length != channels || (zeroPoints.Length != 1 && zeroPoints.Length != channels))
        {
            throw c.Error($"{scales.Length} scales and {zeroPoints.Length} zero points do not match {channels} channel(s) of input {Shapes.Format(shape)}.");
        }

        var rules = new InputRule[channels];
        for (int ch = 0; ch < channels; ch++)
        {
            float scale = scales[ch];
            int zeroPoint = DeviceZeroPoint(c, zeroPoints[zeroPoints.Length == 1 ? 0 : ch], unsigned);
            int unit = options.InputUnitExponent ?? RangeSelection.UnitExponent(scale, integral: false);
            ExactRatio m = ExactRatio.PowerOfTen(unit) / ExactRatio.FromFloat(scale);
            (long low, long high) = ExactRequantizer.TransitionRange(m, zeroPoint, -128, 127);
            RequantizationFit fit = ExactRequantizer.Fit(m, low, high, zeroPoint);
            reports.Add(new RequantizationReport("input", ch, m, fit));
            rules[ch] = new InputRule(unit, 0, fit.Multiplier, fit.Shift, zeroPoint, scale);
        }

        int inner = FloatTensor.ElementCount(shape[(axis + 1)..]);
        int perBatch = dims[1] * dims[2] * dims[3];
        for (int j = 0; j < (perChannel ? perBatch : 1); j++)
        {
            device.InputRules.Add(rules[perChannel ? order[j] / inner % channels : 0]);
        }

        QuantParams q = perChannel ? new QuantParams(1f, 0) : new QuantParams(rules[0].Scale, rules[0].ZeroPoint);
        int tensor = device.AddTensor(new DeviceTensor(input.Name, dims, q.Scale, q.ZeroPoint));
        device.Input = tensor;
        return new Quantized(tensor, shape, order, q, unsigned, perChannel);
    }

    private Value Dequantize(OnnxNodeContext c)
    {
        c.RequireInputs(2, 3);
        long axis = c.Int("axis", 1);
        switch (ValueOf(c, 0))
        {
            case Constant constant:
                float[] scales = FloatValues(c, 1, "x_scale");
                long[] zeroPoints = ZeroPoints(c, 2, constant.Type).ZeroPoints;
                return new DequantizedConstant(constant, scales, zeroPoints, scales.Length > 1 ? OnnxSemantics.NormalizeAxis(c, axis, constant.Tensor.Shape.Length) : -1);
            case Quantized q:
                RequireQuantization(c, Usable(q, c.Description), 1, 2);
                return new Dequantized(q);
            case var other:
                throw c.Error($"dequantizes {Describe(other)}; only constants and quantized tensors can be dequantized.");
        }
    }

    private Value QLinearMatMul(OnnxNodeContext c)
    {
        c.RequireInputs(8, 8);
        Quantized a = QuantizedInput(c, 0);
        RequireQuantization(c, a, 1, 2);
        Constant b = ConstantOf(c, 3, "b");
        (long[] zeroPoints, bool unsigned) = ZeroPoints(c, 5, b.Type);
        var layer = Dense(c, a, MatrixOf(c, b, 3, transposed: false), FloatValues(c, 4, "b_scale"), zeroPoints, unsigned, null);
        return layer(Spec(c, FloatValues(c, 6, "y_scale"), ZeroPoints(c, 7, DataType.Uint8)));
    }

    private Value MatMulInteger(OnnxNodeContext c)
    {
        c.RequireInputs(2, 4);
        Quantized a = QuantizedInput(c, 0);
        RequireQuantization(c, a, -1, 2);
        Constant b = ConstantOf(c, 1, "B");
        (long[] zeroPoints, bool unsigned) = ZeroPoints(c, 3, b.Type);
        return Dense(c, a, MatrixOf(c, b, 1, transposed: false), null, zeroPoints, unsigned, null)(null);
    }

    private Value QLinearConv(OnnxNodeContext c)
    {
        c.RequireInputs(8, 9);
        Quantized x = QuantizedInput(c, 0);
        RequireQuantization(c, x, 1, 2);
        Constant w = ConstantOf(c, 3, "w");
        (long[] zeroPoints, bool unsigned) = ZeroPoints(c, 5, w.Type);
        long[]? bias = c.InputName(8) is null ? null : IntegerValues(c, 8, "B").Values;
        var layer = Convolution(c, x, w, FloatValues(c, 4, "w_scale"), zeroPoints, unsigned, bias);
        return layer(Spec(c, FloatValues(c, 6, "y_scale"), ZeroPoints(c, 7, DataType.Uint8)));
    }

    private Value ConvInteger(OnnxNodeContext c)
    {
        c.RequireInputs(2, 4);
        Quantized x = QuantizedInput(c, 0);
        RequireQuantization(c, x, -1, 2);
        Constant w = ConstantOf(c, 1, "w");
        (long[] zeroPoints, bool unsigned) = ZeroPoints(c, 3, w.Type);
        return Convolution(c, x, w, null, zeroPoints, unsigned, null)(null);
    }

    /// <summary>QDQ: Conv(DequantizeLinear(x), DequantizeLinear(w)[, DequantizeLinear(int32 bias)]) → QuantizeLinear.</summary>
    private Value QdqConv(OnnxNodeContext c)
    {
        c.RequireInputs(2, 3);
        Quantized x = DequantizedInput(c);
        DequantizedConstant w = DequantizedWeights(c, 1, outputAxis: 0);
        var layer = Convolution(c, x, w.Source, w.Scales, w.ZeroPoints, w.Source.Unsigned, QdqBias(c, 2, x, w));
        return new Pending(spec => (Quantized)layer(spec));
    }

    /// <summary>QDQ: Gemm or MatMul of DequantizeLinear(x) by DequantizeLinear(weights), with a DequantizeLinear(int32 bias) for Gemm.</summary>
    private Value QdqDense(OnnxNodeContext c)
    {
        bool gemm = c.Node.OpType == "Gemm";
        c.RequireInputs(2, gemm ? 3 : 2);
        bool transposed = gemm && c.Int("transB", 0) != 0;
        if (gemm && (c.Float("alpha", 1) != 1 || c.Float("beta", 1) != 1 || c.Int("transA", 0) != 0))
        {
            throw c.Error("only alpha = beta = 1 and transA = 0 are supported in a quantized Gemm.");
        }

        Quantized x = DequantizedInput(c);
        DequantizedConstant w = DequantizedWeights(c, 1, outputAxis: transposed ? 0 : 1);
        var layer = Dense(c, x, MatrixOf(c, w.Source, 1, transposed), w.Scales, w.ZeroPoints, w.Source.Unsigned, gemm ? QdqBias(c, 2, x, w) : null);
        return new Pending(spec => (Quantized)layer(spec));
    }

    /// <summary>A ReLU between a QDQ layer and its QuantizeLinear clamps at the output's zero point (real 0): exact.</summary>
    private Value Relu(OnnxNodeContext c)
    {
        c.RequireInputs(1, 1);
        return ValueOf(c, 0) is Pending pending
            ? new Pending(spec => pending.Lower(spec with { Min = Math.Max(spec.Min, spec.Params.ZeroPoint) }))
            : throw c.Error("Relu is supported only right after a QDQ Conv, Gemm or MatMul (as a clamp of its output).");
    }

    private Value MaxPool(OnnxNodeContext c)
    {
        c.RequireInputs(1, 1);
        if (c.Node.Output.Skip(1).Any(o => o.Length > 0))
        {
            throw c.Error("the argmax indices output is not supported.");
        }

        c.Ignore("storage_order");
        return SameQuantizationOp(c, x =>
        {
            int[] kernel = OnnxSemantics.PoolKernel(c, x.Shape);
            OnnxWindow window = OnnxSemantics.ReadWindow(c, x.Shape, kernel, allowDilations: false);
            if (c.Int("ceil_mode", 0) != 0)
            {
                window = OnnxSemantics.CeilModePads(c, window, x.Shape, kernel, countIncludePad: false);
            }

            NchwShape s = NchwShape.Of(x.Shape);
            (int kh, int kw) = (x.Shape.Length == 3 ? 1 : kernel[0], kernel[^1]);
            int oh = Shapes.WindowOutputSize(s.Height, kh, window.Strides.Height, 1, window.Pads.Top, window.Pads.Bottom);
            int ow = Shapes.WindowOutputSize(s.Width, kw, window.Strides.Width, 1, window.Pads.Left, window.Pads.Right);
            var check = new Pool2DParams
            {
                InputHeight = s.Height, InputWidth = s.Width, OutputHeight = oh, OutputWidth = ow, FilterHeight = kh, FilterWidth = kw,
                StrideHeight = window.Strides.Height, StrideWidth = window.Strides.Width, PadTop = window.Pads.Top, PadLeft = window.Pads.Left,
            };
            if (!check.EveryWindowOverlapsInput())
            {
                throw c.Error("some pooling windows lie entirely in the padding.");
            }

            int[] shape = (s with { Height = oh, Width = ow }).ToShape(x.Shape.Length);
            return (shape, DevicePlan.NaturalOrder(shape), (input, output) => new Pool2DRecord(input, output,
                new DeviceWindow(kh, kw, window.Strides.Height, window.Strides.Width, PadTop: window.Pads.Top, PadLeft: window.Pads.Left), Average: false));
        });
    }

    private Value Reshape(OnnxNodeContext c)
    {
        bool flatten = c.Node.OpType == "Flatten";
        c.RequireInputs(flatten ? 1 : 2, flatten ? 1 : 2);
        long flattenAxis = flatten ? c.Int("axis", 1) : 0;
        long[] requested = flatten ? [] : IntegerValues(c, 1, "shape").Values;
        bool allowZero = !flatten && opset >= 14 && c.Int("allowzero", 0) != 0;

        return SameQuantizationOp(c, x =>
        {
            int[] shape = flatten ? OnnxSemantics.FlattenedShape(c, x.Shape, flattenAxis) : OnnxSemantics.ReshapedShape(c, x.Shape, requested, allowZero);
            // The bytes do not move: element j still holds ONNX element x.Order[j] (see DevicePlan's reshape).
            // A vector takes any order (the layer reading it permutes its weights); an image needs its natural one.
            int[] order = shape.Length <= 2 ? x.Order : DevicePlan.NaturalOrder(shape);
            if (shape.Length > 2 && !x.Order.SequenceEqual(order))
            {
                throw c.Error($"reshaping {Shapes.Format(x.Shape)} to {Shapes.Format(shape)} reorders the device's NHWC bytes (a transpose the device does not do).");
            }

            return (shape, order, (input, output) => new ReshapeRecord(input, output));
        });
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
            int tensor = device.AddTensor(new DeviceTensor(output, DevicePlan.DeviceDims(p.Shape), x.Params.Scale, x.Params.ZeroPoint));
            device.Ops.Add(p.Op(x.Tensor, tensor));
            return x with { Tensor = tensor, Shape = p.Shape, Order = p.Order };
        }
    }

    /// <summary>
    /// A fully connected layer: out[n][o] = Σ_k (x[n][k] − xzp) × (w[o][k] − wzp) + bias[o], then ONNX's
    /// requantization (or the accumulators themselves, for a null spec). Reads everything now, emits the op when called.
    /// </summary>
    private Func<OutputSpec?, Value> Dense(OnnxNodeContext c, Quantized x, Matrix weights, float[]? scales, long[] zeroPoints, bool unsigned, long[]? bias)
    {
        if (x.Shape.Length != 2 || x.Shape[1] != weights.Depth)
        {
            throw c.Error($"only a rank-2 activation [N, {weights.Depth}] times the weights is supported, not {Shapes.Format(x.Shape)}.");
        }

        int outputs = weights.Outputs, depth = weights.Depth, batch = x.Shape[0];
        int weightZeroPoint = DeviceZeroPoint(c, OneZeroPoint(c, zeroPoints), unsigned);
        // Device element j of a row holds ONNX feature order[j] (a permutation when x is a flattened image).
        int[] rowOrder = x.Order.Take(depth).ToArray();
        var deviceWeights = new sbyte[outputs * depth];
        for (int o = 0; o < outputs; o++)
        {
            for (int j = 0; j < depth; j++)
            {
                deviceWeights[o * depth + j] = DeviceWeight(c, weights.At(o, rowOrder[j]), unsigned);
            }
        }

        long[] channelBias = ChannelBias(c, bias, outputs);
        float[] weightScales = ChannelScales(c, scales, outputs);
        int inputZeroPoint = x.Params.ZeroPoint;
        // The bias stays raw: the device folds the input zero points in at load.
        int[] rawBias = channelBias.Select(b => ToInt32(c, b, "a bias")).ToArray();

        return spec =>
        {
            (int[] multipliers, int[] shifts, OutputSpec y) = Requantization(c, x, spec, weightScales, o =>
                AccumulatorRange(c, channelBias[o], inputZeroPoint, Enumerable.Range(0, depth).Select(j => deviceWeights[o * depth + j] - weightZeroPoint), skippable: false));
            int[] shape = [batch, outputs];
            int tensor = device.AddTensor(new DeviceTensor(c.OutputName(0), DevicePlan.DeviceDims(shape), y.Params.Scale, y.Params.ZeroPoint));
            device.Ops.Add(new FullyConnectedRecord(x.Tensor, tensor, deviceWeights, rawBias, Blob.Requantization.Explicit(multipliers, shifts), y.Params.ZeroPoint, y.Min, y.Max, weightZeroPoint));
            return spec is null ? new Accumulators(tensor, shape, DevicePlan.NaturalOrder(shape)) : new Quantized(tensor, shape, DevicePlan.NaturalOrder(shape), y.Params, y.Unsigned);
        };
    }

    /// <summary>A 1-D or 2-D convolution, group 1 (Conv2D, with a weight zero point) or depthwise; like <see cref="Dense"/> otherwise.</summary>
    private Func<OutputSpec?, Value> Convolution(OnnxNodeContext c, Quantized x, Constant w, float[]? scales, long[] zeroPoints, bool unsigned, long[]? bias)
    {
        int rank = x.Shape.Length;
        long[] values = w.Tensor.Integers ?? throw c.Error("the weights must be integers.");
        int[] wShape = w.Tensor.Shape;
        if (rank is not (3 or 4) || wShape.Length != rank || !x.Order.SequenceEqual(DevicePlan.NaturalOrder(x.Shape)))
        {
            throw c.Error($"only 1-D and 2-D convolutions of an image in its natural layout are supported (input {Shapes.Format(x.Shape)}, weights {Shapes.Format(wShape)}).");
        }

        int[] kernel = wShape[2..];
        if (c.Ints("kernel_shape") is { } declared && !declared.SequenceEqual(kernel.Select(k => (long)k)))
        {
            throw c.Error($"kernel_shape [{string.Join(", ", declared)}] does not match weights {Shapes.Format(wShape)}.");
        }

        OnnxWindow window = OnnxSemantics.ReadWindow(c, x.Shape, kernel, allowDilations: true);
        int group = checked((int)c.Int("group", 1));
        NchwShape s = NchwShape.Of(x.Shape);
        int outputs = wShape[0], perGroup = wShape[1];
        (int kh, int kw) = (rank == 3 ? 1 : kernel[0], kernel[^1]);
        bool depthwise = group > 1 && group == s.Channels && perGroup == 1 && outputs % group == 0;
        if (perGroup * group != s.Channels || (group != 1 && !depthwise))
        {
            throw c.Error($"group {group} with weights {Shapes.Format(wShape)} on input {Shapes.Format(x.Shape)}: the device runs group 1 and depthwise (group = input channels) convolutions.");
        }

        int weightZeroPoint = DeviceZeroPoint(c, OneZeroPoint(c, zeroPoints), unsigned);
        if (depthwise && weightZeroPoint != 0)
        {
            throw c.Error("a weight zero point on a depthwise convolution is not supported (symmetric weights only).");
        }

        int taps = kh * kw, channels = s.Channels;
        int depth = depthwise ? taps : taps * channels;
        // OHWI for Conv2D (tap k = (ky·KW + kx)·C + c), [KH, KW, O] for depthwise; weightOf(o, k) in OHWI/tap order either way.
        var deviceWeights = new sbyte[outputs * depth];
        Func<int, int, int> weightOf = depthwise ? (o, t) => deviceWeights[t * outputs + o] : (o, k) => deviceWeights[o * depth + k];
        for (int o = 0; o < outputs; o++)
        {
            for (int k = 0; k < depth; k++)
            {
                int ci = depthwise ? 0 : k % channels, tap = depthwise ? k : k / channels;
                long value = values[((o * perGroup + ci) * kh + tap / kw) * kw + tap % kw];
                deviceWeights[depthwise ? k * outputs + o : o * depth + k] = DeviceWeight(c, value, unsigned);
            }
        }

        long[] channelBias = ChannelBias(c, bias, outputs);
        int[] deviceBias = channelBias.Select(b => ToInt32(c, b, "a bias")).ToArray();
        float[] weightScales = ChannelScales(c, scales, outputs);
        int oh = Shapes.WindowOutputSize(s.Height, kh, window.Strides.Height, window.Dilations.Height, window.Pads.Top, window.Pads.Bottom);
        int ow = Shapes.WindowOutputSize(s.Width, kw, window.Strides.Width, window.Dilations.Width, window.Pads.Left, window.Pads.Right);
        int[] shape = new NchwShape(s.Batch, outputs, oh, ow).ToShape(rank);
        var deviceWindow = new DeviceWindow(kh, kw, window.Strides.Height, window.Strides.Width, window.Dilations.Height, window.Dilations.Width, window.Pads.Top, window.Pads.Left);
        return spec =>
        {
            int inputZeroPoint = x.Params.ZeroPoint;
            (int[] multipliers, int[] shifts, OutputSpec y) = Requantization(c, x, spec, weightScales, o =>
                AccumulatorRange(c, channelBias[o], inputZeroPoint, Enumerable.Range(0, depth).Select(k => weightOf(o, k) - weightZeroPoint), skippable: true));
            int tensor = device.AddTensor(new DeviceTensor(c.OutputName(0), DevicePlan.DeviceDims(shape), y.Params.Scale, y.Params.ZeroPoint));
            device.Ops.Add(depthwise
                ? new DepthwiseConv2DRecord(x.Tensor, tensor, deviceWindow, inputZeroPoint, outputs / channels, deviceWeights, deviceBias,
                    Blob.Requantization.Explicit(multipliers, shifts), y.Params.ZeroPoint, y.Min, y.Max)
                : new Conv2DRecord(x.Tensor, tensor, deviceWindow, inputZeroPoint, deviceWeights, deviceBias,
                    Blob.Requantization.Explicit(multipliers, shifts), y.Params.ZeroPoint, y.Min, y.Max) { WeightZeroPoint = weightZeroPoint });
            return spec is null ? new Accumulators(tensor, shape, DevicePlan.NaturalOrder(shape)) : new Quantized(tensor, shape, DevicePlan.NaturalOrder(shape), y.Params, y.Unsigned);
        };
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
