using QuantEdge.Runtime;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Calibration;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Ops;
using QuantEdge.Runtime.Format;

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
/// What a step's lowering reads: the step, its first input's and its output's tensor index, quantization
/// (<paramref name="X"/>, <paramref name="Y"/>) and device value, and the int8 clamp of a fused activation.
/// </summary>
internal sealed record StepTensors(Step Step, int Input, int Output, QuantParams X, QuantParams Y, DeviceValue InValue, DeviceValue OutValue, int Min, int Max);

/// <summary>
/// Turns a <see cref="DevicePlan"/> and the chosen quantization into a <see cref="DeviceModel"/>:
/// NHWC tensors, int8 weights per output channel, int32 biases, Q31 multipliers, fused clamps,
/// lookup tables. Pure: the same inputs give the same model.
/// </summary>
internal sealed partial class Lowerer
{
    /// <summary>Each step kind's lowering: a <c>[ForOp(StepKind.Kind)]</c> method in the op's file, <c>Ops/&lt;Op&gt;.cs</c>.</summary>
    private static readonly OpParts<StepKind> Lowerings = new(typeof(Lowerer));

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

    /// <summary>The step's op record: a <c>[ForOp(StepKind.Kind)]</c> method in the op's file, <c>Ops/&lt;Op&gt;.cs</c>.</summary>
    private DeviceOp LowerStep(Step step)
    {
        (int min, int max) = Clamp(step.Activation, Params(step.Output));
        var tensors = new StepTensors(step, tensorIndex[step.Inputs[0]], tensorIndex[step.Output], Params(step.Inputs[0]), Params(step.Output),
            plan.Value(step.Inputs[0]), plan.Value(step.Output), min, max);
        return Lowerings.TryRun(this, step.Kind, [tensors], out object? op)
            ? (DeviceOp)op!
            : throw new InvalidOperationException($"no lowering for {step.Kind}");
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
        tensorIndex[value.Name] = model.AddTensor(new DeviceTensor(value.Name, [.. value.Dims], q.Scale, q.ZeroPoint));
    }

    /// <summary>The int8 clamp of a fused activation (none: the full int8 range).</summary>
    private static (int Min, int Max) Clamp(Node? activation, QuantParams y) => activation switch
    {
        PointwiseNode { ClampRange: (float min, float max) } => (y.Quantize(min), y.Quantize(max)),
        _ => (-128, 127),
    };

    private static double[][] Rows(int rows, int columns, Func<int, int, double> value) =>
        Enumerable.Range(0, rows).Select(o => Enumerable.Range(0, columns).Select(k => value(o, k)).ToArray()).ToArray();
}
