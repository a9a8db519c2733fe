using QuantEdge.Runtime;

namespace QuantEdge.Cli.Tests;

public class DemoCommandTests
{
    [Fact]
    public void QuantizesEvaluatesAndWritesBlobAndReport()
    {
        using var folder = new TempFolder();
        string output = folder.File("demo");
        CliResult result = Cli.Ok("demo", "--out", output);

        Assert.Contains("test accuracy", result.Out);
        Assert.Contains("agreement with float", result.Out);
        Assert.Contains("arena RAM", result.Out);
        Assert.Contains("MACs per inference", result.Out);
        Model model = Model.Load(File.ReadAllBytes(Path.Combine(output, "segment-mlp.qem")));
        Assert.True(model.SelfTest());
        Assert.Equal("brickface", model.GetClassLabel(0));
        Assert.Contains("Float vs int8 predictions", File.ReadAllText(Path.Combine(output, "report.html")));
    }
}
