using System.CommandLine;
using System.Text.Json.Nodes;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Runtime;

namespace QuantEdge.Cli.Commands;

/// <summary><c>quantedge eval</c>: accuracy of the int8 model on labelled rows, optionally against the float model.</summary>
public static class EvalCommand
{
    public static Command Create(CliContext context)
    {
        var model = CommonOptions.Model("The model blob (.qem).");
        var data = CommonOptions.RequiredFile("--data", "Labelled CSV to evaluate on (ideally rows not used for calibration); every label must be a class of the model.", "DATA.csv");
        var label = CommonOptions.Label();
        var reference = new Option<string?>("--reference") { Description = "The float ONNX model, to compare accuracy and agreement with.", HelpName = "MODEL.onnx" };
        var json = CommonOptions.Json("the results");
        var command = new Command("eval",
            "Evaluate the int8 model with the device runtime itself, row by row as a device would (raw feature values, " +
            "integer quantization on the device). Reports int8 accuracy, blob size, arena RAM and MACs; with --reference " +
            "also the float model's accuracy, the agreement between the two and the float-vs-int8 confusion matrix.\n\n" +
            "JSON fields: samples, int8_accuracy, blob_bytes, arena_bytes, weights_bytes, macs; with --reference also " +
            "float_accuracy, agreement and confusion (rows: float class, columns: int8 class).\n\n" +
            "Example:\n  quantedge eval model.qem --data data/segment_test.csv --reference model.onnx --json")
        {
            model, data, label, reference, json,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            string path = parse.GetValue(model)!;
            (byte[] blob, Model device) = InputFiles.LoadBlob(path);
            Dataset rows = InputFiles.LoadCsv(parse.GetValue(data)!, parse.GetValue(label)!);
            rows.RequireFeatureCount(device.InputLength, path);
            rows.RequireLabelsBelow(device.OutputLength, path);
            ModelGraph? graph = null;
            if (parse.GetValue(reference) is { } referencePath)
            {
                graph = InputFiles.LoadOnnx(referencePath);
                rows.RequireFeatureCount(graph.Inputs.Sum(i => FloatTensor.ElementCount(i.Shape)), referencePath);
                int referenceOutputs = graph.Outputs.Sum(o => FloatTensor.ElementCount(o.Shape));
                if (referenceOutputs != device.OutputLength)
                {
                    throw new CliException($"{referencePath}: {referenceOutputs} outputs, but {path} has {device.OutputLength}: not the model it was quantized from");
                }
            }

            EvaluationResult result = ProgressDisplay.Run(context, "evaluating", p => Evaluator.Evaluate(blob, rows, graph, p));
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(ToJson(result).ToJsonString(JsonOutput.Options));
                return;
            }

            context.Out.WriteLine($"{path} on {rows.Source} ({result.Samples} rows)");
            var table = new TextTable("", "int8 (QuantEdge)", "float (ONNX)");
            table.Add("accuracy", CommonOptions.Percent(result.Int8Accuracy), result.FloatAccuracy is double f ? CommonOptions.Percent(f) : "");
            if (result.Agreement is double agreement)
            {
                table.Add("agreement", CommonOptions.Percent(agreement), "");
            }

            table.Add("model bytes", CommonOptions.Bytes(result.BlobBytes), graph != null ? CommonOptions.Bytes(new FileInfo(parse.GetValue(reference)!).Length) : "")
                .Add("weights in RAM", CommonOptions.Bytes(result.WeightBytes), "")
                .Add("arena (activations)", CommonOptions.Bytes(result.ArenaBytes), "")
                .Add("MACs per inference", CommonOptions.Bytes(result.Macs), "")
                .Write(context.Out);
            if (result.Confusion is { } confusion)
            {
                context.Out.WriteLine();
                context.Out.WriteLine("confusion (rows: the float model's class, columns: the int8 model's class):");
                ConfusionTable(device, confusion).Write(context.Out);
            }
        }));
        return command;
    }

    /// <summary>The float-vs-int8 confusion matrix as a table, classes named as the blob names them.</summary>
    public static TextTable ConfusionTable(Model device, int[][] confusion)
    {
        string Name(int c) => device.GetClassLabel(c) is { Length: > 0 } label ? $"{c} {label}" : $"{c}";
        var table = new TextTable([.. Enumerable.Range(0, confusion.Length).Select(Name).Prepend("float \\ int8")]);
        for (int row = 0; row < confusion.Length; row++)
        {
            table.Add([Name(row), .. confusion[row].Cast<object?>()]);
        }

        return table;
    }

    public static JsonObject ToJson(EvaluationResult r)
    {
        var json = new JsonObject
        {
            ["samples"] = r.Samples,
            ["int8_accuracy"] = r.Int8Accuracy,
            ["blob_bytes"] = r.BlobBytes,
            ["arena_bytes"] = r.ArenaBytes,
            ["weights_bytes"] = r.WeightBytes,
            ["macs"] = r.Macs,
        };
        if (r.FloatAccuracy is double floatAccuracy)
        {
            json["float_accuracy"] = floatAccuracy;
            json["agreement"] = r.Agreement;
        }

        if (r.Confusion != null)
        {
            json["confusion"] = new JsonArray(r.Confusion.Select(row => (JsonNode)JsonOutput.Array(row)).ToArray());
        }

        return json;
    }
}
