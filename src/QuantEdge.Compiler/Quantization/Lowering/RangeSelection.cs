using QuantEdge.Compiler.Calibration;

namespace QuantEdge.Compiler.Quantization.Lowering;

/// <summary>
/// The calibration method chosen for each device tensor, and the quantization that follows from it.
/// Tensors that must share one quantization (a pool or reshape and its input, a concat and its
/// inputs) form a group whose range is the union of its members' ranges; tensors with a fixed output
/// quantization (softmax, sigmoid, tanh) fix their whole group. A model input read only by fully
/// connected layers is quantized per feature: each feature is a unit of its own, with its own range
/// and method, chosen from that feature's calibration values.
/// </summary>
internal sealed class RangeSelection
{
    private readonly DevicePlan plan;
    private readonly IReadOnlyDictionary<string, ValueStatistics> statistics;
    private readonly IReadOnlyList<ValueStatistics> features;
    private readonly Dictionary<string, string> group = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QuantParams> fixedGroups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CalibrationMethod> methods = new(StringComparer.Ordinal);
    private readonly HashSet<string> chosenAutomatically = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, CalibrationMethod), ChosenRange> cache = new();

    /// <param name="features">With a per-feature input: each feature's statistics, in device order.</param>
    public RangeSelection(DevicePlan plan, IReadOnlyDictionary<string, ValueStatistics> statistics, IReadOnlyList<ValueStatistics> features)
    {
        this.plan = plan;
        this.statistics = statistics;
        this.features = features;
        foreach (DeviceValue value in plan.Values)
        {
            group[value.Name] = value.Name;
        }

        foreach (Step step in plan.Steps)
        {
            if (StepTraitsAttribute.Of(step.Kind).InputsShareQuantization)
            {
                foreach (string input in step.Inputs)
                {
                    Union(step.Output, input);
                }
            }
        }

        foreach (Step step in plan.Steps.Where(s => s.FixedOutput != null))
        {
            string root = Root(step.Output);
            if (fixedGroups.TryGetValue(root, out QuantParams existing) && existing != step.FixedOutput)
            {
                throw new UnsupportedModelException($"{step.Node.OpName} '{step.Node.Name}': its output must share a quantization with a tensor whose quantization is fixed otherwise");
            }

            fixedGroups[root] = step.FixedOutput!.Value;
        }

        Choosable = features.Select(f => f.Name)
            .Concat(plan.Steps.Select(s => s.Output).Prepend(plan.Input)
                .Where(v => !(v == plan.Input && plan.PerFeatureInput))
                .Select(Root).Distinct().Where(root => !fixedGroups.ContainsKey(root)))
            .ToList();
    }

    /// <summary>The units whose range a method chooses, in graph order: input features, then tensor groups (one name each).</summary>
    public IReadOnlyList<string> Choosable { get; }

    /// <summary>Each input feature's and each tensor's final range, with the method that chose it.</summary>
    public IReadOnlyList<ChosenRange> Chosen =>
        features.Select(f => FeatureRange(f) with { Offset = Feature(FeatureRange(f), f.ElementIsIntegral[0]).Offset })
            .Concat(plan.Values.Select(v => FinalRange(v.Name))).ToList();

    /// <summary>Whether a unit is the group of the model's output tensor.</summary>
    public bool IsOutputGroup(string unit) => group.ContainsKey(unit) && Root(unit) == Root(plan.Output);

    public void UseEverywhere(CalibrationMethod method)
    {
        foreach (string root in Choosable)
        {
            methods[root] = method;
        }
    }

    public void Use(string root, CalibrationMethod method, bool auto = false)
    {
        methods[root] = method;
        if (auto)
        {
            chosenAutomatically.Add(root);
        }
    }

    /// <summary>The quantization of every device tensor under the current choices.</summary>
    public ActivationQuantization Resolve()
    {
        var tensors = new Dictionary<string, QuantParams>(StringComparer.Ordinal);
        foreach (DeviceValue value in plan.Values)
        {
            tensors[value.Name] = GroupParams(Root(value.Name));
        }

        ValueStatistics stats = statistics[plan.Input];
        if (!plan.PerFeatureInput)
        {
            QuantParams input = tensors[plan.Input];
            return new ActivationQuantization(tensors, [new InputFeature(input, UnitExponent(input.Scale, stats.ElementIsIntegral.All(b => b)), 0)]);
        }

        return new ActivationQuantization(tensors, features.Select(f => Feature(FeatureRange(f), f.ElementIsIntegral[0])).ToArray());
    }

    /// <summary>
    /// A feature's quantization over its chosen range. A range that does not include zero (a
    /// pressure of 1000–1020 hPa) is first centred by a raw offset, so that its 256 codes cover its
    /// own span rather than the span from zero.
    /// </summary>
    internal static InputFeature Feature(ChosenRange range, bool integral)
    {
        int unit = UnitExponent(Math.Max(range.Max - range.Min, 1e-30) / 255, integral);
        bool awayFromZero = range.Min > 0 || range.Max < 0;
        double step = Math.Pow(10, unit);
        int rawOffset = awayFromZero ? (int)Math.Clamp(Math.Round((range.Min + range.Max) / 2 / step), int.MinValue, int.MaxValue) : 0;
        double offset = rawOffset * step;
        return new InputFeature(QuantParams.FromRange(range.Min - offset, range.Max - offset), unit, rawOffset);
    }

    /// <summary>
    /// The unit a raw device input is counted in: a tenth of the quantization step or finer, so the
    /// raw integer never limits the int8 resolution; whole-number features (counts) stay in units of 1.
    /// </summary>
    internal static int UnitExponent(double scale, bool integral)
    {
        int exponent = (int)Math.Floor(Math.Log10(scale)) - 1;
        if (integral && exponent < 0)
        {
            exponent = 0;
        }

        return Math.Clamp(exponent, -30, 30);
    }

    private QuantParams GroupParams(string root)
    {
        if (fixedGroups.TryGetValue(root, out QuantParams fixedParams))
        {
            return fixedParams;
        }

        CalibrationMethod method = methods.GetValueOrDefault(root, CalibrationMethod.MinMax);
        var members = group.Keys.Where(v => Root(v) == root).Select(v => Range(v, method)).ToList();
        return QuantParams.FromRange(members.Min(r => r.Min), members.Max(r => r.Max));
    }

    private ChosenRange FeatureRange(ValueStatistics feature)
    {
        CalibrationMethod method = methods.GetValueOrDefault(feature.Name, CalibrationMethod.MinMax);
        return Range(feature, method) with { Automatic = chosenAutomatically.Contains(feature.Name) };
    }

    private ChosenRange FinalRange(string value)
    {
        string root = Root(value);
        QuantParams q = GroupParams(root);
        (double min, double max) = q.Range;
        if (fixedGroups.ContainsKey(root) || !methods.TryGetValue(root, out CalibrationMethod method))
        {
            // Fixed by the op (softmax, sigmoid, tanh) or per-feature input: no method chose it.
            method = CalibrationMethod.MinMax;
        }

        double error = RangeChooser.MeanSquaredError(Statistics(value).Sample, q);
        return new ChosenRange(value, min, max, method, error)
        {
            Fixed = fixedGroups.ContainsKey(root),
            Automatic = chosenAutomatically.Contains(root),
        };
    }

    private ChosenRange Range(string value, CalibrationMethod method) => Range(Statistics(value), method);

    private ChosenRange Range(ValueStatistics stats, CalibrationMethod method)
    {
        if (!cache.TryGetValue((stats.Name, method), out ChosenRange? range))
        {
            range = RangeChooser.Choose(stats, method);
            cache[(stats.Name, method)] = range;
        }

        return range;
    }

    private ValueStatistics Statistics(string value) => statistics[plan.Value(value).Source];

    private string Root(string value)
    {
        while (group[value] != value)
        {
            value = group[value];
        }

        return value;
    }

    private void Union(string a, string b)
    {
        string ra = Root(a), rb = Root(b);
        if (ra != rb)
        {
            group[ra] = rb;
        }
    }
}
