using System.Globalization;
using System.Text.Json.Nodes;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Runtime;

namespace QuantEdge.Cli.Tests;

/// <summary>
/// The repository's regression (data/models/petal-width-mlp.onnx) and anomaly score (data/models/radar-autoencoder.onnx)
/// quantized through the CLI once, as the README does.
/// </summary>
public sealed class ValueModels : IDisposable
{
    private readonly TempFolder folder = new();

    public ValueModels()
    {
        Cli.Ok("quantize", PetalOnnx, "--calibration", Cli.Data("iris_petal_train.csv"), "--out", Petal, "--report", PetalReport);
        Cli.Ok("quantize", RadarOnnx, "--task", "anomaly", "--outputs", "score", "--calibration", Cli.Data("ionosphere_anomaly_train.csv"),
            "--feature-names", "--out", Radar, "--report", RadarReport);
    }

    public static string Repo(params string[] parts) => Path.Combine([Repository.Root, .. parts]);

    public static string PetalOnnx => Repo("data", "models", "petal-width-mlp.onnx");

    public static string RadarOnnx => Repo("data", "models", "radar-autoencoder.onnx");

    public string Petal => folder.File("petal.qem");

    public string PetalReport => folder.File("petal.html");

    public string Radar => folder.File("radar.qem");

    public string RadarReport => folder.File("radar.html");

    public void Dispose() => folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ValueModelCollection : ICollectionFixture<ValueModels>
{
    public const string Name = "value models";
}

/// <summary>Regression and anomaly models through quantize, inspect, run, eval, the report and simulate.</summary>
[Collection(ValueModelCollection.Name)]
public class ValueModelTests(ValueModels models)
{
    private static readonly string[] ClassificationWords = ["class", "accuracy", "confusion", "label", "predicted class"];

    private static void AssertNoClassificationWord(string text)
    {
        foreach (string word in ClassificationWords)
        {
            Assert.False(text.Contains(word, StringComparison.OrdinalIgnoreCase), $"'{word}' in:\n{text}");
        }
    }

    [Fact]
    public void TheRegressionGoesThroughEveryCommandWithoutAClassificationWord()
    {
        string test = Cli.Data("iris_petal_test.csv");
        CliResult inspect = Cli.Ok("inspect", models.Petal);
        CliResult run = Cli.Ok("run", models.Petal, "--data", test);
        CliResult eval = Cli.Ok("eval", models.Petal, "--data", test, "--reference", ValueModels.PetalOnnx);

        Assert.Contains("(regression)", inspect.Out);
        Assert.Contains("Task: regression; outputs: 0 petal_width", inspect.Out);
        Assert.Equal("petal_width", run.Out.Split('\n')[0]);
        Assert.Equal(46, run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        foreach (string metric in new[] { "mean absolute error", "RMSE", "max error", "R²", "int8 vs float", "one int8 step of the output is" })
        {
            Assert.Contains(metric, eval.Out);
        }

        string report = File.ReadAllText(models.PetalReport);
        Assert.Contains("<h2>Float vs int8 values</h2>", report);
        Assert.Contains("alt=\"predicted vs true petal_width\"", report);
        Assert.Contains("alt=\"error histogram of petal_width\"", report);
        foreach (string text in new[] { inspect.Out, run.Out, eval.Out, VisibleText(report) })
        {
            AssertNoClassificationWord(text);
        }
    }

    [Fact]
    public void EvalJsonIsTheMetricsOfWhatRunPrints_AndInt8StaysWithinOneOutputStepOfFloat()
    {
        string test = Cli.Data("iris_petal_test.csv");
        double[] int8 = Cli.Ok("run", models.Petal, "--data", test).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        double[] truth = File.ReadAllLines(test).Skip(1).Select(l => double.Parse(l.Split(',')[3], CultureInfo.InvariantCulture)).ToArray();
        JsonNode json = JsonNode.Parse(Cli.Ok("eval", models.Petal, "--data", test, "--reference", ValueModels.PetalOnnx, "--json").Out)!;
        JsonNode output = json["outputs"]![0]!;
        RegressionMetrics expected = RegressionMetrics.Of(int8, truth);

        Assert.Equal("regression", (string)json["task"]!);
        Assert.Equal("petal_width", (string)output["name"]!);
        // run prints float32 values: the metrics agree to float32's precision.
        Assert.Equal(expected.MeanAbsoluteError, (double)output["int8"]!["mae"]!, 5);
        Assert.Equal(expected.RootMeanSquareError, (double)output["int8"]!["rmse"]!, 5);
        Assert.Equal(expected.MaxError, (double)output["int8"]!["max_error"]!, 5);
        Assert.Equal(expected.RSquared, (double)output["int8"]!["r2"]!, 5);
        // The bar: int8 within one output quantization step of float, on average.
        double step = (double)json["output_step"]!;
        Assert.InRange((double)output["int8_vs_float"]!["mae"]!, 0, step);
        Assert.InRange((double)output["float"]!["r2"]!, 0.85, 1);
    }

    [Fact]
    public void TheAnomalyScoreGivesAucAndAThresholdForFloatAndInt8()
    {
        string test = Cli.Data("ionosphere_anomaly_test.csv");
        CliResult eval = Cli.Ok("eval", models.Radar, "--data", test, "--reference", ValueModels.RadarOnnx, "--fpr", "0.1");
        JsonNode json = JsonNode.Parse(Cli.Ok("eval", models.Radar, "--data", test, "--reference", ValueModels.RadarOnnx, "--fpr", "0.1", "--json").Out)!;
        Model model = Model.Load(File.ReadAllBytes(models.Radar));

        Assert.Equal("anomaly", (string)json["task"]!);
        Assert.Equal(0.1, (double)json["target_fpr"]!);
        double int8Auc = (double)json["int8"]!["auc"]!, floatAuc = (double)json["float"]!["auc"]!;
        Assert.InRange(floatAuc, 0.9, 1);
        Assert.InRange(int8Auc, floatAuc - 0.01, floatAuc + 0.01);
        Assert.InRange((double)json["int8"]!["fpr"]!, 0, 0.1);
        Assert.InRange((double)json["rank_agreement"]!, 0.95, 1);
        // The threshold is an int8 score: its code gives it back.
        int code = (int)json["int8"]!["threshold_code"]!;
        Assert.Equal((double)json["int8"]!["threshold"]!, DeviceRunner.Dequantize(model, code), 12);
        Assert.Contains($"(code {code})", eval.Out);
        Assert.Contains("ROC AUC", eval.Out);

        string report = File.ReadAllText(models.RadarReport);
        Assert.Contains("alt=\"ROC curves of the float and int8 scores\"", report);
        Assert.Contains("alt=\"int8 scores of normal rows and anomalies\"", report);
        AssertNoClassificationWord(Cli.Ok("inspect", models.Radar).Out);
        Assert.Contains("\"output_names\": [\n    \"score\"\n  ]", Cli.Ok("inspect", models.Radar, "--json").Out);
    }

    [Fact]
    public void RunPrintsScoresWithoutAClassColumnAndLeavesTheLabelsOut()
    {
        string[] lines = Cli.Ok("run", models.Radar, "--data", Cli.Data("ionosphere_anomaly_test.csv")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("score", lines[0]);
        Assert.Equal(107, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.True(double.Parse(l, CultureInfo.InvariantCulture) >= 0));
    }

    [Fact]
    public void TheRegressionNodeDrivesPwmFromTheValueAndAPinThroughHysteresis()
    {
        JsonNode json = Simulate(models.Petal, "petal-width-node");
        JsonNode[] predictions = json["predictions"]!.AsArray().Select(p => p!).ToArray();
        JsonNode[] events = json["events"]!.AsArray().Select(e => e!).ToArray();
        Model model = Model.Load(File.ReadAllBytes(models.Petal));
        int fromCode = (int)Math.Round(0 / Scale(model)) + model.OutputTensor.ZeroPoint, toCode = (int)Math.Round(2.5 / Scale(model)) + model.OutputTensor.ZeroPoint;

        bool on = false;
        for (int i = 0; i < predictions.Length; i++)
        {
            JsonNode p = predictions[i];
            long next = i + 1 < predictions.Length ? (long)predictions[i + 1]["t_ms"]! : long.MaxValue;
            int q = (int)p["outputs"]![0]!;
            double value = (double)p["values"]![0]!;
            // duty ‰ = (q − from) × 1000 / (to − from), truncated and clamped (docs/node-format.md), set before the next prediction.
            int duty = Math.Clamp((q - fromCode) * 1000 / (toCode - fromCode), 0, 1000);
            JsonNode pwm = events.Last(e => (string)e["kind"]! == "pwm" && (int)e["pin"]! == 25 && (long)e["t_ms"]! < next);
            Assert.Equal(duty, (int)pwm["value"]!);
            // In real units: the value's share of 0..2.5 cm, within the codes' rounding (one step, 0.4%) and the truncation (0.1%).
            Assert.InRange(duty / 1000.0 - Math.Clamp(value / 2.5, 0, 1), -0.006, 0.006);
            // GPIO26 turns on at 1.75 cm and off at 1.55 cm; between them it keeps its state.
            on = value >= 1.75 || (on && value > 1.55);
            Assert.Equal(on ? 2 : 0, (int)p["thresholds_on"]!);
        }

        Assert.Equal([0, 0, 0, 2, 2, 2, 2, 2, 0, 0, 0], predictions.Select(p => (int)p["thresholds_on"]!));
    }

    [Fact]
    public void TheAnomalyNodeRaisesItsAlarmPinWithHysteresis()
    {
        CliResult text = Cli.Ok("simulate", "--board", "esp32-devkitc-v4", "--model", models.Radar, "--node", ValueModels.Repo("samples", "radar-anomaly-node", "node.json"),
            "--trace", ValueModels.Repo("samples", "radar-anomaly-node", "trace.csv"));
        JsonNode json = Simulate(models.Radar, "radar-anomaly-node");
        JsonNode[] predictions = json["predictions"]!.AsArray().Select(p => p!).ToArray();
        double[] scores = predictions.Select(p => (double)p["values"]![0]!).ToArray();
        int[] alarm = predictions.Select(p => (int)p["thresholds_on"]!).ToArray();

        // on at 0.2, off at 0.12: the anomalies at 7 s and 8 s raise it, the one at 9 s (between) keeps it, the normal row at 10 s clears it.
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0], alarm);
        Assert.True(scores[7] >= 0.2 && scores[9] is > 0.12 and < 0.2 && scores[10] <= 0.12, string.Join(", ", scores));
        Assert.Contains(json["events"]!.AsArray(), e => (string)e!["kind"]! == "pin" && (int)e["pin"]! == 26 && (int)e["value"]! == 1 && (long)e["t_ms"]! == 7000);
        Assert.Contains("predictions in the outputs' units", text.Out);
        Assert.EndsWith("the outputs changed 2 times; awake throughout (14.000 s)", text.Out.TrimEnd());
    }

    [Fact]
    public void TrainingARegressionRecordsTheTaskTheQuantizerThenFinds()
    {
        using var folder = new TempFolder();
        string onnx = folder.File("petal.onnx"), blob = folder.File("petal.qem");
        CliResult train = Cli.Ok("train", "--task", "regression", "--data", Cli.Data("iris_petal_train.csv"), "--label", "petal_width",
            "--hidden", "8", "--epochs", "30", "--out", onnx, "--test", Cli.Data("iris_petal_test.csv"));
        Cli.Ok("quantize", onnx, "--calibration", Cli.Data("iris_petal_train.csv"), "--out", blob);

        Assert.Contains("float mean absolute error: petal_width", train.Out);
        AssertNoClassificationWord(train.Out);
        Model model = Model.Load(File.ReadAllBytes(blob));
        Assert.Equal(ModelTask.Regression, model.Task);
        Assert.Equal("petal_width", model.GetOutputName(0));
        Assert.Equal(3, model.InputLength);
    }

    [Theory]
    [InlineData("anomaly labels", "radar", "label 2 is neither 0 (normal) nor 1 (anomaly)")]
    [InlineData("missing target", "petal-renamed", "no target column 'petal_width'")]
    [InlineData("fpr", "fpr", "--fpr 2: a rate from 0 to 1")]
    public void EvalRefusesBadInputWithExitTwo(string what, string which, string message)
    {
        using var folder = new TempFolder();
        string radarData = folder.Write("radar.csv", File.ReadAllText(Cli.Data("ionosphere_anomaly_test.csv")).Replace(",0\n", ",2\n"));
        string petalData = folder.Write("petal.csv", File.ReadAllText(Cli.Data("iris_petal_test.csv")).Replace("petal_width", "width"));
        CliResult result = which switch
        {
            "radar" => Cli.Run("eval", models.Radar, "--data", radarData),
            "petal-renamed" => Cli.Run("eval", models.Petal, "--data", petalData),
            _ => Cli.Run("eval", models.Radar, "--data", Cli.Data("ionosphere_anomaly_test.csv"), "--fpr", "2"),
        };

        Assert.True(result.Exit == 2, what);
        Assert.Contains(message, result.Err);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public void QuantizeRefusesClassNamesForARegressionAndTheWrongNumberOfOutputNames()
    {
        using var folder = new TempFolder();
        string[] common = ["quantize", ValueModels.PetalOnnx, "--calibration", Cli.Data("iris_petal_train.csv"), "--out", folder.File("m.qem")];
        CliResult classes = Cli.Run([.. common, "--classes", "a"]);
        CliResult outputs = Cli.Run([.. common, "--outputs", "a,b"]);

        Assert.Equal(2, classes.Exit);
        Assert.Contains("--classes: the model is a regression model, it has no classes; name its outputs with --outputs", classes.Err);
        Assert.Equal(2, outputs.Exit);
        Assert.Contains("--outputs: 2 names, but", outputs.Err);
        Assert.False(File.Exists(folder.File("m.qem")));
    }

    [Fact]
    public void QuantizeRefusesMoreTargetColumnsThanTheRegressionHasOutputs()
    {
        using var folder = new TempFolder();
        string[] rows = File.ReadAllLines(Cli.Data("iris_petal_train.csv"));
        File.WriteAllLines(folder.File("two-targets.csv"), rows.Select((row, i) => row + (i == 0 ? ",petal_area" : ",1.0")));

        CliResult result = Cli.Run("quantize", ValueModels.PetalOnnx, "--calibration", folder.File("two-targets.csv"),
            "--label", "petal_width,petal_area", "--out", folder.File("m.qem"));

        Assert.Equal(2, result.Exit);
        Assert.Contains("--label: 2 target columns (petal_width, petal_area), but", result.Err);
        Assert.Contains("has 1 outputs", result.Err);
        Assert.False(File.Exists(folder.File("m.qem")));
    }

    /// <summary>What a browser shows of a page: no style sheet, no tags (whose class attributes say "class").</summary>
    private static string VisibleText(string html) =>
        System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Replace(html, "<style>.*?</style>", "", System.Text.RegularExpressions.RegexOptions.Singleline), "<[^>]*>", " ");

    private static double Scale(Model model) => BitConverter.Int32BitsToSingle(model.OutputTensor.ScaleBits);

    private static JsonNode Simulate(string blob, string sample) =>
        JsonNode.Parse(Cli.Ok("simulate", "--board", "esp32-devkitc-v4", "--model", blob, "--node", ValueModels.Repo("samples", sample, "node.json"),
            "--trace", ValueModels.Repo("samples", sample, "trace.csv"), "--json").Out)!;
}
