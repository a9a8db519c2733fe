using QuantEdge.Compiler.Calibration;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime;

namespace QuantEdge.Cli.Report;

/// <summary>
/// What the quantization report shows, gathered from the quantizer's and the evaluator's results:
/// summary numbers, per-layer error, the calibration ranges and the float-vs-int8 comparison the task
/// calls for (a classifier's confusion matrix, a regression's errors, an anomaly score's ROC).
/// </summary>
public sealed record ReportData
{
    /// <summary>The model's name (the title).</summary>
    public required string ModelName { get; init; }

    /// <summary>Float-vs-int8 results on <see cref="EvaluationData"/>, as the model's task measures them.</summary>
    public required TaskEvaluation Evaluation { get; init; }

    /// <summary>The int8 model on the device: blob bytes, weights in RAM, arena, MACs per inference.</summary>
    public required (int BlobBytes, int WeightBytes, int ArenaBytes, long Macs) Device { get; init; }

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

    /// <summary>Output (class) names by index; missing ones are shown as their index.</summary>
    public IReadOnlyList<string> OutputNames { get; init; } = [];

    /// <summary>The name of output or class <paramref name="index"/>, or its index.</summary>
    public string ClassName(int index) =>
        index < OutputNames.Count && !string.IsNullOrEmpty(OutputNames[index]) ? OutputNames[index] : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>How the int8 model did against the float model, as its task measures it: exactly one result is set.</summary>
public sealed record TaskEvaluation(EvaluationResult? Classification, RegressionEvaluation? Regression, AnomalyEvaluation? Anomaly)
{
    /// <summary>The false-positive rate a report's anomaly threshold is chosen for (<c>eval --fpr</c>'s default).</summary>
    public const double ReportFalsePositiveRate = 0.05;

    /// <summary>Rows evaluated.</summary>
    public int Samples => Classification?.Samples ?? Regression?.Samples ?? Anomaly!.Samples;

    /// <summary>Evaluates <paramref name="blob"/> on <paramref name="data"/> against <paramref name="reference"/> by the task the blob records.</summary>
    public static TaskEvaluation Run(byte[] blob, Dataset data, ModelGraph reference, IProgress<ProgressReport>? progress) => Model.Load(blob).Task switch
    {
        ModelTask.Regression => new(null, ValueEvaluator.EvaluateRegression(blob, data, reference, progress), null),
        ModelTask.Anomaly => new(null, null, ValueEvaluator.EvaluateAnomaly(blob, data, reference, ReportFalsePositiveRate, progress)),
        _ => new(Evaluator.Evaluate(blob, data, reference, progress), null, null),
    };
}
