using QuantEdge.Runtime;

namespace QuantEdge.Cli.Tests;

[Collection(IrisCollection.Name)]
public class QuantizeCommandTests(IrisArtifacts iris)
{
    [Fact]
    public void WritesAValidBlobAndASelfContainedReport()
    {
        using var folder = new TempFolder();
        string blob = folder.File("m.qem"), report = folder.File("report.html");
        CliResult result = Cli.Ok("quantize", iris.Onnx, "--calibration", Cli.Data("iris_train.csv"), "--out", blob,
            "--method", "minmax", "--per-tensor", "--samples", "50", "--report", report);

        Model model = Model.Load(File.ReadAllBytes(blob));
        Assert.True(model.SelfTest());
        Assert.Equal("iris", model.Name);
        Assert.Contains("50 rows, method minmax", result.Out);
        Assert.Contains($"wrote {report}", result.Out);
        string html = File.ReadAllText(report);
        Assert.Equal(2, html.Split("src=\"data:image/png;base64,").Length - 1);
        Assert.Contains("Per-layer error", html);
        Assert.Contains("Calibration ranges", html);
        Assert.Contains("one scale per tensor", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("http", html);
        Assert.Equal(["m.qem", "report.html"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order());
    }

    /// <summary>--rounding output-aware names the fully connected layers it rounded, in the output and the report; nearest names none.</summary>
    [Fact]
    public void TheOutputAwareRoundingNamesItsLayers()
    {
        using var folder = new TempFolder();
        string blob = folder.File("m.qem"), report = folder.File("r.html");
        CliResult outputAware = Cli.Ok("quantize", iris.Onnx, "--calibration", Cli.Data("iris_train.csv"), "--out", blob,
            "--rounding", "output-aware", "--report", report);
        CliResult nearest = Cli.Ok("quantize", iris.Onnx, "--calibration", Cli.Data("iris_train.csv"), "--out", folder.File("n.qem"), "--rounding", "nearest");

        Assert.True(Model.Load(File.ReadAllBytes(blob)).SelfTest());
        string line = Assert.Single(outputAware.Out.Split('\n'), l => l.StartsWith("weights rounded output-aware in ", StringComparison.Ordinal));
        Assert.Equal(2, line.Split(';')[0].Split(", ").Length); // the iris model's two dense layers (--hidden 8)
        Assert.Contains("output-aware in ", File.ReadAllText(report));
        Assert.DoesNotContain("output-aware", nearest.Out);
    }

    [Fact]
    public void ClassNamesAreStoredInTheBlob()
    {
        Model model = Model.Load(File.ReadAllBytes(iris.Blob));
        Assert.Equal(IrisArtifacts.Classes, Enumerable.Range(0, 3).Select(model.GetClassLabel));
    }

    [Fact]
    public void FeatureNamesComeFromTheModelOrWithFeatureNamesFromTheCalibrationFile()
    {
        // A model without stated names (a one-layer graph, no metadata) gets none unless --feature-names asks for the
        // calibration file's column names; the blob is then larger by their strings.
        using var folder = new TempFolder();
        string onnx = folder.Write("relu.onnx", new Compiler.Onnx.OnnxModelBuilder(13).Input("x", "N", 4)
            .Node("Relu", ["x"], ["y"]).Output("y", "N", 4).ToBytes());
        string plain = folder.File("plain.qem"), named = folder.File("named.qem");
        Cli.Ok("quantize", onnx, "--calibration", Cli.Data("iris_train.csv"), "--out", plain);
        Cli.Ok("quantize", onnx, "--calibration", Cli.Data("iris_train.csv"), "--out", named, "--feature-names");

        Assert.Null(Model.Load(File.ReadAllBytes(plain)).GetFeatureName(0));
        Assert.Equal(["f0", "f1", "f2", "f3"], Enumerable.Range(0, 4).Select(Model.Load(File.ReadAllBytes(named)).GetFeatureName));
        Assert.Equal(4 * (4 + 4), new FileInfo(named).Length - new FileInfo(plain).Length);
    }

    [Fact]
    public void TheAutoMethodOnAGraphTooLongToSearchUsesMseAndSaysSo()
    {
        using var folder = new TempFolder();
        var builder = new Compiler.Onnx.OnnxModelBuilder(13).Input("x", "N", 4);
        for (int i = 0; i < 600; i++)
        {
            builder.Node("Relu", [i == 0 ? "x" : $"v{i - 1}"], [$"v{i}"]);
        }

        string model = folder.Write("long.onnx", builder.Output("v599", "N", 4).ToBytes());
        CliResult result = Cli.Ok("quantize", model, "--calibration", Cli.Data("iris_train.csv"), "--out", folder.File("m.qem"), "--report", folder.File("r.html"));

        Assert.Contains("method mse)", result.Out);
        Assert.Contains("note: method auto: 601 tensors over 600 device ops are too many to search one by one", result.Out);
        Assert.Contains("mse (method auto: 601 tensors", File.ReadAllText(folder.File("r.html")));
        Assert.Contains("method auto)", Cli.Ok("quantize", iris.Onnx, "--calibration", Cli.Data("iris_train.csv"), "--out", folder.File("i.qem")).Out);
    }
}
