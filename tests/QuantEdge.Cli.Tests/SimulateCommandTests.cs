using System.Text.Json.Nodes;

namespace QuantEdge.Cli.Tests;

/// <summary><c>quantedge simulate</c> on the repository's sample nodes (the firmware's and samples/battery-node) and on bad input.</summary>
public sealed class SimulateCommandTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static string Repo(params string[] parts) => Path.Combine([Repository.Root, .. parts]);

    private static readonly string Model = Repo("src", "QuantEdge.Firmware", "Resources", "model.qem");

    private static string[] Battery(params string[] more) =>
        ["simulate", "--board", "lolin-d32", "--model", Model, "--node", Repo("samples", "battery-node", "node.json"),
            "--trace", Repo("samples", "battery-node", "trace.csv"), .. more];

    [Fact]
    public void TheBatteryNodeSleepsRestartsAndKeepsItsHysteresis()
    {
        CliResult result = Cli.Run(Battery("--json"));
        Assert.Equal(0, result.Exit);
        JsonNode json = JsonNode.Parse(result.Out)!;

        Assert.True(json["booted"]!.GetValue<bool>());
        Assert.Equal(10, json["boots"]!.GetValue<int>());
        int[] predicted = json["predictions"]!.AsArray().Select(p => p!["class"]!.GetValue<int>()).ToArray();
        int[] stable = json["predictions"]!.AsArray().Select(p => p!["stable_class"]!.GetValue<int>()).ToArray();
        // setosa ×3 → stable; a one-off virginica at 30 s is ignored; virginica from 50 s wins at the third (70 s).
        Assert.Equal([0, 0, 0, 2, 0, 2, 2, 2, 2, 2], predicted);
        Assert.Equal([-1, -1, 0, 0, 0, 0, 0, 2, 2, 2], stable);
        // Written only when the hysteresis changes: not at 80 s and 90 s, when nothing did.
        Assert.Equal(8, json["state_writes"]!.GetValue<int>());
        JsonNode[] events = json["events"]!.AsArray().Select(e => e!).ToArray();
        Assert.Equal(9, events.Count(e => e["kind"]!.GetValue<string>() == "wake"));
        Assert.Contains(events, e => e["kind"]!.GetValue<string>() == "pin" && e["pin"]!.GetValue<int>() == 26 && e["value"]!.GetValue<int>() == 1
            && e["t_ms"]!.GetValue<long>() == 70_028);
        // The lolin-d32 LED's polarity is unknown: a warning, not an error.
        Assert.StartsWith("warning: ", result.Err);
    }

    [Fact]
    public void TheTextTimelineIsTheConsolePinsAndSleep()
    {
        CliResult result = Cli.Run(Battery());
        Assert.Equal(0, result.Exit);
        string[] lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Matches(@"^\s+0\.000 s  console  QuantEdge node: model 'iris-mlp' from I:\\model\.qem, 4 inputs, 3 classes \(setosa, versicolor, virginica\), model RAM \d+ B, free heap \d+ B, self-test passed", lines.First(l => l.Contains("console", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.EndsWith("power    wake (timer): the application restarts from Main", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("console  inputs 6300 28000 5000 19000 -> virginica", StringComparison.Ordinal) && l.EndsWith("outputs now virginica", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("pin      GPIO26 released (deep sleep)", StringComparison.Ordinal));
        Assert.StartsWith("simulated 100.000 s: 10 predictions, the outputs changed 2 times; 10 boots", lines[^1]);
    }

    [Fact]
    public void TheFirmwaresSampleNodeRunsFromItsPackedNodeBin()
    {
        string trace = folder.Write("t.csv", "time_ms,adc0,adc3,adc4,adc5\n0,2550,1750,700,100\n3000,3150,1400,2500,950\n6000,3150,1400,2500,950\n");
        CliResult result = Cli.Ok("simulate", "--board", "esp32-devkitc-v4", "--model", Model, "--node", Repo("src", "QuantEdge.Firmware", "Resources", "node.bin"),
            "--trace", trace, "--json");
        JsonNode json = JsonNode.Parse(result.Out)!;

        Assert.Equal(1, json["boots"]!.GetValue<int>());
        int[] stable = json["predictions"]!.AsArray().Select(p => p!["stable_class"]!.GetValue<int>()).ToArray();
        Assert.Equal([-1, 0, 0, 0, 2, 2, 2], stable); // hysteresis 2, a prediction every second
        Assert.Equal(7000, json["awake_ms"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("time_ms,adc0,adc3,adc4\n0,1,2,3\n", "t.csv: no column adc5: the node reads it")]
    [InlineData("time_ms,adc0,adc3,adc4,adc5\n0,1,2,3,x\n", "t.csv: row 2, column 5 'adc5': 'x' is not a 32-bit integer")]
    [InlineData("adc0,time_ms\n0,1\n", "t.csv: row 1: the first column must be 'time_ms'")]
    public void ABadTraceIsOneLineAndExitTwo(string text, string message)
    {
        string trace = folder.Write("t.csv", text);
        CliResult result = Cli.Run("simulate", "--board", "esp32-devkitc-v4", "--model", Model, "--node", Repo("src", "QuantEdge.Firmware", "node.json"), "--trace", trace);

        Assert.Equal(2, result.Exit);
        Assert.Equal("", result.Out);
        Assert.Equal("error: " + trace[..^"t.csv".Length] + message, Assert.Single(result.ErrLines));
    }

    [Fact]
    public void ABadNodeFileIsOneLineAndExitTwo()
    {
        string trace = folder.Write("t.csv", "time_ms,adc0,adc3,adc4,adc5\n0,1,2,3,4\n");
        string json = folder.Write("node.json", File.ReadAllText(Repo("src", "QuantEdge.Firmware", "node.json")).Replace("\"channel\": 5", "\"channel\": 9"));
        byte[] bin = File.ReadAllBytes(Repo("src", "QuantEdge.Firmware", "Resources", "node.bin"));
        bin[^1] ^= 1;
        string corrupt = folder.Write("node.bin", bin);

        CliResult badJson = Cli.Run("simulate", "--board", "esp32-devkitc-v4", "--model", Model, "--node", json, "--trace", trace);
        Assert.Equal(2, badJson.Exit);
        Assert.Contains("inputs[3].adc.channel", Assert.Single(badJson.ErrLines));

        CliResult badBin = Cli.Run("simulate", "--board", "esp32-devkitc-v4", "--model", Model, "--node", corrupt, "--trace", trace);
        Assert.Equal(2, badBin.Exit);
        Assert.Equal($"error: {corrupt}: node configuration rejected: the file is corrupted (CRC mismatch)", Assert.Single(badBin.ErrLines));
    }

    [Fact]
    public void ANegativeSpeedIsRefused()
    {
        CliResult result = Cli.Run(Battery("--speed", "-1"));
        Assert.Equal(2, result.Exit);
        Assert.Contains("--speed", Assert.Single(result.ErrLines));
    }
}
