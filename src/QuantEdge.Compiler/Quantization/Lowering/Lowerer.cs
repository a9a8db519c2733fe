using QuantEdge.Runtime;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Calibration;
using QuantEdge.Compiler.Graph;
using QuantEdge.Runtime.Format;
using Pool2DParams = QuantEdge.Runtime.Kernels.Pool2DParams;

namespace QuantEdge.Compiler.Quantization.Lowering;

/// <summary>The quantization chosen for every device tensor: the input per feature (or one rule), the rest per tensor.</summary>
internal sealed record ActivationQuantization(IReadOnlyDictionary<string, QuantParams> Tensors, InputFeature[] InputFeatures);

/// <summary>
/// How one input feature (or, with one rule, every input) is quantized: raw values count units of
/// 10^UnitExponent, RawOffset is subtracted, then Params apply; real ≈ Params.Dequantize(q) + Offset.
/// </summary>
internal sealed record InputFeature(QuantParams Params, int UnitExponent, int RawOffset)
{
    /// <summary>The real value the raw offset stands for.</summary>
    public double Offset => RawOffset * Math.Pow(10, UnitExponent);
}

/// <summary>
/// Turns a <see cref="DevicePlan"/> and the chosen quantization into a <see cref="DeviceModel"/>:
/// NHWC tensors, int8 weights per output channel, int32 biases, Q31 multipliers, fused clamps,
/// lookup tables. Pure: the same inputs give the same model.
/// </summary>
internal sealed class Lowerer
{
    private readonly DevicePlan plan;
    private readonly ActivationQuantization quantization;
    private readonly IReadOnlyDictionary<string, ValueStatistics> statistics;
    private readonly QuantizeOptions options;
    private readonly IReadOnlyDictionary<string, InputCovariance> covariances;
    private readonly DeviceModel model = new();
    private readonly Dictionary<string, int> tensorIndex = new(StringComparer.Ordinal);

    private Lowerer(DevicePlan plan, ActivationQuantization quantization, IReadOnlyDictionary<string, ValueStatistics> statistics, QuantizeOptions options,
        IReadOnlyDictionary<string, InputCovariance>? covariances)
    {
        this.plan = plan;
        this.quantization = quantization;
        this.statistics = statistics;
        this.options = options;
        this.covariances = covariances ?? new Dictionary<string, InputCovariance>();
    }

    /// <param name="covariances">Layers' input covariances by node name: those layers the options round output-aware are, the others to nearest.</param>
    public static DeviceModel Lower(DevicePlan plan, ActivationQuantization quantization, IReadOnlyDictionary<string, ValueStatistics> statistics, QuantizeOptions options,
        IReadOnlyDictionary<string, InputCovariance>? covariances = null)
    {
        var lowerer = new Lowerer(plan, quantization, statistics, options, covariances);
        lowerer.Run();
        return lowerer.model;
    }

    private void Run()
    {
        model.Name = options.ModelName ?? "";
        DeviceValue input = plan.Value(plan.Input);
        if (plan.PerFeatureInput)
        {
            // Each feature carries its own scale and zero point in the input rules; the tensor's own
            // quantization is not used by anything (the first layers compensate per feature).
            AddTensor(input, new QuantParams(1f, 0));
            foreach (InputFeature f in quantization.InputFeatures)
            {
                model.InputRules.Add(InputRule.For(f.Params.Scale, f.Params.ZeroPoint, f.UnitExponent, f.RawOffset));
            }
        }
        else
        {
            InputFeature f = quantization.InputFeatures[0];
            AddTensor(input, f.Params);
            model.InputRules.Add(InputRule.For(f.Params.Scale, f.Params.ZeroPoint, f.UnitExponent, f.RawOffset));
        }

        model.Input = tensorIndex[plan.Input];
        foreach (Step step in plan.Steps)
        {
            DeviceValue output = plan.Value(step.Output);
            AddTensor(output, Params(step.Output));
            try
            {
                model.Ops.Add(LowerStep(step));
            }
            catch (ArgumentException e)
            {
                // The quantization arithmetic refuses numbers int8 with int32 sums cannot hold (a multiplier
                // past 2^31, a scale no weight reaches): the model's, so bad input naming the layer.
                string reason = e.Message.Split(" (Parameter '")[0].Split('\n')[0].TrimEnd('.');
                throw new UnsupportedModelException($"{step.Node.OpName} '{step.Node.Name}' cannot be quantized: {reason}; its weights, biases or value ranges are too large or too small for int8 with int32 sums");
            }
        }

        model.Output = tensorIndex[plan.Output];
        model.FeatureNames = FeatureNames(input);
        model.OutputNames = options.OutputNames ?? [];
        model.Task = options.Task ?? ModelTask.Classification;
    }

    private DeviceOp LowerStep(Step step)
    {
        int input = tensorIndex[step.Inputs[0]];
        int output = tensorIndex[step.Output];
        QuantParams x = Params(step.Inputs[0]);
        QuantParams y = Params(step.Output);
        DeviceValue inValue = plan.Value(step.Inputs[0]);
        DeviceValue outValue = plan.Value(step.Output);
        (int min, int max) = Clamp(step.Activation, y);
        switch (step.Kind)
        {
            case StepKind.FullyConnected:
                return FullyConnected((DenseNode)step.Node, inValue, input, output, y, min, max);
            case StepKind.Conv2D:
                return Conv((Conv2DNode)step.Node, inValue, input, output, x, y, min, max);
            case StepKind.DepthwiseConv2D:
                return Depthwise(step, inValue, input, output, x, y, min, max);
            case StepKind.MaxPool:
            case StepKind.AveragePool:
                return Pool((Pool2DNode)step.Node, inValue, outValue, input, output);
            case StepKind.GlobalAveragePool:
                var pool = GlobalAveragePoolQuantization.Create(inValue.Dims[0], inValue.Dims[1], inValue.Dims[2], inValue.Dims[3], x.Scale, x.ZeroPoint, y.Scale, y.ZeroPoint,
                    sum: step.Node is ReduceSumNode);
                return new GlobalAveragePoolRecord(input, output, pool.Multiplier, pool.Shift);
            case StepKind.Add:
                QuantParams b = Params(step.Inputs[1]);
                return new AddRecord(input, tensorIndex[step.Inputs[1]], output,
                    AddQuantization.Create(outValue.Length, x.Scale, x.ZeroPoint, b.Scale, b.ZeroPoint, y.Scale, y.ZeroPoint, min, max));
            case StepKind.Mul:
                QuantParams m = Params(step.Inputs[1]);
                return new MulRecord(input, tensorIndex[step.Inputs[1]], output,
                    MulQuantization.Create(outValue.Length, x.Scale, x.ZeroPoint, m.Scale, m.ZeroPoint, y.Scale, y.ZeroPoint, min, max));
            case StepKind.Sub or StepKind.Maximum or StepKind.Minimum:
                QuantParams other = Params(step.Inputs[1]);
                int opCode = step.Kind switch { StepKind.Sub => BlobFormat.OpSub, StepKind.Maximum => BlobFormat.OpMaximum, _ => BlobFormat.OpMinimum };
                return new BroadcastRecord(opCode, input, tensorIndex[step.Inputs[1]], output,
                    AddQuantization.Create(outValue.Length, x.Scale, x.ZeroPoint, other.Scale, other.ZeroPoint, y.Scale, y.ZeroPoint, min, max));
            case StepKind.Pad:
                var pad = (PadNode)step.Node;
                return new PadRecord(input, output, DevicePads(pad.Pads[..pad.OutputShape.Length]), x.Quantize(pad.Value));
            case StepKind.Transpose:
                return new TransposeRecord(input, output, DeviceAxes(((TransposeNode)step.Node).Perm));
            case StepKind.Lookup:
                return new LookupRecord(input, output, LookupTable.Build(step.Function!, x.Scale, x.ZeroPoint, y.Scale, y.ZeroPoint));
            case StepKind.Softmax:
                int rowSize = outValue.Dims[3];
                var softmax = SoftmaxQuantization.Create(outValue.Length / rowSize, rowSize, 1.0, x.Scale);
                return new SoftmaxRecord(input, output, softmax.InputMultiplier, softmax.InputLeftShift, softmax.DiffMin);
            case StepKind.Reshape:
                return new ReshapeRecord(input, output);
            case StepKind.Concat:
                return new ConcatRecord(step.Inputs.Select(i => tensorIndex[i]).ToArray(), output, DeviceAxis(((ConcatNode)step.Node).Axis, outValue.FloatShape.Length));
            default:
                throw new InvalidOperationException($"no lowering for {step.Kind}");
        }
    }

    private FullyConnectedRecord FullyConnected(DenseNode dense, DeviceValue input, int inputIndex, int output, QuantParams y, int min, int max)
    {
        // Device element j holds float feature order[j]: the weights' columns follow it. A feature
        // centred by an offset c_j reaches the layer as x_j − c_j: Σ w·c_j moves into the bias.
        int[] order = input.FlatOrder[..dense.InputFeatures];
        InputFeature[] features = FeatureQuantization(input);
        double[] mean = statistics[input.Source].Mean;
        double Weight(int o, int j) => dense.Weights.Data[o * dense.InputFeatures + order[j]];
        double[][] effective = Rows(dense.OutputFeatures, order.Length, (o, j) => Weight(o, j) * features[j].Params.Scale);
        float[] centredBias = dense.Bias.Select((b, o) => (float)(b + Enumerable.Range(0, order.Length).Sum(j => Weight(o, j) * features[j].Offset))).ToArray();
        QuantizedLayer q = WeightQuantizer.Quantize(effective, centredBias, y.Scale, options.PerTensorWeights,
            options.BiasCorrection ? (o, j) => (mean[order[j]] - features[j].Offset) / features[j].Params.Scale : null,
            OutputAwareRoundingFor(dense.Name, order, j => features[j].Params.Scale));

        // The bias stays raw: the device folds Σ_k w·zp_k in at load.
        return new FullyConnectedRecord(inputIndex, output, q.Weights, q.Bias, q.Requantization, y.ZeroPoint, min, max);
    }

    /// <summary>
    /// Output-aware rounding for a layer the options round so and calibration tracked, over its input covariance in the units
    /// its effective weights multiply: tap j is the tracked element <paramref name="order"/>[j] divided by <paramref name="scale"/>(j).
    /// Null for nearest rounding.
    /// </summary>
    private OutputAwareRounding? OutputAwareRoundingFor(string layer, int[] order, Func<int, double> scale)
    {
        if (!options.RoundsOutputAware(layer) || !covariances.TryGetValue(layer, out InputCovariance? tracked))
        {
            return null;
        }

        double[] covariance = tracked.Covariance();
        int n = order.Length;
        var scaled = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            for (int k = 0; k < n; k++)
            {
                scaled[j * n + k] = covariance[order[j] * tracked.Length + order[k]] / (scale(j) * scale(k));
            }
        }

        return new OutputAwareRounding(scaled, n);
    }

    private Conv2DRecord Conv(Conv2DNode conv, DeviceValue input, int inputIndex, int output, QuantParams x, QuantParams y, int min, int max)
    {
        int channels = conv.Weights.Shape[1];
        (int kh, int kw) = (conv.Kernel.Height, conv.Kernel.Width);
        double[] channelMean = ChannelMeans(input);
        int taps = kh * kw * channels;
        // OHWI: tap k = (ky·KW + kx)·C + c.
        double[][] effective = Rows(conv.OutputChannels, taps, (o, k) =>
        {
            int c = k % channels, kx = k / channels % kw, ky = k / channels / kw;
            return conv.Weights.Data[((o * channels + c) * kh + ky) * kw + kx] * (double)x.Scale;
        });
        QuantizedLayer q = WeightQuantizer.Quantize(effective, conv.Bias, y.Scale, options.PerTensorWeights,
            options.BiasCorrection ? (o, k) => channelMean[k % channels] / x.Scale : null,
            OutputAwareRoundingFor(conv.Name, Enumerable.Range(0, taps).ToArray(), _ => x.Scale));
        var window = new DeviceWindow(kh, kw, conv.Strides.Height, conv.Strides.Width, conv.Dilations.Height, conv.Dilations.Width, conv.Pads.Top, conv.Pads.Left);
        return new Conv2DRecord(inputIndex, output, window, x.ZeroPoint, q.Weights, q.Bias, q.Requantization, y.ZeroPoint, min, max);
    }

    /// <summary>A depthwise convolution, an affine map per channel, or an average pool that counts its padding.</summary>
    private DepthwiseConv2DRecord Depthwise(Step step, DeviceValue input, int inputIndex, int output, QuantParams x, QuantParams y, int min, int max)
    {
        int inChannels = input.Dims[3];
        DeviceWindow window;
        Func<int, int, double> weight;
        float[] bias;
        int taps;
        int outChannels;
        if (step.SyntheticDepthwise is var (weights, shift, kh, kw))
        {
            outChannels = inChannels;
            taps = kh * kw;
            weight = (o, t) => weights[o * taps + t];
            bias = shift;
            window = step.Node is Pool2DNode pool
                ? new DeviceWindow(kh, kw, pool.Strides.Height, pool.Strides.Width, PadTop: pool.Pads.Top, PadLeft: pool.Pads.Left)
                : new DeviceWindow(1, 1);
        }
        else
        {
            var conv = (Conv2DNode)step.Node;
            outChannels = conv.OutputChannels;
            taps = conv.Kernel.Height * conv.Kernel.Width;
            weight = (o, t) => conv.Weights.Data[o * taps + t];
            bias = conv.Bias;
            window = new DeviceWindow(conv.Kernel.Height, conv.Kernel.Width, conv.Strides.Height, conv.Strides.Width,
                conv.Dilations.Height, conv.Dilations.Width, conv.Pads.Top, conv.Pads.Left);
        }

        int multiplier = outChannels / inChannels;
        double[] channelMean = ChannelMeans(input);
        double[][] effective = Rows(outChannels, taps, (o, t) => weight(o, t) * x.Scale);
        QuantizedLayer q = WeightQuantizer.Quantize(effective, bias, y.Scale, options.PerTensorWeights,
            options.BiasCorrection ? (o, t) => channelMean[o / multiplier] / x.Scale : null);
        // Device layout [KH, KW, O]: tap-major.
        var deviceWeights = new sbyte[taps * outChannels];
        for (int o = 0; o < outChannels; o++)
        {
            for (int t = 0; t < taps; t++)
            {
                deviceWeights[t * outChannels + o] = q.Weights[o * taps + t];
            }
        }

        return new DepthwiseConv2DRecord(inputIndex, output, window, x.ZeroPoint, multiplier, deviceWeights, q.Bias, q.Requantization, y.ZeroPoint, min, max);
    }

    private Pool2DRecord Pool(Pool2DNode pool, DeviceValue input, DeviceValue output, int inputIndex, int outputIndex)
    {
        var window = new DeviceWindow(pool.Kernel.Height, pool.Kernel.Width, pool.Strides.Height, pool.Strides.Width, PadTop: pool.Pads.Top, PadLeft: pool.Pads.Left);
        var check = new Pool2DParams
        {
            InputHeight = input.Dims[1], InputWidth = input.Dims[2], OutputHeight = output.Dims[1], OutputWidth = output.Dims[2],
            FilterHeight = window.FilterHeight, FilterWidth = window.FilterWidth, StrideHeight = window.StrideHeight,
            StrideWidth = window.StrideWidth, PadTop = window.PadTop, PadLeft = window.PadLeft,
        };
        if (!check.EveryWindowOverlapsInput())
        {
            throw new UnsupportedModelException($"{pool.OpName} '{pool.Name}': some pooling windows lie entirely in the padding");
        }

        return new Pool2DRecord(inputIndex, outputIndex, window, Average: pool is AveragePoolNode);
    }

    /// <summary>
    /// The calibration file's column names in device order, as the blob stores names (7-bit ASCII,
    /// at most 255 characters); none when they do not name one value each.
    /// </summary>
    private string[] FeatureNames(DeviceValue input)
    {
        string[] names = options.FeatureNames ?? [];
        if (names.Length != input.Length || input.Dims[0] != 1)
        {
            return [];
        }

        return input.FlatOrder.Select(f => new string(names[f].Take(BlobFormat.MaxStringBytes)
            .Select(c => c is >= ' ' and <= '~' ? c : '_').ToArray())).ToArray();
    }

    /// <summary>The quantization of each device element of a layer's input (per feature for the model input).</summary>
    private InputFeature[] FeatureQuantization(DeviceValue input) =>
        input.Name == plan.Input && plan.PerFeatureInput
            ? quantization.InputFeatures
            : Enumerable.Repeat(new InputFeature(Params(input.Name), 0, 0), input.Length).ToArray();

    /// <summary>Mean of each input channel over batch and space, from calibration (NCHW float order).</summary>
    private double[] ChannelMeans(DeviceValue input)
    {
        double[] mean = statistics[input.Source].Mean;
        NchwShape s = input.FloatShape.Length >= 3 ? NchwShape.Of(input.FloatShape) : new NchwShape(input.FloatShape[0], input.FloatShape[^1], 1, 1);
        var channels = new double[s.Channels];
        int plane = s.Height * s.Width;
        for (int i = 0; i < mean.Length; i++)
        {
            channels[i / plane % s.Channels] += mean[i] / (plane * s.Batch);
        }

        return channels;
    }

    private QuantParams Params(string value) => quantization.Tensors[value];

    private void AddTensor(DeviceValue value, QuantParams q)
    {
        tensorIndex[value.Name] = model.AddTensor(new DeviceTensor(value.Name, value.Dims, q.Scale, q.ZeroPoint));
    }

    /// <summary>The int8 clamp of a fused activation (none: the full int8 range).</summary>
    private static (int Min, int Max) Clamp(Node? activation, QuantParams y) => activation switch
    {
        PointwiseNode { ClampRange: (float min, float max) } => (y.Quantize(min), y.Quantize(max)),
        _ => (-128, 127),
    };

    /// <summary>An NCHW axis as an NHWC one.</summary>
    private static int DeviceAxis(int axis, int rank) => (rank, axis) switch
    {
        (_, 0) => 0,
        (_, 1) => 3,
        (4, 2) => 1,
        (4, 3) => 2,
        (3, 2) => 2,
        _ => throw new UnsupportedModelException($"concatenation along axis {axis} of a rank-{rank} tensor"),
    };

    /// <summary>
    /// An ONNX perm (output axis i is input axis perm[i]) as the NHWC one of the device's tensors: for each
    /// device output axis, the device input axis it comes from. The axes a rank below 4 adds stay in place.
    /// </summary>
    private static int[] DeviceAxes(int[] perm)
    {
        int[] device = perm.Length switch
        {
            4 => [0, 3, 1, 2],
            3 => [0, 3, 2],
            2 => [0, 3],
            _ => [3],
        };
        int[] axes = [0, 1, 2, 3];
        for (int a = 0; a < perm.Length; a++)
        {
            axes[device[a]] = device[perm[a]];
        }

        return axes;
    }

    /// <summary>Pads before each axis of a value, as NHWC ones: its dims laid out as <see cref="DevicePlan.DeviceDims"/> lays them, 0 where it adds a dim.</summary>
    private static int[] DevicePads(int[] before) => before.Length switch
    {
        4 => [before[0], before[2], before[3], before[1]],
        3 => [before[0], 0, before[2], before[1]],
        2 => [before[0], 0, 0, before[1]],
        _ => [0, 0, 0, before[0]],
    };

    private static double[][] Rows(int rows, int columns, Func<int, int, double> value) =>
        Enumerable.Range(0, rows).Select(o => Enumerable.Range(0, columns).Select(k => value(o, k)).ToArray()).ToArray();
}
