using QuantEdge.Compiler.Quantization;

namespace QuantEdge.Compiler.Calibration;

/// <summary>How calibration turns observed values into a tensor's int8 range.</summary>
public enum CalibrationMethod
{
    /// <summary>Pick per tensor, among the others, the range that gives the model's output the least error.</summary>
    Auto,

    /// <summary>The observed minimum and maximum: nothing clips, outliers cost resolution.</summary>
    MinMax,

    /// <summary>The 0.01st and 99.99th percentiles: rare outliers clip, the bulk keeps resolution.</summary>
    Percentile,

    /// <summary>The clipping range that minimises the mean squared quantization error over the observed values.</summary>
    Mse,

    /// <summary>
    /// For a classifier's output only, and tried only by <see cref="Auto"/>: the range of each row's
    /// runner-up score. Scores outside it never decide the argmax (the best one saturates above, the
    /// hopeless ones below), so the codes are spent where the top two must stay apart.
    /// </summary>
    Decision,
}

/// <summary>A tensor's chosen range, the method that chose it, and its quantization error on the sample.</summary>
public sealed record ChosenRange(string Value, double Min, double Max, CalibrationMethod Method, double MeanSquaredError)
{
    /// <summary>A real offset subtracted before quantizing (an input feature centred away from zero), else 0.</summary>
    public double Offset { get; init; }

    /// <summary>The op fixes this tensor's quantization (softmax, sigmoid, tanh outputs): no method chose it.</summary>
    public bool Fixed { get; init; }

    /// <summary>The auto method picked <see cref="Method"/> for this tensor by measuring the model's output.</summary>
    public bool Automatic { get; init; }

    /// <summary>The int8 quantization of the range (of the centred values, when there is an offset).</summary>
    public QuantParams Params => QuantParams.FromRange(Min - Offset, Max - Offset);
}

/// <summary>The range candidates of each method, measured on a tensor's sampled values.</summary>
public static class RangeChooser
{
    public const double PercentileLow = 0.0001, PercentileHigh = 0.9999;

    /// <summary>Share of the runner-up range added above it by <see cref="CalibrationMethod.Decision"/> (a few int8 steps).</summary>
    public const double DecisionHeadroom = 0.03;

    /// <summary>Quantile levels the MSE search tries on each side (0 = the observed extreme).</summary>
    private static readonly double[] ClipLevels = [0, 1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.02, 0.05];

    /// <summary>The range a fixed method (not <see cref="CalibrationMethod.Auto"/>) picks.</summary>
    public static ChosenRange Choose(ValueStatistics stats, CalibrationMethod method)
    {
        float[] sorted = stats.SortedSample;
        (double min, double max) = method switch
        {
            CalibrationMethod.MinMax => (stats.Min, stats.Max),
            CalibrationMethod.Percentile => (ValueStatistics.QuantileOfSorted(sorted, PercentileLow), ValueStatistics.QuantileOfSorted(sorted, PercentileHigh)),
            CalibrationMethod.Mse => BestMse(sorted),
            // A little headroom above the highest runner-up, so that it and the best score above it
            // do not both saturate into a tie.
            CalibrationMethod.Decision when stats.RunnerUpMin <= stats.RunnerUpMax =>
                (stats.RunnerUpMin, stats.RunnerUpMax + (stats.RunnerUpMax - stats.RunnerUpMin) * DecisionHeadroom),
            CalibrationMethod.Decision => (stats.Min, stats.Max),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Auto is chosen by the quantizer, which measures the model's output."),
        };
        return new ChosenRange(stats.Name, min, max, method, MeanSquaredError(sorted, QuantParams.FromRange(min, max)));
    }

    /// <summary>Mean squared error of quantizing then dequantizing the values.</summary>
    public static double MeanSquaredError(ReadOnlySpan<float> values, QuantParams q)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        double total = 0;
        foreach (float v in values)
        {
            double e = q.Dequantize(q.Quantize(v)) - v;
            total += e * e;
        }

        return total / values.Length;
    }

    /// <summary>
    /// The clipping of <see cref="ClipLevels"/> on each side with the least error: every pair's error worked out side by
    /// side over the cores, then the first least one in the order one pair at a time would meet it.
    /// </summary>
    private static (double Min, double Max) BestMse(float[] sorted)
    {
        int levels = ClipLevels.Length;
        var ranges = new (double Min, double Max)[levels * levels];
        var errors = new double[levels * levels];
        Parallel.For(0, ranges.Length, i =>
        {
            ranges[i] = (ValueStatistics.QuantileOfSorted(sorted, ClipLevels[i / levels]), ValueStatistics.QuantileOfSorted(sorted, 1 - ClipLevels[i % levels]));
            errors[i] = MeanSquaredError(sorted, QuantParams.FromRange(ranges[i].Min, ranges[i].Max));
        });

        (double Min, double Max) best = (sorted.Length > 0 ? sorted[0] : 0, sorted.Length > 0 ? sorted[^1] : 0);
        double bestError = double.PositiveInfinity;
        for (int i = 0; i < ranges.Length; i++)
        {
            if (errors[i] < bestError)
            {
                bestError = errors[i];
                best = ranges[i];
            }
        }

        return best;
    }
}
