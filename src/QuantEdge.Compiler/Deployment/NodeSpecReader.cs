using System.Text.Json;

namespace QuantEdge.Compiler.Deployment;

/// <summary>
/// Reads a node.json (docs/node-format.md) into a <see cref="NodeSpec"/>: unknown fields, fields given
/// twice, missing or wrongly typed fields and values out of the spec's ranges are refused with the
/// field's path (<c>node.json: inputs[2].adc.samples: 0 is out of range 1..1,024</c>). Whether the
/// pins exist on the board and the inputs fit the model is <see cref="NodePacker"/>'s business.
/// </summary>
public static class NodeSpecReader
{
    public const int MinSamplePeriodMs = 100, MaxSamplePeriodMs = 86_400_000;
    public const int MaxHysteresis = 255;
    public const int MaxInputs = 256, MaxOutputs = 32;
    public const int MaxSamples = 1024, MaxIntervalMs = 1000;
    public const int MaxGpio = 63, MaxAdcChannel = 19;
    public const int MaxPwmFrequencyHz = 40_000_000;

    /// <summary>What <c>statusLed</c> says to use the board's LED.</summary>
    public const string BoardLed = "board";

    public static readonly string[] SourceKinds = ["adc", "digital", "i2c", "constant"];

    private static readonly string[] Statistics = ["mean", "min", "max", "range"];

    private static readonly string[] Pulls = ["none", "up", "down"];

    public static NodeSpec Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeploymentFileException(path, "", e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message);
        }

        return Parse(path, text);
    }

    public static NodeSpec Parse(string file, string text)
    {
        using JsonDocument document = JsonFields.ParseDocument(file, text);
        JsonFields root = JsonFields.Of(file, "", document.RootElement,
            "samplePeriodMs", "hysteresis", "wifi", "inputs", "outputs", "statusLed", "heartbeat", "deepSleep");

        int period = root.Int("samplePeriodMs", MinSamplePeriodMs, MaxSamplePeriodMs);
        int hysteresis = root.Int("hysteresis", 1, MaxHysteresis, 1);
        bool wifi = root.Bool("wifi", false);

        JsonElement[] inputItems = root.Array("inputs");
        if (inputItems.Length is 0 or > MaxInputs)
        {
            throw root.Error("inputs", $"{inputItems.Length} inputs: a node has 1..{MaxInputs}, one per model input");
        }

        var inputs = inputItems.Select((item, i) => ReadInput(JsonFields.Of(file, JsonFields.Index("inputs", i), item,
            "feature", "adc", "digital", "i2c", "constant", "scale", "offset"))).ToList();

        var outputs = new List<NodeOutput>();
        if (root.Has("outputs"))
        {
            JsonElement[] outputItems = root.Array("outputs");
            if (outputItems.Length > MaxOutputs)
            {
                throw root.Error("outputs", $"{outputItems.Length} outputs: a node has at most {MaxOutputs}");
            }

            outputs.AddRange(outputItems.Select((item, i) => ReadOutput(JsonFields.Of(file, JsonFields.Index("outputs", i), item,
                "class", "output", "gpio", "activeLow", "pwm", "on", "off"))));
        }

        StatusLedSpec statusLed = ReadStatusLed(root);
        bool heartbeat = root.Bool("heartbeat", true);
        bool deepSleep = root.Bool("deepSleep", false);
        return new NodeSpec(file, period, hysteresis, wifi, inputs, outputs, statusLed, heartbeat, deepSleep);
    }

    private static NodeInput ReadInput(JsonFields input)
    {
        string[] given = SourceKinds.Where(input.Has).ToArray();
        if (given.Length == 0)
        {
            throw new DeploymentFileException(input.File, input.Path, $"needs one of {string.Join(", ", SourceKinds)}");
        }

        if (given.Length > 1)
        {
            throw input.Error(given[1], $"an input has exactly one of {string.Join(", ", SourceKinds)}; this one also has {given[0]}");
        }

        string? feature = input.String("feature", null);
        InputSource source = given[0] switch
        {
            "adc" => ReadAdc(input.Object("adc", "channel", "samples", "intervalMs", "statistic")),
            "digital" => ReadDigital(input.Object("digital", "gpio", "pull", "samples", "intervalMs", "statistic")),
            "i2c" => ReadI2c(input.Object("i2c", "bus", "address", "register", "bytes", "bigEndian", "signed", "sda", "scl", "samples", "intervalMs", "statistic")),
            _ => new ConstantSource(input.Number("constant")),
        };

        if (source is ConstantSource)
        {
            foreach (string field in new[] { "scale", "offset" }.Where(input.Has))
            {
                throw input.Error(field, "a constant is given in the feature's real units: it takes no scale or offset");
            }
        }

        double scale = input.Number("scale", 1);
        if (scale == 0)
        {
            throw input.Error("scale", "must not be 0 (every reading would give the same value)");
        }

        return new NodeInput(feature, source, scale, input.Number("offset", 0));
    }

    private static AdcSource ReadAdc(JsonFields adc) => new(adc.Int("channel", 0, MaxAdcChannel), ReadSampling(adc));

    private static DigitalSource ReadDigital(JsonFields digital) =>
        new(digital.Int("gpio", 0, MaxGpio), (PinPull)digital.Choice("pull", Pulls, 0), ReadSampling(digital));

    private static I2cSource ReadI2c(JsonFields i2c)
    {
        int bus = i2c.Int("bus", 1, 2);
        int address = i2c.Int("address", 0, 127);
        int register = i2c.Int("register", 0, 255);
        int bytes = i2c.Int("bytes", 1, 4);
        if (bytes == 3)
        {
            throw i2c.Error("bytes", "must be 1, 2 or 4");
        }

        if (i2c.Has("sda") != i2c.Has("scl"))
        {
            throw i2c.Error(i2c.Has("sda") ? "scl" : "sda", "give both sda and scl, or neither (the board's I2C pins)");
        }

        int? sda = i2c.Has("sda") ? i2c.Int("sda", 0, MaxGpio) : null;
        int? scl = i2c.Has("scl") ? i2c.Int("scl", 0, MaxGpio) : null;
        return new I2cSource(bus, address, register, bytes, i2c.Bool("bigEndian", true), i2c.Bool("signed", false), ReadSampling(i2c), sda, scl);
    }

    private static Sampling ReadSampling(JsonFields source) => new(
        source.Int("samples", 1, MaxSamples, 1),
        source.Int("intervalMs", 0, MaxIntervalMs, 0),
        (ReadingStatistic)source.Choice("statistic", Statistics, 0));

    private static NodeOutput ReadOutput(JsonFields output)
    {
        if (output.Has("class") == output.Has("output"))
        {
            throw output.Has("class")
                ? output.Error("output", "an output follows a class or an output's value, not both")
                : new DeploymentFileException(output.File, output.Path, "needs class (a class decision) or output (a value)");
        }

        bool ofValue = output.Has("output");
        string sourceField = ofValue ? "output" : "class";
        JsonElement sourceValue = output.Required(sourceField);
        ClassReference reference = sourceValue.ValueKind switch
        {
            JsonValueKind.String => new ClassReference(sourceValue.GetString(), null),
            JsonValueKind.Number => new ClassReference(null, output.ToInt(sourceValue, output.FieldPath(sourceField), 0, int.MaxValue)),
            _ => throw output.Error(sourceField, $"must be {(ofValue ? "an output name" : "a class label")} (string) or index (integer), not {JsonFields.Describe(sourceValue)}"),
        };

        bool hasGpio = output.Has("gpio"), hasPwm = output.Has("pwm");
        if (hasGpio == hasPwm)
        {
            throw hasGpio
                ? output.Error("pwm", "an output has either gpio (on/off) or pwm, not both")
                : new DeploymentFileException(output.File, output.Path, "needs gpio (on/off) or pwm");
        }

        foreach (string threshold in new[] { "on", "off" })
        {
            if (output.Has(threshold) && (!ofValue || hasPwm))
            {
                throw output.Error(threshold, "thresholds belong to an on/off output that follows an output's value (output and gpio)");
            }
        }

        if (hasGpio)
        {
            var pin = new NodeOutput(reference, output.Int("gpio", 0, MaxGpio), output.Bool("activeLow", false), null) { OfValue = ofValue };
            if (!ofValue)
            {
                return pin;
            }

            double on = output.Number("on"), off = output.Number("off");
            if (off >= on)
            {
                throw output.Error("off", $"{Format(off)} must lie below on ({Format(on)}): the pin turns on at on and off at off");
            }

            return pin with { On = on, Off = off };
        }

        if (output.Has("activeLow"))
        {
            throw output.Error("activeLow", "applies to on/off (gpio) outputs only; a PWM output's duty is the class score or the value");
        }

        JsonFields pwm = ofValue ? output.Object("pwm", "gpio", "frequencyHz", "from", "to") : output.Object("pwm", "gpio", "frequencyHz");
        var channel = new NodeOutput(reference, pwm.Int("gpio", 0, MaxGpio), false, pwm.Int("frequencyHz", 1, MaxPwmFrequencyHz)) { OfValue = ofValue };
        if (!ofValue)
        {
            return channel;
        }

        double from = pwm.Number("from"), to = pwm.Number("to");
        if (from == to)
        {
            throw pwm.Error("to", "equals from: the duty needs a range of values to map onto 0..100%");
        }

        return channel with { From = from, To = to };
    }

    private static string Format(double value) => value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);

    private static StatusLedSpec ReadStatusLed(JsonFields root)
    {
        if (!root.Has("statusLed"))
        {
            return StatusLedSpec.Board;
        }

        JsonElement value = root.Required("statusLed");
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return StatusLedSpec.None;
            case JsonValueKind.String when value.GetString() == BoardLed:
                return StatusLedSpec.Board;
            case JsonValueKind.Object:
                JsonFields led = root.Object("statusLed", "gpio", "activeLow");
                return new StatusLedSpec(StatusLedChoice.Gpio, led.Int("gpio", 0, MaxGpio), led.Bool("activeLow", false));
            default:
                throw root.Error("statusLed", $"must be \"{BoardLed}\", null or {{ \"gpio\": N, \"activeLow\": true|false }}, not {JsonFields.Describe(value)}");
        }
    }
}
