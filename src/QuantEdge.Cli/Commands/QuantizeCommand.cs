using System.CommandLine;
using QuantEdge.Cli.Output;
using QuantEdge.Cli.Report;
using QuantEdge.Compiler.Calibration;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Compiler.Quantization.Lowering;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Format;

namespace QuantEdge.Cli.Commands;

/// <summary><c>quantedge quantize</c>: float ONNX + calibration CSV → int8 blob (and an optional HTML report).</summary>
public static class QuantizeCommand
{
    public static Command Create(CliContext context)
    {
        var model = CommonOptions.Model("The float ONNX model (ai.onnx opsets 1-21; one input, one output; within the limits of the README's exit-code section).");
        var calibration = CommonOptions.RequiredFile("--calibration", "CSV of real inputs to calibrate activation ranges on (a few hundred typical rows).", "DATA.csv");
        var label = CommonOptions.Label();
        var output = CommonOptions.RequiredFile("--out", "Where to write the int8 model blob (- for standard output; the summary then goes to stderr).", "MODEL.qem");
        var method = CommonOptions.Choice("--method",
            "How activation ranges are chosen: minmax (observed extremes), percentile (0.01%-99.99%), mse (least " +
            "quantization error), or auto (per tensor, the one that gives the model's output the least error; on a graph too long " +
            "to search tensor by tensor, mse, and the output says so).",
            "auto", "minmax", "percentile", "mse");
        var perTensor = new Option<bool>("--per-tensor") { Description = "One weight scale per layer instead of one per output channel (to compare; per-channel is more accurate)." };
        var samples = CommonOptions.OptionalInteger("--samples", "Calibrate on the first N rows only (N at least 1).");
        var classes = new Option<string?>("--classes") { Description = "Class names stored in the blob, comma-separated, in label order (e.g. cat,dog).", HelpName = "NAMES" };
        var report = new Option<string?>("--report")
        {
            Description = "Also write a self-contained HTML report (per-layer error, calibration ranges, float-vs-int8 confusion) " +
                "measured on the calibration rows, which then need labels that are classes of the model (- for standard output).",
            HelpName = "REPORT.html",
        };
        var command = new Command("quantize",
            "Quantize a float ONNX model to an int8 QuantEdge blob the device runtime loads: per-channel symmetric int8 weights, " +
            "asymmetric int8 activations calibrated on real data, int32 biases, integer-only requantization, per-feature input " +
            "quantization so a device can feed raw sensor values. The blob carries a golden vector the device checks with SelfTest().\n\n" +
            "Example:\n  quantedge quantize model.onnx --calibration data/segment_train.csv --out model.qem --report report.html")
        {
            model, calibration, label, output, method, perTensor, samples, classes, report,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            string modelPath = parse.GetValue(model)!, calibrationPath = parse.GetValue(calibration)!;
            string? reportPath = parse.GetValue(report);
            var outputs = new OutputPlan(context);
            PlannedOutput blobFile = outputs.File(parse.GetValue(output), "--out", stream: true);
            PlannedOutput? reportFile = reportPath is null ? null : outputs.File(reportPath, "--report", stream: true);
            outputs.Input(modelPath, calibrationPath);
            if (parse.GetValue(samples) is < 1)
            {
                throw new CliException($"--samples {parse.GetValue(samples)}: must be at least 1");
            }

            ModelGraph graph = InputFiles.LoadOnnx(modelPath);
            Dataset data = InputFiles.LoadCsv(calibrationPath, parse.GetValue(label)!, requireLabel: reportPath != null);
            if (graph.Inputs.Count == 1)
            {
                data.RequireFeatureCount(FloatTensor.ElementCount(graph.Inputs[0].Shape), modelPath);
            }

            if (reportPath != null && graph.Outputs.Count == 1)
            {
                data.RequireLabelsBelow(FloatTensor.ElementCount(graph.Outputs[0].Shape), modelPath);
            }

            var options = new QuantizeOptions
            {
                Method = CommonOptions.ParseChoice<CalibrationMethod>(parse.GetValue(method)!),
                PerTensorWeights = parse.GetValue(perTensor),
                Samples = parse.GetValue(samples),
                ModelName = ModelName(modelPath),
                ClassLabels = ClassLabels(parse.GetValue(classes), graph, modelPath),
            };

            QuantizationResult result = Quantize(context, graph, data, options, modelPath);
            blobFile.Set(result.Blob);
            if (reportFile != null)
            {
                EvaluationResult evaluation = ProgressDisplay.Run(context, "evaluating", p => Evaluator.Evaluate(result.Blob, data, graph, p));
                reportFile.SetText(HtmlReport.Render(ReportBuilder.Build(options.ModelName!, modelPath, graph, result, options, data.Source, data, evaluation)));
            }

            outputs.Commit();
            TextWriter o = outputs.Messages;
            o.WriteLine($"quantized {modelPath} on {data.Source} ({data.Take(options.Samples).Count} rows, method {(result.FallbackMethod ?? options.Method).ToString().ToLowerInvariant()})");
            if (result.Note is not null)
            {
                o.WriteLine("note: " + result.Note);
            }

            o.WriteLine($"wrote {blobFile.Shown}: {CommonOptions.Bytes(result.Blob.Length)} bytes; on the device: weights {CommonOptions.Bytes(result.Layers.Sum(l => l.WeightBytes))} B, " +
                $"arena {CommonOptions.Bytes(Model.Load(result.Blob).ArenaBytes)} B, {CommonOptions.Bytes(result.Layers.Sum(l => l.Macs))} MACs per inference");
            if (reportFile != null)
            {
                o.WriteLine($"wrote {reportFile.Shown}");
            }
        }));
        return command;
    }

    /// <summary>Runs the quantizer with a progress bar; a model the device cannot run is bad input naming the file.</summary>
    public static QuantizationResult Quantize(CliContext context, ModelGraph graph, Dataset data, QuantizeOptions options, string modelPath)
    {
        try
        {
            return ProgressDisplay.Run(context, "quantizing", p => Quantizer.Quantize(graph, data, options, p));
        }
        catch (UnsupportedModelException e)
        {
            throw new CliException($"{modelPath}: {e.Message}");
        }
    }

    /// <summary>The file name as a blob model name: 7-bit ASCII, at most 64 characters.</summary>
    public static string ModelName(string path)
    {
        string name = new(Path.GetFileNameWithoutExtension(path).Select(c => c is >= ' ' and < '\x7f' ? c : '_').ToArray());
        return name.Length > 64 ? name[..64] : name;
    }

    private static string[]? ClassLabels(string? text, ModelGraph graph, string modelPath)
    {
        if (text == null)
        {
            return null;
        }

        string[] labels = text.Split(',').Select(l => l.Trim()).ToArray();
        int[] shape = graph.Outputs[0].Shape;
        int outputs = FloatTensor.ElementCount(shape) / Math.Max(1, shape.Length > 0 ? shape[0] : 1);
        if (labels.Length != outputs)
        {
            throw new CliException($"--classes: {labels.Length} names, but {modelPath} has {outputs} outputs");
        }

        if (labels.FirstOrDefault(l => l.Length is 0 or > BlobFormat.MaxStringBytes || l.Any(c => c is < ' ' or > '~')) is { } bad)
        {
            throw new CliException($"--classes: '{bad}' is not a name of 1 to {BlobFormat.MaxStringBytes} printable ASCII characters");
        }

        return labels;
    }
}
