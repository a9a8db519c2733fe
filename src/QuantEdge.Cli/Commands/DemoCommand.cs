using System.CommandLine;
using QuantEdge.Cli.Output;
using QuantEdge.Cli.Report;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Quantization;

namespace QuantEdge.Cli.Commands;

/// <summary><c>quantedge demo</c>: the whole pipeline on the bundled image-segmentation MLP and data.</summary>
public static class DemoCommand
{
    /// <summary>The bundled files, copied next to the tool from the repository's data/ folder.</summary>
    public const string ModelFile = "segment-mlp.onnx", TrainFile = "segment_train.csv", TestFile = "segment_test.csv";

    /// <summary>Class names of UCI's image segmentation data, in label order (data/README.md).</summary>
    public static readonly string[] SegmentClasses = ["brickface", "sky", "foliage", "cement", "window", "path", "grass"];

    /// <summary>How the demo quantizes its model (on the training rows); the device tests build their demo blob the same way.</summary>
    public static QuantizeOptions Options() => new() { ModelName = "segment-mlp", OutputNames = SegmentClasses };

    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out")
        {
            Description = "Folder for the blob, the report and the sensor node's files (made if missing; the folder it is in must exist).",
            DefaultValueFactory = _ => "quantedge-demo",
            HelpName = "DIR",
        };
        var command = new Command("demo",
            "Run the whole pipeline on data that ships with QuantEdge: an MLP (19 -> 32 -> 16 -> 7) trained by 'quantedge train' " +
            "on UCI's image segmentation data (data/models/README.md) is quantized on the 1,500 training rows, then the int8 " +
            "model (run by the device runtime) and the float model are evaluated on the 810 held-out test rows. Prints " +
            "accuracy, agreement, model size, arena RAM and MACs, and writes the blob and an HTML report. Then it simulates the " +
            "sample sensor node of the firmware (an iris MLP on an ESP32-DevKitC, four analog sensors, an LED per class; " +
            "src/QuantEdge.Firmware/node.json) on a sensor trace made from the held-out iris flowers, as 'quantedge simulate' " +
            "does, and writes its model, node.json, node.bin and trace beside the report, whose last section shows the LEDs over time.\n\n" +
            "Example:\n  quantedge demo\n  quantedge demo --out /tmp/demo")
        {
            output,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            string folder = Path.Combine(AppContext.BaseDirectory, "demo");
            var outputs = new OutputPlan(context);
            PlannedFolder outFolder = outputs.Folder(parse.GetValue(output), "--out", create: true);
            PlannedOutput blobFile = outFolder.File("segment-mlp.qem");
            PlannedOutput reportFile = outFolder.File("report.html");
            DemoNodeFiles nodeFiles = DemoNode.Plan(outFolder);
            outputs.Input(Directory.GetFiles(folder));

            string modelPath = Path.Combine(folder, ModelFile);
            ModelGraph graph = InputFiles.LoadOnnx(modelPath);
            Dataset train = InputFiles.LoadCsv(Path.Combine(folder, TrainFile), Dataset.DefaultLabel);
            Dataset test = InputFiles.LoadCsv(Path.Combine(folder, TestFile), Dataset.DefaultLabel);
            QuantizeOptions options = Options();

            QuantizationResult quantized = QuantizeCommand.Quantize(context, graph, train, options, modelPath);
            EvaluationResult evaluation = ProgressDisplay.Run(context, "evaluating", p => Evaluator.Evaluate(quantized.Blob, test, graph, p));
            ReportData report = ReportBuilder.Build(options.ModelName!, modelPath, graph, quantized, options, train.Source, test, new TaskEvaluation(evaluation, null, null)) with
            {
                FloatModelPath = $"data/models/{ModelFile} (bundled)",
                CalibrationData = $"data/{TrainFile} ({train.Count} rows)",
                EvaluationData = $"data/{TestFile} ({test.Count} rows)",
            };

            DemoNodeResult node = DemoNode.Run(folder, nodeFiles, outputs);
            blobFile.Set(quantized.Blob);
            reportFile.SetText(HtmlReport.Render(report with { Node = node }));
            outputs.Commit();

            TextWriter o = context.Out;
            o.WriteLine("QuantEdge demo: image-segmentation MLP (19 features -> 32 -> 16 -> 7 classes), UCI data");
            o.WriteLine($"quantized on {TrainFile} ({train.Count} rows), evaluated on {TestFile} ({test.Count} rows)");
            o.WriteLine();
            new TextTable("", "float (ONNX)", "int8 (QuantEdge)")
                .Add("test accuracy", CommonOptions.Percent(evaluation.FloatAccuracy!.Value), CommonOptions.Percent(evaluation.Int8Accuracy))
                .Add("agreement with float", "", CommonOptions.Percent(evaluation.Agreement!.Value))
                .Add("model size (bytes)", CommonOptions.Bytes(new FileInfo(modelPath).Length), CommonOptions.Bytes(evaluation.BlobBytes))
                .Add("weights in RAM (bytes)", "", CommonOptions.Bytes(evaluation.WeightBytes))
                .Add("arena RAM (bytes)", "", CommonOptions.Bytes(evaluation.ArenaBytes))
                .Add("MACs per inference", CommonOptions.Bytes(evaluation.Macs), CommonOptions.Bytes(evaluation.Macs))
                .Write(o);
            o.WriteLine();
            DemoNode.Print(o, node);
            o.WriteLine();
            foreach (string file in node.Files.Prepend(blobFile.Path).Append(reportFile.Path))
            {
                o.WriteLine($"wrote {file}");
            }
        }));
        return command;
    }
}
