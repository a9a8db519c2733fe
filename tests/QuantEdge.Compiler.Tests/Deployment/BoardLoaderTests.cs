using System.Text.Json;
using Json.Schema;
using QuantEdge.Compiler.Deployment;

namespace QuantEdge.Compiler.Tests.Deployment;

public sealed class BoardLoaderTests
{
    public static string BoardsFolder => Path.Combine(AppContext.BaseDirectory, "boards");

    public static TheoryData<string> BoardNames() => new(BoardLoader.BundledNames(BoardsFolder));

    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(BoardsFolder, BoardLoader.SchemaFile)));

    [Fact]
    public void TheFiveBoardsAreBundled() =>
        Assert.Equal(["esp32-c3-devkitm-1", "esp32-devkitc-v4", "esp32-s3-devkitc-1", "lolin-d32", "m5stickc-plus"], BoardLoader.BundledNames(BoardsFolder));

    [Theory]
    [MemberData(nameof(BoardNames))]
    public void EveryBoardLoadsAndMeetsTheSchema(string name)
    {
        string path = Path.Combine(BoardsFolder, name + ".json");
        Board board = BoardLoader.Load(path);
        Assert.Equal(name, board.Id);
        Assert.True(board.HeapBytes > 0);
        Assert.NotEmpty(board.Gpios);
        Assert.All(board.Adc.Values, gpio => Assert.Contains(gpio, board.Gpios));
        Assert.Subset(board.Adc.Keys.ToHashSet(), board.Adc2Channels.ToHashSet());
        Assert.Equal(Board.PwmChannelsOf(board.Chip), board.PwmChannels);

        // Every output-capable GPIO can be a LEDC PWM output on the ESP32 family.
        Assert.Equal(board.Gpios.Where(board.CanOutput).ToHashSet(), board.PwmGpios.ToHashSet());

        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal("./" + BoardLoader.SchemaFile, document.RootElement.GetProperty("$schema").GetString());
        EvaluationResults result = Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Fact]
    public void ClassicEsp32BoardsCarryTheFactsSheetsPins()
    {
        Board d32 = BoardLoader.Resolve("lolin-d32", BoardsFolder);
        Assert.Equal(Chip.Esp32, d32.Chip);
        Assert.Equal("ESP32_REV0", d32.FirmwareTarget);
        Assert.Equal(new Dictionary<int, int> { [0] = 36, [3] = 39, [4] = 32, [5] = 33, [6] = 34, [7] = 35 }, d32.Adc);
        Assert.Equal([34, 35, 36, 39], d32.InputOnlyGpios.Order());
        Assert.Equal([0, 2, 5, 12, 15], d32.StrappingGpios.Order());
        Assert.Equal([0, 2, 4, 12, 13, 14, 15, 25, 26, 27, 32, 33, 34, 35, 36, 39], d32.DeepSleepWakeGpios.Order());
        Assert.Equal(new BoardLed(5, null, false), d32.Led);
        Assert.Equal((1, 18, 19), (d32.I2c!.Bus, d32.I2c.Sda, d32.I2c.Scl));
        Assert.Equal(16, d32.PwmChannels);
        Assert.Equal(79_000, d32.HeapBytes);

        Board devkit = BoardLoader.Resolve("esp32-devkitc-v4", BoardsFolder);
        Assert.Equal(Enumerable.Range(10, 10), devkit.Adc2Channels.Order());
        Assert.Equal([4, 0, 2, 15, 13, 12, 14, 27, 25, 26], Enumerable.Range(10, 10).Select(c => devkit.Adc[c]));

        Board c3 = BoardLoader.Resolve("esp32-c3-devkitm-1", BoardsFolder);
        Assert.Equal((54_472, false, 6), (c3.HeapBytes, c3.HeapEstimated, c3.PwmChannels));
        Assert.True(BoardLoader.Resolve("esp32-s3-devkitc-1", BoardsFolder).HeapEstimated);
        Assert.True(BoardLoader.Resolve("m5stickc-plus", BoardsFolder).HeapEstimated);
    }

    [Fact]
    public void TheSchemaAndTheLoaderKnowTheSameTopLevelFields()
    {
        using JsonDocument schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(BoardsFolder, BoardLoader.SchemaFile)));
        string[] properties = schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order().ToArray();
        Assert.Equal(BoardLoader.RootFields.Order(), properties);
    }

    [Fact]
    public void AnUnknownBoardNameListsTheBundledOnes()
    {
        var e = Assert.Throws<DeploymentFileException>(() => BoardLoader.Resolve("lolin-d33", BoardsFolder));
        Assert.Contains("lolin-d33", e.Message);
        Assert.Contains("lolin-d32", e.Message);
        Assert.Contains("not found", Assert.Throws<DeploymentFileException>(() => BoardLoader.Resolve("./missing.json", BoardsFolder)).Message);
    }

    /// <summary>A change to lolin-d32.json, the field path the loader must name, and whether the schema sees it too.</summary>
    public static TheoryData<string, string, bool> BadBoards() => new()
    {
        { "root.colour = 'red'", "colour", true },
        { "delete root.heapBytes", "heapBytes", true },
        { "root.heapBytes = '79000'", "heapBytes", true },
        { "root.heapBytes = 12.5", "heapBytes", true },
        { "root.heapBytes = 0", "heapBytes", true },
        { "root.chip = 'esp8266'", "chip", true },
        { "root.name = 7", "name", true },
        { "delete root.firmware.target", "firmware.target", true },
        { "root.firmware.flavour = 'x'", "firmware.flavour", true },
        { "root.gpio.colour = 'x'", "gpio.colour", true },
        { "root.gpio.usable[0] = 64", "gpio.usable[0]", true },
        { "root.gpio.usable[1] = 0", "gpio.usable[1]", true },
        { "root.gpio.usable = []", "gpio.usable", true },
        { "root.gpio.inputOnly[0] = 1", "gpio.inputOnly[0]", false },
        { "root.gpio.strapping[0] = 37", "gpio.strapping[0]", false },
        { "root.pwm.channels = 17", "pwm.channels", true },
        { "root.chip = 'esp32-c3'", "pwm.channels", false },
        { "root.pwm.gpios[0] = 34", "pwm.gpios[0]", false },
        { "root.adc['08'] = 36", "adc.08", true },
        { "root.adc['20'] = 36", "adc.20", true },
        { "root.adc['1'] = 37", "adc.1", false },
        { "root.adc['1'] = 36", "adc.1", false },
        { "root.adc['1'] = 'GPIO37'", "adc.1", true },
        { "root.adc2 = [9]", "adc2[0]", false },
        { "root.led.gpio = 34", "led.gpio", false },
        { "root.led.activeLow = 'no'", "led.activeLow", true },
        { "delete root.led.activeLow", "led.activeLow", true },
        { "root.i2c.scl = 18", "i2c.scl", false },
        { "root.i2c.bus = 0", "i2c.bus", true },
        { "root.buttons = [{ name: 'A', gpio: 6 }]", "buttons[0].gpio", false },
        { "root.buttons = [{ name: 'A' }]", "buttons[0].gpio", true },
        { "root.battery.adcChannel = 1", "battery.adcChannel", false },
        { "root.battery.gpio = 34", "battery.gpio", false },
        { "root.battery = {}", "battery", false },
        { "root.ledNote = false", "ledNote", true },
    };

    [Theory]
    [MemberData(nameof(BadBoards))]
    public void ABadBoardIsRefusedNamingTheFileAndTheField(string change, string field, bool schemaRefusesItToo)
    {
        string text = JsonEdits.Apply(File.ReadAllText(Path.Combine(BoardsFolder, "lolin-d32.json")), change);

        var e = Assert.Throws<DeploymentFileException>(() => BoardLoader.Parse("bad-board.json", text));
        Assert.StartsWith($"bad-board.json: {field}: ", e.Message);
        Assert.Equal(field, e.Field);
        Assert.DoesNotContain('\n', e.Message);

        using JsonDocument document = JsonDocument.Parse(text);
        Assert.Equal(!schemaRefusesItToo, Schema.Evaluate(document.RootElement).IsValid);
    }

    [Fact]
    public void InvalidJsonAndDuplicateFieldsAreRefused()
    {
        Assert.Contains("bad.json: not valid JSON: line 1", Assert.Throws<DeploymentFileException>(() => BoardLoader.Parse("bad.json", "{ \"name\": ")).Message);
        string lolin = File.ReadAllText(Path.Combine(BoardsFolder, "lolin-d32.json"));
        string twice = lolin.Replace("\"heapBytes\": 79000,", "\"heapBytes\": 79000, \"heapBytes\": 1,", StringComparison.Ordinal);
        Assert.Equal("twice.json: heapBytes: given twice", Assert.Throws<DeploymentFileException>(() => BoardLoader.Parse("twice.json", twice)).Message);
    }
}
