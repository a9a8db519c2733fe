using System.CommandLine;
using QuantEdge.Cli.Output;
using QuantEdge.Cli.Report;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Calibration;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Compiler.Quantization.Lowering;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

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
            "to search tensor by tensor, mse, and the output says so). Default auto, or the method the model's metadata names " +
            "(quantedge_calibration: minmax for a model `train --qat` made).",
            "auto", "minmax", "percentile", "mse");
        var rounding = CommonOptions.Choice("--rounding",
            "How fully connected and convolution layers' weights are rounded to int8: nearest (each weight to its nearest code), output-aware (each " +
            "output channel's codes chosen together for the least output error on the calibration rows), or auto (output-aware on each " +
            "layer where the int8 model then agrees better with the float one on the calibration rows; the output names those layers).",
            "auto", "nearest", "output-aware");
        var perTensor = new Option<bool>("--per-tensor") { Description = "One weight scale per layer instead of one per output channel (to compare; per-channel is more accurate)." };
        var samples = CommonOptions.OptionalInteger("--samples", "Calibrate on the first N rows only (N at least 1).");
        var classes = new Option<string?>("--classes") { Description = "Class names stored in the blob, comma-separated, in label order (e.g. cat,dog).", HelpName = "NAMES" };
        var outputNames = new Option<string?>("--outputs")
        {
            Description = "Names of a regression's or anomaly model's outputs stored in the blob, comma-separated (default: the regression's target columns).",
            HelpName = "NAMES",
        };
        var featureNames = new Option<bool>("--feature-names")
        {
            Description = "Store the calibration file's column names in the blob as the feature names (default: only names the " +
                "model's metadata states, as `quantedge train` writes; without names a device knows a feature by its index, and " +
                "the blob and its RAM are smaller).",
        };
        var task = CommonOptions.Choice("--task",
            "What the outputs mean, recorded in the blob: auto (what the model's metadata states, else a softmax or several outputs is a " +
            "classifier and one output a regression), classification, regression (real values, in their units), or anomaly (one " +
            "score, higher = more unusual).",
            "auto", "classification", "regression", "anomaly");
        var weights = CommonOptions.Choice("--weights",
            "Where fully connected weights live on the device: auto keeps them in RAM while the model's device RAM estimate fits --ram-budget, " +
            "and streams the largest layers' from flash (read during each inference, one row buffer in RAM) when they do not; " +
            "ram never streams (older runtimes cannot stream); streamed streams every fully connected layer.",
            "auto", "ram", "streamed");
        var ramBudget = CommonOptions.Integer("--ram-budget",
            "RAM (bytes) the loaded model may take on the device (inspect's device_ram_bytes: weights, activations, per-channel parameters, the runtime's objects): layers get the fast 4-byte layout while it fits, the 1-byte one next, " +
            "streamed weights last (an ESP32 WROOM leaves about 79 KB of managed heap; the default keeps room for the application).",
            new QuantizeOptions().RamBudgetBytes, "BYTES");
        var board = new Option<string?>("--board")
        {
            Description = "Take the RAM budget from the board the model will run on: its managed heap less the headroom `node pack` keeps " +
                "(a quarter of the heap, at least 12 KiB); instead of --ram-budget. " + NodeCommand.BoardHelp,
            HelpName = "BOARD",
        };
        var report = new Option<string?>("--report")
        {
            Description = "Also write a self-contained HTML report (per-layer error, calibration ranges, and float vs int8 by task: a " +
                "classifier's confusion, a regression's errors, an anomaly score's ROC) measured on the calibration rows, which then need " +
                "the true answers: labels that are classes of the model, a regression's targets, anomaly labels 0/1 (- for standard output).",
            HelpName = "REPORT.html",
        };
        var command = new Command("quantize",
            "Quantize a float ONNX model to an int8 QuantEdge blob the device runtime loads: per-channel symmetric int8 weights, " +
            "asymmetric int8 activations calibrated on real data, int32 biases, integer-only requantization, per-feature input " +
            "quantization so a device can feed raw sensor values. The blob carries a golden vector the device checks with SelfTest().\n\n" +
            "Example:\n  quantedge quantize model.onnx --calibration data/segment_train.csv --out model.qem --report report.html\n" +
            "  quantedge quantize radar.onnx --task anomaly --outputs score --calibration data/ionosphere_anomaly_train.csv --out radar.qem")
        {
            model, calibration, label, output, method, rounding, perTensor, samples, task, classes, outputNames, featureNames, weights, ramBudget, board, report,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            string modelPath = parse.GetValue(model)!, calibrationPath = parse.GetValue(calibration)!;
            string? reportPath = parse.GetValue(report);
            var outputs = new OutputPlan(context);
            PlannedOutput blobFile = outputs.File(parse.GetValue(output), "--out", stream: true);
            PlannedOutput? reportFile = reportPath is null ? null : outputs.File(reportPath, "--report", stream: true);
            outputs.Input(modelPath, calibrationPath);
            if (parse.GetValue(ramBudget) < 0)
            {
                throw new CliException($"--ram-budget {parse.GetValue(ramBudget)}: must be 0 or more bytes");
            }

            string? boardName = parse.GetValue(board);
            if (boardName != null && CommonOptions.Given(parse, ramBudget))
            {
                throw new CliException("--board and --ram-budget: give one of them (the board's heap sets the budget)");
            }

            Compiler.Deployment.Board? target = boardName is null ? null : NodeCommand.LoadBoard(boardName);
            int budget = target is null ? parse.GetValue(ramBudget)
                : target.HeapBytes - Compiler.Deployment.NodeRamEstimate.HeadroomBytes(target.HeapBytes);

            if (parse.GetValue(samples) is < 1)
            {
                throw new CliException($"--samples {parse.GetValue(samples)}: must be at least 1");
            }

            ModelGraph graph = InputFiles.LoadOnnx(modelPath);
            ModelTask modelTask = parse.GetValue(task)!.Equals("auto", StringComparison.OrdinalIgnoreCase)
                ? ModelTasks.Infer(graph)
                : CommonOptions.ParseChoice<ModelTask>(parse.GetValue(task)!);
            string[]? names = OutputNames(parse.GetValue(classes), parse.GetValue(outputNames), modelTask, graph, modelPath);
            Dataset data = InputFiles.LoadFor(modelTask, calibrationPath, parse.GetValue(label)!, CommonOptions.Given(parse, label),
                names ?? ModelTasks.StatedOutputNames(graph) ?? [], required: reportPath != null);
            if (graph.Inputs.Count == 1)
            {
                data.RequireFeatureCount(FloatTensor.ElementCount(graph.Inputs[0].Shape), modelPath);
            }

            if (data.TargetNames.Length > 0 && data.TargetNames.Length != OutputCount(graph))
            {
                throw new CliException($"--label: {data.TargetNames.Length} target columns ({string.Join(", ", data.TargetNames)}), but {modelPath} has {OutputCount(graph)} outputs");
            }

            if (reportPath != null && modelTask == ModelTask.Anomaly)
            {
                data.RequireAnomalyLabels();
            }
            else if (reportPath != null && graph.Outputs.Count == 1)
            {
                data.RequireLabelsBelow(FloatTensor.ElementCount(graph.Outputs[0].Shape), modelPath);
            }

            // Without --method, a model trained quantization-aware gets the calibration it was trained for.
            CalibrationMethod? statedMethod = parse.GetResult(method) is { Implicit: false } ? null : StatedCalibration.Of(graph);
            var options = new QuantizeOptions
            {
                Method = statedMethod ?? CommonOptions.ParseChoice<CalibrationMethod>(parse.GetValue(method)!),
                Rounding = CommonOptions.ParseChoice<WeightRounding>(parse.GetValue(rounding)!),
                PerTensorWeights = parse.GetValue(perTensor),
                Weights = CommonOptions.ParseChoice<WeightPlacement>(parse.GetValue(weights)!),
                RamBudgetBytes = budget,
                Samples = parse.GetValue(samples),
                ModelName = ModelName(modelPath),
                OutputNames = names ?? (modelTask == ModelTask.Regression && data.TargetNames.Length > 0 ? data.TargetNames : ModelTasks.StatedOutputNames(graph)),
                Task = modelTask,
                FeatureNames = parse.GetValue(featureNames) ? data.FeatureNames : null,
            };

            QuantizationResult result = Quantize(context, graph, data, options, modelPath);
            blobFile.Set(result.Blob);
            if (reportFile != null)
            {
                TaskEvaluation evaluation = ProgressDisplay.Run(context, "evaluating", p => TaskEvaluation.Run(result.Blob, data, graph, p));
                reportFile.SetText(HtmlReport.Render(ReportBuilder.Build(options.ModelName!, modelPath, graph, result, options, data.Source, data, evaluation)));
            }

            outputs.Commit();
            TextWriter o = outputs.Messages;
            string why = statedMethod is null ? "" : ", as the model's metadata asks: it was trained for it";
            o.WriteLine($"quantized {modelPath} on {data.Source} ({data.Take(options.Samples).Count} rows, method {(result.FallbackMethod ?? options.Method).ToString().ToLowerInvariant()}{why})");
            if (result.Note is not null)
            {
                o.WriteLine("note: " + result.Note);
            }

            if (result.OutputAwareLayers.Count > 0)
            {
                o.WriteLine($"weights rounded output-aware in {string.Join(", ", result.OutputAwareLayers)}; to nearest elsewhere");
            }

            Model device = Model.Load(result.Blob);
            string streamed = device.StreamBufferBytes == 0 ? "" :
                $" ({CommonOptions.Bytes(result.Device.Ops.OfType<FullyConnectedRecord>().Where(fc => fc.WeightLayout is WeightLayout.Streamed or WeightLayout.StreamedByRow).Sum(fc => fc.Weights.Length))} B more streamed from flash " +
                $"through a {CommonOptions.Bytes(device.StreamBufferBytes)} B row buffer)";
            if (target is not null)
            {
                o.WriteLine($"RAM budget for the model: {CommonOptions.Bytes(budget)} B ({target.Id}'s {CommonOptions.Bytes(target.HeapBytes)} B heap " +
                    $"less {CommonOptions.Bytes(target.HeapBytes - budget)} B headroom)");
            }

            o.WriteLine($"wrote {blobFile.Shown}: {CommonOptions.Bytes(result.Blob.Length)} bytes; on the device: weights {CommonOptions.Bytes(result.Layers.Sum(l => l.WeightBytes))} B in RAM{streamed}, " +
                $"arena {CommonOptions.Bytes(device.ArenaBytes)} B, {CommonOptions.Bytes(result.Layers.Sum(l => l.Macs))} MACs per inference");
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

    /// <summary>The output names --classes (a classifier) or --outputs (other tasks) give, checked against the model; null for neither.</summary>
    private static string[]? OutputNames(string? classes, string? outputs, ModelTask task, ModelGraph graph, string modelPath)
    {
        if (classes != null && outputs != null)
        {
            throw new CliException("--classes and --outputs: give one of them (class labels for a classifier, output names otherwise)");
        }

        string option = classes != null ? "--classes" : "--outputs";
        if ((classes ?? outputs) is not { } text)
        {
            return null;
        }

        if ((task == ModelTask.Classification) != (classes != null))
        {
            throw new CliException(task == ModelTask.Classification
                ? "--outputs: the model is a classifier; name its classes with --classes"
                : $"--classes: the model is a {ModelTasks.Name(task)} model, it has no classes; name its outputs with --outputs");
        }

        string[] labels = text.Split(',').Select(l => l.Trim()).ToArray();
        int count = OutputCount(graph);
        if (labels.Length != count)
        {
            throw new CliException($"{option}: {labels.Length} names, but {modelPath} has {count} outputs");
        }

        if (labels.FirstOrDefault(l => l.Length is 0 or > BlobFormat.MaxStringBytes || l.Any(c => c is < ' ' or > '~')) is { } bad)
        {
            throw new CliException($"{option}: '{bad}' is not a name of 1 to {BlobFormat.MaxStringBytes} printable ASCII characters");
        }

        return labels;
    }

    /// <summary>The model's outputs per row: its first output's elements less the batch dimension.</summary>
    private static int OutputCount(ModelGraph graph)
    {
        int[] shape = graph.Outputs[0].Shape;
        return FloatTensor.ElementCount(shape) / Math.Max(1, shape.Length > 0 ? shape[0] : 1);
    }
}
