namespace QuantEdge.Cli.Tests;

public class TrainCommandTests
{
    [Fact]
    public void TrainsWritesOnnxAndReportsFloatAccuracy_SameCommandSameBytes()
    {
        using var folder = new TempFolder();
        string[] args = ["train", "--data", Cli.Data("iris_train.csv"), "--hidden", "8,4", "--epochs", "60", "--seed", "3", "--test", Cli.Data("iris_test.csv")];
        CliResult first = Cli.Ok([.. args, "--out", folder.File("a.onnx")]);
        Cli.Ok([.. args, "--out", folder.File("b.onnx")]);

        Assert.Equal(File.ReadAllBytes(folder.File("a.onnx")), File.ReadAllBytes(folder.File("b.onnx")));
        Assert.Contains("trained MLP 4 -> 8 -> 4 -> 3", first.Out);
        Assert.Contains("float accuracy:", first.Out);
        Assert.Contains("iris_test.csv (45 rows)", first.Out);
        var graph = Compiler.Onnx.OnnxImporter.Load(folder.File("a.onnx"));
        Assert.Equal(["Dense", "Relu", "Dense", "Relu", "Dense"], graph.Nodes.Select(n => n.OpName));
    }

    [Fact]
    public void HiddenDefaultsToTwoLayers()
    {
        using var folder = new TempFolder();
        CliResult result = Cli.Ok("train", "--data", Cli.Data("iris_train.csv"), "--epochs", "5", "--out", folder.File("m.onnx"));
        Assert.Contains("trained MLP 4 -> 32 -> 16 -> 3 (hidden 32,16", result.Out);
    }

    [Theory]
    [InlineData(new string[0], "(hidden 8, 40 epochs, seed 1)")]
    [InlineData(new[] { "--qat" }, "(hidden 8, 40 epochs, the last 10 quantization-aware, seed 1)")]
    [InlineData(new[] { "--qat", "25" }, "(hidden 8, 40 epochs, the last 25 quantization-aware, seed 1)")]
    public void QatTrainsTheLastEpochsQuantizationAware_AQuarterWithoutANumber(string[] qat, string summary)
    {
        using var folder = new TempFolder();
        CliResult result = Cli.Ok(["train", "--data", Cli.Data("iris_train.csv"), "--hidden", "8", "--epochs", "40", .. qat, "--out", folder.File("m.onnx")]);
        Assert.Contains(summary, result.Out);
    }

    [Theory]
    [InlineData("none", new[] { "Dense" })]
    [InlineData("5", new[] { "Dense", "Relu", "Dense" })]
    public void HiddenTakesOneLayerOrNone(string hidden, string[] ops)
    {
        using var folder = new TempFolder();
        Cli.Ok("train", "--data", Cli.Data("iris_train.csv"), "--hidden", hidden, "--epochs", "5", "--out", folder.File("m.onnx"));
        Assert.Equal(ops, Compiler.Onnx.OnnxImporter.Load(folder.File("m.onnx")).Nodes.Select(n => n.OpName));
    }
}
