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

    [Fact]
    public void EndsWithTheSimulatedSensorNode()
    {
        using var folder = new TempFolder();
        string output = folder.File("demo");
        CliResult result = Cli.Ok("demo", "--out", output);

        // The trace holds each flower for 3 s and the node needs 2 wins in a row: at each window's end the LEDs must show
        // exactly what the int8 model says about that flower, for all 45.
        Assert.Matches(@"45 held-out flowers as a sensor trace, 3 s each: at the end of each, the node's LEDs showed the int8 model's class for 45 and the true class for (\d+) \(the int8 model on the same readings: \1\)", result.Out);
        Assert.Contains("simulated 135.000 s: 135 predictions", result.Out);
        QuantEdge.Node.Config.NodeConfig config = QuantEdge.Node.Config.NodeConfig.Parse(File.ReadAllBytes(Path.Combine(output, "node.bin")));
        config.CheckModel(Model.Load(File.ReadAllBytes(Path.Combine(output, "iris-mlp.qem"))));
        Assert.Equal(46, File.ReadAllLines(Path.Combine(output, "iris-sensors.csv")).Length - 1);
        string report = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("<h2>Sensor node (simulated)</h2>", report);
        Assert.Contains("alt=\"class LEDs over time\"", report);

        // The replay command it prints works as printed.
        string replay = result.Out.Split('\n').Single(l => l.Contains("replay it: ", StringComparison.Ordinal)).Split("replay it: quantedge ")[1].Trim();
        Assert.Contains("135 predictions", Cli.Ok(replay.Split(' ')).Out);
    }
}
