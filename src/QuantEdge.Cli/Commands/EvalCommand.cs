using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Runtime;

namespace QuantEdge.Cli.Commands;

/// <summary>
/// <c>quantedge eval</c>: how the int8 model does on rows with known answers, optionally against the float model: a
/// classifier's accuracy, a regression's error in its units, an anomaly score's ranking and threshold.
/// </summary>
public static class EvalCommand
{
    public static Command Create(CliContext context)
    {
        var model = CommonOptions.Model("The model blob (.qem).");
        var data = CommonOptions.RequiredFile("--data",
            "CSV with the true answers (ideally rows not used for calibration): a classifier's class labels, a regression's target " +
            "columns, an anomaly model's labels (0 normal, 1 anomaly).", "DATA.csv");
        var label = CommonOptions.Label();
        var reference = new Option<string?>("--reference") { Description = "The float ONNX model, to compare with.", HelpName = "MODEL.onnx" };
        var falsePositiveRate = CommonOptions.Number("--fpr",
            "An anomaly model's false-positive rate to choose a threshold for: the share of normal rows that may score at or above it (0 to 1).", 0.05, "RATE");
        var json = CommonOptions.Json("the results");
        var command = new Command("eval",
            "Evaluate the int8 model with the device runtime itself, row by row as a device would (raw feature values, " +
            "integer quantization on the device), by what the blob says its outputs mean:\n" +
            "  classification: accuracy; with --reference also the float model's, their agreement and the float-vs-int8 confusion matrix;\n" +
            "  regression: per output, mean absolute error, RMSE, max error and R² in the output's units; with --reference also the " +
            "float model's and int8 against float;\n" +
            "  anomaly: ROC AUC and the threshold that flags at most --fpr of the normal rows; with --reference also the float model's " +
            "and the share of row pairs both order the same way.\n" +
            "Also blob size, arena RAM and MACs.\n\n" +
            "JSON fields: task, samples, blob_bytes, arena_bytes, weights_bytes, macs and:\n" +
            "  classification: int8_accuracy; with --reference float_accuracy, agreement, confusion (rows: float class, columns: int8 class);\n" +
            "  regression: output_step, outputs [{name, int8: {mae, rmse, max_error, r2}, float, int8_vs_float}];\n" +
            "  anomaly: output_step, target_fpr, int8: {auc, threshold, threshold_code, fpr, tpr}, float, rank_agreement.\n\n" +
            "Example:\n  quantedge eval model.qem --data data/segment_test.csv --reference model.onnx --json\n" +
            "  quantedge eval petal-width.qem --data data/iris_petal_test.csv --reference data/models/petal-width-mlp.onnx\n" +
            "  quantedge eval radar.qem --data data/ionosphere_anomaly_test.csv --fpr 0.1")
        {
            model, data, label, reference, falsePositiveRate, json,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            string path = parse.GetValue(model)!;
            (byte[] blob, Model device) = InputFiles.LoadBlob(path);
            double fpr = parse.GetValue(falsePositiveRate);
            if (fpr is < 0 or > 1)
            {
                throw new CliException($"--fpr {fpr.ToString(CultureInfo.InvariantCulture)}: a rate from 0 to 1");
            }

            Dataset rows = InputFiles.LoadFor(device, path, parse.GetValue(data)!, parse.GetValue(label)!, CommonOptions.Given(parse, label), required: true);
            string? referencePath = parse.GetValue(reference);
            ModelGraph? graph = referencePath is null ? null : LoadReference(referencePath, rows, device, path);
            var evaluation = new Evaluation(context, device, blob, path, rows, referencePath, parse.GetValue(json));
            switch (device.Task)
            {
                case ModelTask.Regression:
                    evaluation.Write(ProgressDisplay.Run(context, "evaluating", p => ValueEvaluator.EvaluateRegression(blob, rows, graph, p)));
                    break;
                case ModelTask.Anomaly:
                    evaluation.Write(ProgressDisplay.Run(context, "evaluating", p => ValueEvaluator.EvaluateAnomaly(blob, rows, graph, fpr, p)));
                    break;
                default:
                    evaluation.Write(ProgressDisplay.Run(context, "evaluating", p => Evaluator.Evaluate(blob, rows, graph, p)));
                    break;
            }
        }));
        return command;
    }

    private static ModelGraph LoadReference(string referencePath, Dataset rows, Model device, string path)
    {
        ModelGraph graph = InputFiles.LoadOnnx(referencePath);
        rows.RequireFeatureCount(graph.Inputs.Sum(i => FloatTensor.ElementCount(i.Shape)), referencePath);
        int referenceOutputs = graph.Outputs.Sum(o => FloatTensor.ElementCount(o.Shape));
        if (referenceOutputs != device.OutputLength)
        {
            throw new CliException($"{referencePath}: {referenceOutputs} outputs, but {path} has {device.OutputLength}: not the model it was quantized from");
        }

        return graph;
    }

    /// <summary>Writes one evaluation as text or JSON, with what every task reports: the rows and the model's costs.</summary>
    private sealed class Evaluation(CliContext context, Model device, byte[] blob, string path, Dataset rows, string? referencePath, bool json)
    {
        private TextWriter Out => context.Out;

        public void Write(EvaluationResult r)
        {
            if (json)
            {
                WriteJson(ToJson(r));
                return;
            }

            Heading("classification");
            var table = new TextTable("", "int8 (QuantEdge)", "float (ONNX)");
            table.Add("accuracy", CommonOptions.Percent(r.Int8Accuracy), r.FloatAccuracy is double f ? CommonOptions.Percent(f) : "");
            if (r.Agreement is double agreement)
            {
                table.Add("agreement", CommonOptions.Percent(agreement), "");
            }

            WriteWithCosts(table);
            if (r.Confusion is { } confusion)
            {
                Out.WriteLine();
                Out.WriteLine("confusion (rows: the float model's class, columns: the int8 model's class):");
                ConfusionTable(device, confusion).Write(Out);
            }
        }

        public void Write(RegressionEvaluation r)
        {
            if (json)
            {
                WriteJson(new JsonObject
                {
                    ["output_step"] = r.OutputStep,
                    ["outputs"] = new JsonArray(r.OutputNames.Select((name, o) => (JsonNode)new JsonObject
                    {
                        ["name"] = name,
                        ["int8"] = ToJson(r.Int8[o]),
                        ["float"] = r.Float is { } f ? ToJson(f[o]) : null,
                        ["int8_vs_float"] = r.Int8VsFloat is { } d ? ToJson(d[o]) : null,
                    }).ToArray()),
                });
                return;
            }

            Heading("regression");
            Out.WriteLine($"errors in the output's units; one int8 step of the output is {Number(r.OutputStep)}");
            for (int o = 0; o < r.OutputNames.Length; o++)
            {
                Out.WriteLine();
                Out.WriteLine($"output {o} {r.OutputNames[o]}:");
                var table = new TextTable("", "int8 (QuantEdge)", "float (ONNX)", "int8 vs float");
                var int8 = r.Int8[o].Named();
                for (int m = 0; m < int8.Length; m++)
                {
                    // R² of int8 against float would measure the float model's spread, not the int8 error.
                    table.Add(int8[m].Name, Number(int8[m].Value), r.Float is { } f ? Number(f[o].Named()[m].Value) : "",
                        r.Int8VsFloat is { } d && int8[m].Name != "R²" ? Number(d[o].Named()[m].Value) : "");
                }

                table.Write(Out);
            }

            Out.WriteLine();
            WriteWithCosts(new TextTable("", "int8 (QuantEdge)", "float (ONNX)"));
        }

        public void Write(AnomalyEvaluation r)
        {
            if (json)
            {
                WriteJson(new JsonObject
                {
                    ["output_step"] = r.OutputStep,
                    ["target_fpr"] = r.TargetFalsePositiveRate,
                    ["int8"] = ToJson(r.Int8, ThresholdCode(r.Int8.Threshold)),
                    ["float"] = r.Float is { } f ? ToJson(f, null) : null,
                    ["rank_agreement"] = r.RankAgreement,
                });
                return;
            }

            Heading("anomaly score");
            Out.WriteLine($"higher = more unusual; a row is flagged when its score is at least the threshold; one int8 step of the score is {Number(r.OutputStep)}");
            string Float(Func<AnomalyMetrics, string> cell) => r.Float is { } f ? cell(f) : "";
            string code = ThresholdCode(r.Int8.Threshold) is int c ? $" (code {c})" : "";
            var table = new TextTable("", "int8 (QuantEdge)", "float (ONNX)")
                .Add("ROC AUC", Number(r.Int8.Auc), Float(f => Number(f.Auc)))
                .Add($"threshold (at most {CommonOptions.Percent(r.TargetFalsePositiveRate)} of normal rows flagged)", Number(r.Int8.Threshold) + code, Float(f => Number(f.Threshold)))
                .Add("normal rows flagged", CommonOptions.Percent(r.Int8.FalsePositiveRate), Float(f => CommonOptions.Percent(f.FalsePositiveRate)))
                .Add("anomalies flagged", CommonOptions.Percent(r.Int8.TruePositiveRate), Float(f => CommonOptions.Percent(f.TruePositiveRate)));
            if (r.RankAgreement is double agreement)
            {
                table.Add("row pairs in the same order", CommonOptions.Percent(agreement), "");
            }

            WriteWithCosts(table);
        }

        private void Heading(string task) =>
            Out.WriteLine($"{path} ({task}) on {rows.Source} ({rows.Count} rows)");

        /// <summary>The table with the rows every task shares: what the model costs on the device (and the float file's size).</summary>
        private void WriteWithCosts(TextTable table)
        {
            table.Add("model bytes", CommonOptions.Bytes(blob.Length), referencePath != null ? CommonOptions.Bytes(new FileInfo(referencePath).Length) : "")
                .Add("weights in RAM", CommonOptions.Bytes(device.WeightBytes), "")
                .Add("arena (activations)", CommonOptions.Bytes(device.ArenaBytes), "")
                .Add("MACs per inference", CommonOptions.Bytes(device.Macs), "")
                .Write(Out);
        }

        private void WriteJson(JsonObject results)
        {
            var json = new JsonObject
            {
                ["task"] = Compiler.Quantization.ModelTasks.Name(device.Task),
                ["samples"] = rows.Count,
                ["blob_bytes"] = blob.Length,
                ["arena_bytes"] = device.ArenaBytes,
                ["weights_bytes"] = device.WeightBytes,
                ["macs"] = device.Macs,
            };
            foreach ((string key, JsonNode? value) in results.ToList())
            {
                results.Remove(key);
                json[key] = value;
            }

            Out.WriteLine(json.ToJsonString(JsonOutput.Options));
        }

        /// <summary>The int8 code of an int8 score (a node's thresholds compare the output's code).</summary>
        private int? ThresholdCode(double threshold)
        {
            var output = device.OutputTensor;
            return double.IsFinite(threshold) ? (int)Math.Round(threshold / BitConverter.Int32BitsToSingle(output.ScaleBits)) + output.ZeroPoint : null;
        }
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

    /// <summary>A classifier's results as JSON (without the fields every task shares).</summary>
    private static JsonObject ToJson(EvaluationResult r)
    {
        var json = new JsonObject { ["int8_accuracy"] = r.Int8Accuracy };
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

    private static JsonObject ToJson(RegressionMetrics m) => new()
    {
        ["mae"] = m.MeanAbsoluteError,
        ["rmse"] = m.RootMeanSquareError,
        ["max_error"] = m.MaxError,
        ["r2"] = double.IsNaN(m.RSquared) ? null : m.RSquared,
    };

    private static JsonObject ToJson(AnomalyMetrics m, int? code) => new()
    {
        ["auc"] = m.Auc,
        ["threshold"] = double.IsFinite(m.Threshold) ? m.Threshold : null,
        ["threshold_code"] = code,
        ["fpr"] = m.FalsePositiveRate,
        ["tpr"] = m.TruePositiveRate,
    };

    /// <summary>A metric in the output's units: four significant digits; "n/a" for R² of a target that does not vary.</summary>
    private static string Number(double value) => double.IsNaN(value) ? "n/a" : value.ToString("G4", CultureInfo.InvariantCulture);
}
