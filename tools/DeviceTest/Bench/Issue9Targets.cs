namespace QuantEdge.DeviceTest.Bench;

/// <summary>
/// Issue 9's measure of the managed kernels: what they took before it (× naive, from the device section of
/// docs/benchmarks.md regenerated on a quiet machine at commit a37a61e, the `native` branch before the issue's work)
/// and the issue's targets, so that the report sets every run beside them.
/// </summary>
public static class Issue9Targets
{
    /// <summary>Time per unit ÷ the naive loop's time per MAC, the same run, before issue 9's kernels; by the benchmark's workload names.</summary>
    public static readonly IReadOnlyDictionary<string, double> Before = new Dictionary<string, double>
    {
        ["FullyConnected 256-64 Int8Rows"] = 0.69,
        ["FullyConnected 256-64 Int64Pairs"] = 0.36,
        ["FullyConnected 16-8 Int8Rows"] = 1.21,
        ["FullyConnected 16-8 Int64Pairs"] = 0.98,
        ["Conv2D 16x16x8 3x3 pad 1 -> 16 Int8Rows"] = 0.77,
        ["Conv2D 16x16x8 3x3 pad 1 -> 16 Int64Pairs"] = 0.42,
        ["DepthwiseConv2D 16x16x16 3x3 pad 1"] = 2.32,
        ["MaxPool2D 16x16x16 2x2 stride 2"] = 1.83,
        ["AveragePool2D 16x16x16 2x2 stride 2"] = 1.82,
        ["GlobalAveragePool 16x16x16"] = 0.73,
        ["Add 4096"] = 16.98,
        ["Mul 4096"] = 6.29,
        ["Softmax 256 rows of 16"] = 67.06,
        ["Lookup 4096"] = 1.14,
        ["Concat 2 x 16x16x8 on channels"] = 0.37,
        ["DemoMlp"] = 0.85,
        ["IrisMlp"] = 2.66,
        ["PetalWidthMlp"] = 4.11,
        ["RadarAutoencoder"] = 0.93,
        ["Cnn"] = 0.79,
        ["sklearn/breast_cancer-logistic"] = 1.20,
        ["sklearn/breast_cancer-mlp-32-16"] = 0.65,
        ["sklearn/digits-cnn"] = 0.60,
        ["sklearn/digits-mlp-128-64"] = 0.61,
        ["sklearn/digits-mlp-64"] = 0.50,
        ["sklearn/glass-mlp-32-16"] = 0.97,
        ["sklearn/ionosphere-mlp-32-16"] = 0.54,
        ["sklearn/iris-mlp-16"] = 2.33,
        ["sklearn/segment-logistic"] = 1.15,
        ["sklearn/segment-mlp-64-32"] = 0.62,
        ["sklearn/wine-logistic"] = 1.93,
        ["sklearn/wine-mlp-16"] = 1.24,
    };

    /// <summary>
    /// The target of a workload as the highest × naive that meets it, with its wording; null where the issue sets none.
    /// Elementwise ops and pools: ≥ 2× their own naive loop, which is the loop they ran before the issue (one reference
    /// computation per element, the fixed-point helpers called), so half the time they took then.
    /// </summary>
    public static (double Limit, string Text)? Target(Timing t, double? before)
    {
        // Streamed weights are measured against the layouts in RAM; the issue sets them no speed target.
        if (t.Name.Contains("Streamed", StringComparison.Ordinal))
        {
            return null;
        }

        if (t.Kind == "model")
        {
            return t.Units >= 5000 ? (0.4, "≥ 2.5× naive (≥ 5k MACs)") : t.Units >= 800 ? (1 / 1.5, "≥ 1.5× naive (~1k-MAC MLP)") : null;
        }

        string n = t.Name;
        if (n.StartsWith("FullyConnected 256", StringComparison.Ordinal) || n.StartsWith("Conv2D", StringComparison.Ordinal))
        {
            return n.EndsWith("Int64Pairs", StringComparison.Ordinal) ? (1 / 3.0, "≥ 3× naive") : (0.5, "≥ 2× naive");
        }

        if (n.StartsWith("DepthwiseConv2D", StringComparison.Ordinal))
        {
            return (0.5, "≥ 2× naive");
        }

        bool ownLoop = n.StartsWith("MaxPool2D", StringComparison.Ordinal) || n.StartsWith("AveragePool2D", StringComparison.Ordinal) ||
            n.StartsWith("GlobalAveragePool", StringComparison.Ordinal) || n.StartsWith("Add", StringComparison.Ordinal) ||
            n.StartsWith("Mul", StringComparison.Ordinal) || n.StartsWith("Lookup", StringComparison.Ordinal) || n.StartsWith("Softmax", StringComparison.Ordinal);
        return ownLoop && before != null ? (before.Value / 2, "≥ 2× its own naive loop (the kernel before)") : null;
    }
}
