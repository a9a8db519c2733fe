using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Quantization;

namespace QuantEdge.Cli.Report;

/// <summary>Gathers a report's contents from a quantization and an evaluation of it.</summary>
public static class ReportBuilder
{
    /// <summary>
    /// The report for <paramref name="quantized"/>, measured on <paramref name="data"/> (rows with true answers):
    /// <paramref name="evaluation"/> must come from the same rows with <paramref name="graph"/> as the reference.
    /// </summary>
    public static ReportData Build(
        string modelName, string floatModelPath, ModelGraph graph, QuantizationResult quantized, QuantizeOptions options,
        string calibrationData, Dataset data, TaskEvaluation evaluation)
    {
        Runtime.Model device = Runtime.Model.Load(quantized.Blob);
        return new()
        {
            ModelName = modelName,
            Evaluation = evaluation,
            Device = (quantized.Blob.Length, device.WeightBytes, device.ArenaBytes, device.Macs),
            FloatModelPath = floatModelPath,
            FloatModelBytes = File.Exists(floatModelPath) ? new FileInfo(floatModelPath).Length : null,
            CalibrationData = calibrationData,
            EvaluationData = data.Source,
            Settings =
            [
                new("calibration method", quantized.FallbackMethod is { } used
                    ? $"{used.ToString().ToLowerInvariant()} ({quantized.Note})"
                    : options.Method.ToString().ToLowerInvariant()),
                new("weights", options.PerTensorWeights ? "int8, one scale per tensor" : "int8, one scale per output channel"),
                new("calibration rows", options.Samples is int n ? $"first {n}" : "all"),
                new("weight rounding", quantized.OutputAwareLayers.Count == 0
                    ? "to nearest"
                    : $"output-aware in {string.Join(", ", quantized.OutputAwareLayers)}; to nearest elsewhere"),
                new("bias correction", options.BiasCorrection ? "on" : "off"),
                new("input quantization", options.PerFeatureInput ? "per feature" : "one scale for all features"),
                new("RAM budget for the model (device RAM estimate)", $"{options.RamBudgetBytes:N0} bytes"),
            ],
            LayerErrors = Evaluator.PerLayerError(quantized, graph, data),
            Ranges = quantized.Ranges,
            Layers = quantized.Layers,
            OutputNames = quantized.Device.OutputNames,
        };
    }
}
