using QuantEdge.Compiler.Calibration;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Quantization;

namespace QuantEdge.Cli.Report;

/// <summary>
/// What the quantization report shows, gathered from the quantizer's and the evaluator's results:
/// summary numbers, per-layer error, the calibration ranges and the float-vs-int8 confusion matrix.
/// </summary>
public sealed record ReportData
{
    /// <summary>The model's name (the title).</summary>
    public required string ModelName { get; init; }

    /// <summary>Float-vs-int8 results on <see cref="EvaluationData"/> (with a float reference for accuracy, agreement and confusion).</summary>
    public required EvaluationResult Evaluation { get; init; }

    /// <summary>Where the float model came from, and its size in bytes, when known.</summary>
    public string? FloatModelPath { get; init; }

    public long? FloatModelBytes { get; init; }

    public string? CalibrationData { get; init; }

    public string? EvaluationData { get; init; }

    /// <summary>Settings worth recording (method, weights per channel or tensor, ...), in display order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; init; } = [];

    /// <summary>SQNR of every device tensor against the float model.</summary>
    public IReadOnlyList<LayerError> LayerErrors { get; init; } = [];

    /// <summary>The range chosen for each tensor.</summary>
    public IReadOnlyList<ChosenRange> Ranges { get; init; } = [];

    /// <summary>The device layers: shapes, MACs, weight layouts.</summary>
    public IReadOnlyList<LayerSummary> Layers { get; init; } = [];

    /// <summary>The demo's simulated sensor node, shown as the report's last section when present.</summary>
    public Commands.DemoNodeResult? Node { get; init; }

    /// <summary>Class names by index; missing ones are shown as their index.</summary>
    public IReadOnlyList<string> ClassLabels { get; init; } = [];

    /// <summary>The name of class <paramref name="index"/>, or its index.</summary>
    public string ClassName(int index) =>
        index < ClassLabels.Count && !string.IsNullOrEmpty(ClassLabels[index]) ? ClassLabels[index] : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
