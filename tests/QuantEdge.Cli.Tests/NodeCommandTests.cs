using System.Text.Json;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Deployment;
using QuantEdge.Compiler.Tests.Deployment;

namespace QuantEdge.Cli.Tests;

/// <summary>
/// <c>quantedge node pack</c> and <c>node init</c> in-process, on the iris model (features f0..f3 in units of
/// 10^−3 and 10^−4, classes setosa, versicolor, virginica) and the bundled boards.
/// </summary>
[Collection(IrisCollection.Name)]
public sealed class NodeCommandTests(IrisArtifacts iris) : IDisposable
{
    /// <summary>A node for iris on lolin-d32 with every kind of input and output, no strapping pins.</summary>
    public const string ValidNode = """
        {
          "samplePeriodMs": 2000,
          "hysteresis": 3,
          "inputs": [
            { "feature": "f0", "adc": { "channel": 6, "samples": 16, "intervalMs": 2 }, "scale": 0.806 },
            { "feature": "f1", "adc": { "channel": 7 } },
            { "feature": "f2", "digital": { "gpio": 4, "pull": "up" } },
            { "feature": "f3", "i2c": { "bus": 1, "address": 68, "register": 0, "bytes": 2, "signed": true }, "scale": 0.0078125 }
          ],
          "outputs": [
            { "class": "setosa", "gpio": 25 },
            { "class": 1, "gpio": 26, "activeLow": true },
            { "class": "virginica", "pwm": { "gpio": 27, "frequencyHz": 1000 } }
          ],
          "statusLed": { "gpio": 23, "activeLow": true },
          "deepSleep": true
        }
        """;

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private string NodeBin => folder.File("node.bin");

    private static string Lolin => Path.Combine(AppContext.BaseDirectory, "boards", "lolin-d32.json");

    private CliResult Pack(string nodeJson, string board = "lolin-d32", params string[] extra) =>
        Cli.Run(["node", "pack", folder.Write("node.json", nodeJson), "--board", board, "--model", iris.Blob, "--out", NodeBin, .. extra]);

    [Fact]
    public void PackWritesTheSpecsBytesAndASummary()
    {
        CliResult result = Pack(ValidNode);
        Assert.True(result.Exit == 0, result.Err);
        Assert.Equal("", result.Err);

        byte[] bin = File.ReadAllBytes(NodeBin);
        ModelDescription model = ModelDescription.Of(File.ReadAllBytes(iris.Blob));
        PackedNode expected = NodePacker.Pack(NodeSpecReader.Parse("node.json", ValidNode), BoardLoader.Load(Lolin), model, iris.Blob);
        Assert.Equal(expected.Bytes, bin);

        DecodedNode node = DecodedNode.Decode(bin);
        Assert.Equal(("QEN1", 1, 0, bin.Length), (node.Magic, node.VersionMajor, node.VersionMinor, node.Length));
        Assert.Equal(node.ComputedCrc, node.Crc);
        Assert.Equal((2000, 1 | 2, 3, 23, 1), (node.SamplePeriodMs, node.Flags, node.Hysteresis, node.StatusLedGpio, node.StatusLedActiveLow));
        Assert.Equal((4, 3, 4, 3), (node.ModelInputs, node.ModelOutputs, node.InputCount, node.OutputCount));

        // f0 is in thousandths (inspect: unit 10^-3): 0.806 per count → 806 × 2^21 >> 21; 4095 counts → 3300.570.
        Assert.Equal(-3, model.Inputs[0].UnitExponent);
        Assert.Equal([1, 6, 0, 0, 0, 16, 2, 0, 806 << 21, 21, 0, 0], node.Inputs[0]);
        Assert.Equal(3_300_570, DecodedNode.Raw(node.Inputs[0], 4095));
        Assert.Equal([3, 1, 68, 0, 2 + 256 + 512], node.Inputs[3][..5]);
        Assert.Equal([2, 2, 27, 0, 1000, 0], node.Outputs[2]);

        Assert.Contains($"wrote {NodeBin} ({bin.Length} bytes): iris.qem on lolin-d32", result.Out);
        Assert.Contains("ADC channel 6 (GPIO34), mean of 16 samples 2 ms apart", result.Out);
        Assert.Contains("2 virginica", result.Out);
        Assert.Contains("PWM 1,000 Hz", result.Out);
        Assert.Contains("status LED: GPIO23, active low", result.Out);
        Assert.Contains("every 2,000 ms, hysteresis 3, deep sleep between predictions", result.Out);
        Assert.Contains($"RAM (estimates): model {model.DeviceRamBytes:N0} B + node {NodeRamEstimate.Bytes(4, 3):N0} B", result.Out);
    }

    [Fact]
    public void PackJsonSummarizesForScripts()
    {
        CliResult result = Pack(ValidNode, "lolin-d32", "--json");
        Assert.True(result.Exit == 0, result.Err);
        using JsonDocument json = JsonDocument.Parse(result.Out);
        Assert.Equal(File.ReadAllBytes(NodeBin).Length, json.RootElement.GetProperty("bytes").GetInt32());
        Assert.Equal(806 << 21, json.RootElement.GetProperty("inputs")[0].GetProperty("multiplier").GetInt32());
        Assert.Equal(79_000, json.RootElement.GetProperty("heap_bytes").GetInt32());
    }

    [Fact]
    public void StrappingPinsAreWarningsOnStderrAndTheNodeStillPacks()
    {
        CliResult result = Pack(JsonEdits.Apply(ValidNode, "root.outputs[0].gpio = 2 ; root.statusLed = 'board'"));
        Assert.Equal(0, result.Exit);
        Assert.True(File.Exists(NodeBin));
        Assert.All(result.ErrLines, line => Assert.StartsWith("warning: ", line));
        Assert.Contains(result.ErrLines, l => l.StartsWith("warning: ") && l.Contains("node.json: outputs[0].gpio: GPIO2 is a strapping pin of lolin-d32"));
        Assert.Contains(result.ErrLines, l => l.Contains("node.json: statusLed: the polarity of lolin-d32's LED on GPIO5 is not known"));
        Assert.Equal(2, DecodedNode.Decode(File.ReadAllBytes(NodeBin)).Outputs[0][2]);
    }

    [Fact]
    public void ABoardWithoutAnLedIsAWarningNotAnError()
    {
        CliResult result = Pack(JsonEdits.Apply(ValidNode, "delete root.statusLed"), "esp32-devkitc-v4");
        Assert.Equal(0, result.Exit);
        Assert.Contains("warning: ", result.Err);
        Assert.Contains("esp32-devkitc-v4 has no plain GPIO LED", result.Err);
        Assert.Equal(-1, DecodedNode.Decode(File.ReadAllBytes(NodeBin)).StatusLedGpio);
    }

    /// <summary>
    /// node.json edits (and a board: a bundled name, or edits to lolin-d32.json written as my-board.json), the field
    /// path the one-line error names, and a part of its message.
    /// </summary>
    public static TheoryData<string, string, string, string> BadNodes() => new()
    {
        // The JSON itself.
        { "root.colour = 1", "lolin-d32", "colour", "unknown field (known: samplePeriodMs," },
        { "root.inputs[0].adc.chanel = 6", "lolin-d32", "inputs[0].adc.chanel", "unknown field (known: channel, samples, intervalMs, statistic)" },
        { "delete root.samplePeriodMs", "lolin-d32", "samplePeriodMs", "missing" },
        { "delete root.inputs[0].adc.channel", "lolin-d32", "inputs[0].adc.channel", "missing" },
        { "delete root.inputs", "lolin-d32", "inputs", "missing" },
        { "root.hysteresis = '3'", "lolin-d32", "hysteresis", "must be an integer, not the string \"3\"" },
        { "root.hysteresis = 2.5", "lolin-d32", "hysteresis", "must be an integer, not 2.5" },
        { "root.wifi = 1", "lolin-d32", "wifi", "must be true or false, not the number 1" },
        { "root.inputs = {}", "lolin-d32", "inputs", "must be an array, not an object" },
        { "root.inputs[0].scale = 'x'", "lolin-d32", "inputs[0].scale", "must be a number" },
        { "root.outputs[0].class = true", "lolin-d32", "outputs[0].class", "must be a class label (string) or index (integer)" },
        { "root.samplePeriodMs = 50", "lolin-d32", "samplePeriodMs", "50 is out of range 100..86,400,000" },
        { "root.samplePeriodMs = 86400001", "lolin-d32", "samplePeriodMs", "out of range" },
        { "root.hysteresis = 256", "lolin-d32", "hysteresis", "256 is out of range 1..255" },
        { "root.inputs[0].adc.samples = 0", "lolin-d32", "inputs[0].adc.samples", "0 is out of range 1..1,024" },
        { "root.inputs[0].adc.intervalMs = 1001", "lolin-d32", "inputs[0].adc.intervalMs", "out of range 0..1,000" },
        { "root.inputs[0].adc.statistic = 'median'", "lolin-d32", "inputs[0].adc.statistic", "'median' is not one of mean, min, max, range" },
        { "root.inputs[2].digital.pull = 'weak'", "lolin-d32", "inputs[2].digital.pull", "not one of none, up, down" },
        { "root.inputs[3].i2c.address = 128", "lolin-d32", "inputs[3].i2c.address", "128 is out of range 0..127" },
        { "root.inputs[3].i2c.register = 256", "lolin-d32", "inputs[3].i2c.register", "out of range 0..255" },
        { "root.inputs[3].i2c.bytes = 3", "lolin-d32", "inputs[3].i2c.bytes", "must be 1, 2 or 4" },
        { "root.outputs[2].pwm.frequencyHz = 0", "lolin-d32", "outputs[2].pwm.frequencyHz", "0 is out of range 1..40,000,000" },
        { "root.outputs[2].pwm.frequencyHz = 40000001", "lolin-d32", "outputs[2].pwm.frequencyHz", "out of range" },
        { "root.outputs[0].gpio = 64", "lolin-d32", "outputs[0].gpio", "64 is out of range 0..63" },
        { "root.inputs[0].scale = 0", "lolin-d32", "inputs[0].scale", "must not be 0" },
        { "root.inputs[0] = { feature: 'f0' }", "lolin-d32", "inputs[0]", "needs one of adc, digital, i2c, constant" },
        { "root.inputs[0].digital = { gpio: 13 }", "lolin-d32", "inputs[0].digital", "exactly one of adc, digital, i2c, constant; this one also has adc" },
        { "root.inputs[1] = { constant: 5, scale: 2 }", "lolin-d32", "inputs[1].scale", "takes no scale or offset" },
        { "root.outputs[0] = { class: 0 }", "lolin-d32", "outputs[0]", "needs gpio (on/off) or pwm" },
        { "root.outputs[0].pwm = { gpio: 32, frequencyHz: 5 }", "lolin-d32", "outputs[0].pwm", "either gpio (on/off) or pwm, not both" },
        { "root.outputs[2].activeLow = true", "lolin-d32", "outputs[2].activeLow", "applies to on/off (gpio) outputs only" },
        { "root.statusLed = 'on'", "lolin-d32", "statusLed", "must be \"board\", null or" },

        // The model.
        { "delete root.inputs[3]", "lolin-d32", "inputs", "3 inputs, but the model (iris.qem) has 4: f0, f1, f2, f3" },
        { "root.inputs[1].feature = 'f2'", "lolin-d32", "inputs[1].feature", "'f2' is not the model's feature 1, 'f1' ('f2' is feature 2: inputs are in the model's order)" },
        { "root.outputs[0].class = 'rose'", "lolin-d32", "outputs[0].class", "'rose' is not a class of the model (the model's classes: setosa, versicolor, virginica)" },
        { "root.outputs[1].class = 3", "lolin-d32", "outputs[1].class", "class 3 does not exist: the model has 3 classes (0..2)" },

        // The board's pins.
        { "root.inputs[0].adc.channel = 8", "lolin-d32", "inputs[0].adc.channel", "channel 8 is not an ADC channel of lolin-d32 (0, 3, 4, 5, 6, 7)" },
        { "root.wifi = true ; root.inputs[0].adc.channel = 10", "esp32-devkitc-v4", "inputs[0].adc.channel", "channel 10 (GPIO4) is on ADC2, which does not work while Wi-Fi runs (wifi is true); ADC1 channels of esp32-devkitc-v4: 0, 3, 4, 5, 6, 7" },
        { "root.inputs[2].digital.gpio = 6", "lolin-d32", "inputs[2].digital.gpio", "GPIO6 is not a usable GPIO of lolin-d32 (0, 2, 4, 5," },
        { "root.outputs[0].gpio = 20", "lolin-d32", "outputs[0].gpio", "GPIO20 is not a usable GPIO of lolin-d32" },
        { "root.statusLed.gpio = 40", "lolin-d32", "statusLed.gpio", "GPIO40 is not a usable GPIO" },
        { "root.outputs[0].gpio = 36", "lolin-d32", "outputs[0].gpio", "GPIO36 of lolin-d32 is input-only: it cannot drive an output" },
        { "root.outputs[2].pwm.gpio = 39", "lolin-d32", "outputs[2].pwm.gpio", "GPIO39 of lolin-d32 is input-only" },
        { "root.statusLed.gpio = 39", "lolin-d32", "statusLed.gpio", "GPIO39 of lolin-d32 is input-only: it cannot drive an LED" },
        { "root.inputs[2].digital.gpio = 39", "lolin-d32", "inputs[2].digital.pull", "GPIO39 of lolin-d32 has no internal pull resistor" },
        { "root.outputs[1].gpio = 25", "lolin-d32", "outputs[1].gpio", "GPIO25 is already used by outputs[0].gpio" },
        { "root.inputs[2].digital = { gpio: 34 }", "lolin-d32", "inputs[2].digital.gpio", "GPIO34 is already used by inputs[0].adc.channel" },
        { "root.outputs[0].gpio = 18", "lolin-d32", "outputs[0].gpio", "GPIO18 is already used by inputs[3].i2c.bus" },
        { "root.inputs[2].digital.gpio = 19", "lolin-d32", "inputs[3].i2c.bus", "GPIO19 (I2C bus 1 SCL) is already used by inputs[2].digital.gpio" },
        { "root.statusLed.gpio = 26", "lolin-d32", "statusLed.gpio", "GPIO26 is already used by outputs[1].gpio" },
        { "delete root.statusLed ; root.outputs[0].gpio = 5", "lolin-d32", "statusLed", "GPIO5 (the board's LED) is already used by outputs[0].gpio" },
        { "root.inputs[3].i2c.bus = 2", "lolin-d32", "inputs[3].i2c.bus", "lolin-d32 defines pins for I2C bus 1 only: give sda and scl for bus 2" },
        { "", "m5stickc-plus", "inputs[0].adc.channel", "channel 6 is not an ADC channel of m5stickc-plus (4, 5)" },
        { "|root.i2c = null", "my-board", "inputs[3].i2c.bus", "my-board has no I2C pins in its board file: give sda and scl" },
        { "root.inputs[3].i2c.sda = 21", "lolin-d32", "inputs[3].i2c.scl", "give both sda and scl, or neither (the board's I2C pins)" },
        { "root.inputs[3].i2c.sda = 36 ; root.inputs[3].i2c.scl = 22", "lolin-d32", "inputs[3].i2c.sda", "GPIO36 of lolin-d32 is input-only: an I2C line must also drive" },
        { "root.inputs[2] = { feature: 'f2', i2c: { bus: 1, address: 64, register: 1, bytes: 1, sda: 21, scl: 22 } }", "lolin-d32", "inputs[3].i2c.bus",
            "I2C bus 1 is already on GPIO21/GPIO22 (inputs[2].i2c.sda): one bus has one pair of pins" },
        { "|root.pwm.gpios = [25, 26]", "my-board", "outputs[2].pwm.gpio", "GPIO27 of my-board cannot be a PWM output" },
        { "root.outputs[0] = { class: 'setosa', pwm: { gpio: 25, frequencyHz: 500 } }|root.pwm.channels = 1", "my-board", "outputs[2].pwm", "PWM output number 2: my-board has 1 PWM channels" },

        // Scaling.
        { "root.inputs[1].scale = 1000000", "lolin-d32", "inputs[1].scale", "more than the 32-bit multiplier holds" },
        { "root.inputs[1].scale = 1000", "lolin-d32", "inputs[1].scale", "scaling overflows: a reading of 4,095 gives 40,950,000,000 in units of 10^-4, beyond int32" },
        { "root.inputs[1].offset = 1000000", "lolin-d32", "inputs[1].offset", "offset 1,000,000 is 10,000,000,000 in units of 10^-4, beyond int32" },
        { "root.inputs[1] = { feature: 'f1', constant: 1000000 }", "lolin-d32", "inputs[1].constant", "1000000 is beyond int32 in the feature's unit 10^-4" },

        // RAM.
        { "|root.heapBytes = 16000", "my-board", "", "does not fit my-board: model" },
    };

    [Theory]
    [MemberData(nameof(BadNodes))]
    public void ABadNodeIsOneLineNamingNodeJsonAndTheField(string edits, string board, string field, string problem)
    {
        // "node edits|board edits": board edits go to a copy of lolin-d32.json.
        string[] parts = edits.Split('|');
        if (parts.Length > 1)
        {
            board = folder.Write(board + ".json", JsonEdits.Apply(File.ReadAllText(Lolin), parts[1]));
        }

        CliResult result = Pack(parts[0].Length == 0 ? ValidNode : JsonEdits.Apply(ValidNode, parts[0]), board);
        Assert.True(result.Exit == 2, $"exit {result.Exit}: {result.Out} {result.Err}");
        string line = Assert.Single(result.ErrLines);
        string file = folder.File("node.json");
        Assert.StartsWith(field.Length > 0 ? $"error: {file}: {field}: " : $"error: {file}: ", line);
        Assert.Contains(problem, line);
        Assert.Equal("", result.Out);
        Assert.False(File.Exists(NodeBin));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
    }

    [Fact]
    public void TheRamRefusalGivesTheNumbers()
    {
        string board = folder.Write("small.json", JsonEdits.Apply(File.ReadAllText(Lolin), "root.heapBytes = 16000"));
        CliResult result = Pack(ValidNode, board);
        int model = ModelDescription.Of(File.ReadAllBytes(iris.Blob)).DeviceRamBytes, node = NodeRamEstimate.Bytes(4, 3);
        Assert.Contains($"model {model:N0} B + node {node:N0} B = {model + node:N0} B of device RAM (estimates), more than the 16,000 B heap less 12,288 B headroom = 3,712 B", result.Err);
    }

    [Fact]
    public void InvalidJsonAndDuplicateFieldsAreOneLine()
    {
        CliResult broken = Pack("{ \"samplePeriodMs\": 1000, ");
        Assert.Equal(2, broken.Exit);
        Assert.Contains("node.json: not valid JSON: line 1", Assert.Single(broken.ErrLines));

        CliResult twice = Pack(ValidNode.Replace("\"hysteresis\": 3,", "\"hysteresis\": 3, \"hysteresis\": 4,", StringComparison.Ordinal));
        Assert.Equal(2, twice.Exit);
        Assert.EndsWith("node.json: hysteresis: given twice", Assert.Single(twice.ErrLines));
        Assert.False(File.Exists(NodeBin));
    }

    [Fact]
    public void OutMayNotBeAnInput()
    {
        string node = folder.Write("node.json", ValidNode);
        string board = folder.Write("board.json", File.ReadAllText(Lolin));
        string model = folder.Write("model.qem", File.ReadAllBytes(iris.Blob));
        foreach (string input in new[] { node, board, model })
        {
            byte[] before = File.ReadAllBytes(input);
            CliResult result = Cli.Run("node", "pack", node, "--board", board, "--model", model, "--out", input);
            Assert.Equal(2, result.Exit);
            Assert.Contains("--out is the input file", Assert.Single(result.ErrLines));
            Assert.Equal(before, File.ReadAllBytes(input));
        }
    }

    [Fact]
    public void AnUnknownBoardListsTheBundledBoards()
    {
        CliResult result = Pack(ValidNode, "lolin-d31");
        Assert.Equal(2, result.Exit);
        Assert.Contains("lolin-d31: no such board: not a file, and not a bundled board (esp32-c3-devkitm-1, esp32-devkitc-v4, esp32-s3-devkitc-1, lolin-d32, m5stickc-plus)", Assert.Single(result.ErrLines));
        Assert.Contains("missing.json: file not found", Assert.Single(Pack(ValidNode, folder.File("missing.json")).ErrLines));
    }

    [Fact]
    public void ABadBoardFileIsNamedWithItsField()
    {
        string board = folder.Write("bad-board.json", JsonEdits.Apply(File.ReadAllText(Lolin), "root.gpio.inputOnly[0] = 1"));
        CliResult result = Pack(ValidNode, board);
        Assert.Equal(2, result.Exit);
        Assert.Equal($"error: {board}: gpio.inputOnly[0]: GPIO1 is not in gpio.usable", Assert.Single(result.ErrLines));
    }

    [Fact]
    public void ABadModelIsNamed()
    {
        string model = folder.Write("bad.qem", new byte[100]);
        CliResult result = Cli.Run("node", "pack", folder.Write("node.json", ValidNode), "--board", "lolin-d32", "--model", model, "--out", NodeBin);
        Assert.Equal(2, result.Exit);
        Assert.Contains("bad.qem", Assert.Single(result.ErrLines));
    }

    [Theory]
    [InlineData("lolin-d32", 4)]
    [InlineData("esp32-devkitc-v4", 4)]
    [InlineData("esp32-s3-devkitc-1", 4)]
    [InlineData("esp32-c3-devkitm-1", 4)]
    [InlineData("m5stickc-plus", 2)] // two ADC channels (the Grove port): f2 and f3 become constants
    public void InitWritesAStarterThatPacksAsItIs(string board, int adcInputs)
    {
        string node = folder.File("node.json");
        CliResult init = Cli.Run("node", "init", "--board", board, "--model", iris.Blob, "--out", node);
        Assert.True(init.Exit == 0, init.Err);
        Assert.Contains($"wrote {node}: a starter node for iris.qem on {board}", init.Out);
        Assert.Contains("'f0': ADC channel", init.Out);
        Assert.Contains("RAM (estimates)", init.Out);

        CliResult pack = Cli.Run("node", "pack", node, "--board", board, "--model", iris.Blob, "--out", NodeBin);
        Assert.True(pack.Exit == 0, pack.Err);
        Assert.Equal(init.Err, pack.Err); // the same warnings, if any (lolin-d32's LED polarity)
        Assert.All(pack.ErrLines, line => Assert.StartsWith("warning: ", line));
        DecodedNode decoded = DecodedNode.Decode(File.ReadAllBytes(NodeBin));
        Assert.Equal(4, decoded.InputCount);
        Assert.Equal(Enumerable.Repeat(1, adcInputs).Concat(Enumerable.Repeat(0, 4 - adcInputs)), decoded.Inputs.Select(input => input[0])); // ADC, then constants
    }

    [Fact]
    public void InitKeepsAnExistingFileUnlessForced()
    {
        string node = folder.Write("node.json", "{ \"mine\": true }");
        CliResult refused = Cli.Run("node", "init", "--board", "lolin-d32", "--model", iris.Blob, "--out", node);
        Assert.Equal(2, refused.Exit);
        Assert.Contains("exists; choose another --out or add --force", Assert.Single(refused.ErrLines));
        Assert.Equal("{ \"mine\": true }", File.ReadAllText(node));

        Assert.Equal(0, Cli.Run("node", "init", "--board", "lolin-d32", "--model", iris.Blob, "--out", node, "--force").Exit);
        Assert.Contains("\"samplePeriodMs\": 1000", File.ReadAllText(node));
    }

    [Fact]
    public void UsageErrorsNameTheSubcommand()
    {
        CliResult result = Cli.Run("node", "pack", "node.json", "--board", "lolin-d32");
        Assert.Equal(2, result.Exit);
        Assert.Contains("quantedge node pack --help", Assert.Single(result.ErrLines));
    }

    [Theory]
    [InlineData("pack")]
    [InlineData("init")]
    public void SubcommandHelpHasAnExample(string name)
    {
        CliResult help = Cli.Ok("node", name, "--help");
        Assert.Contains("Example:", help.Out);
        Assert.Contains($"quantedge node {name}", help.Out);
        Assert.Contains("--board", help.Out);
        Assert.Contains("--model", help.Out);
    }
}
