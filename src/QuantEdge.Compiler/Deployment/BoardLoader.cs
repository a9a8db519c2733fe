using System.Text.Json;

namespace QuantEdge.Compiler.Deployment;

/// <summary>
/// Reads a board definition (<c>boards/*.json</c>) and checks it: the structure that
/// <c>boards/board.schema.json</c> describes (fields, types, ranges), then what a schema cannot say
/// (every pin list within <c>gpio.usable</c>, ADC, LED and I2C pins usable, <c>adc2</c> within
/// <c>adc</c>, the chip's PWM channel count). A bad file is a <see cref="DeploymentFileException"/>
/// naming the file and the field.
/// </summary>
public static class BoardLoader
{
    /// <summary>The file name extension of board files, and of nothing else in the boards folder but the schema.</summary>
    public const string Extension = ".json";

    public const string SchemaFile = "board.schema.json";

    internal static readonly string[] RootFields =
    [
        "$schema", "name", "chip", "firmware", "heapBytes", "heapEstimated", "gpio", "pwm", "led", "buttons", "adc", "adc2", "i2c", "battery",
        "firmwareNote", "heapNote", "gpioNote", "pwmNote", "ledNote", "buttonsNote", "adcNote", "i2cNote", "batteryNote",
    ];

    private static readonly string[] ChipNames = ["esp32", "esp32-s3", "esp32-c3"];

    /// <summary>
    /// The board a user named: a path to a board file, or the name of a file in <paramref name="bundledFolder"/>
    /// (<c>lolin-d32</c>). A board that is neither is a <see cref="DeploymentFileException"/> listing the bundled names.
    /// </summary>
    public static Board Resolve(string board, string bundledFolder)
    {
        if (File.Exists(board))
        {
            return Load(board);
        }

        bool looksLikeName = board.Length > 0 && board.IndexOfAny(['/', '\\']) < 0 && !board.EndsWith(Extension, StringComparison.OrdinalIgnoreCase);
        string bundled = Path.Combine(bundledFolder, board + Extension);
        if (looksLikeName && File.Exists(bundled))
        {
            return Load(bundled);
        }

        string names = string.Join(", ", BundledNames(bundledFolder));
        throw new DeploymentFileException(board, "", looksLikeName
            ? $"no such board: not a file, and not a bundled board ({(names.Length > 0 ? names : "none found")})"
            : "file not found");
    }

    /// <summary>The names of the board files in a folder, sorted.</summary>
    public static IReadOnlyList<string> BundledNames(string folder) => Directory.Exists(folder)
        ? Directory.GetFiles(folder, "*" + Extension)
            .Where(f => !Path.GetFileName(f).Equals(SchemaFile, StringComparison.OrdinalIgnoreCase))
            .Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToList()
        : [];

    public static Board Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeploymentFileException(path, "", e is FileNotFoundException ? "file not found" : e.Message);
        }

        return Parse(path, text);
    }

    /// <summary>Reads a board from its JSON text; <paramref name="file"/> names it in errors and gives its <see cref="Board.Id"/>.</summary>
    public static Board Parse(string file, string text)
    {
        using JsonDocument document = JsonFields.ParseDocument(file, text);
        JsonFields root = JsonFields.Of(file, "", document.RootElement, RootFields);

        string name = NonEmpty(root, "name");
        var chip = (Chip)root.Choice("chip", ChipNames);
        JsonFields firmware = root.Object("firmware", "target", "withPsram", "octalPsram");
        string target = NonEmpty(firmware, "target");
        foreach (string optional in new[] { "withPsram", "octalPsram" }.Where(firmware.Has))
        {
            NonEmpty(firmware, optional);
        }

        int heapBytes = root.Int("heapBytes", 1024, 64 << 20);
        bool heapEstimated = root.Bool("heapEstimated", false);
        ReadNotes(root);

        JsonFields gpio = root.Object("gpio", "usable", "inputOnly", "noPull", "strapping", "deepSleepWake", "verified");
        int[] usable = gpio.IntSet("usable", 0, 63);
        if (usable.Length == 0)
        {
            throw gpio.Error("usable", "lists no GPIO");
        }

        var usableSet = usable.ToHashSet();
        HashSet<int> UsableSubset(JsonFields fields, string field)
        {
            int[] values = fields.IntSet(field, 0, 63);
            for (int i = 0; i < values.Length; i++)
            {
                if (!usableSet.Contains(values[i]))
                {
                    throw new DeploymentFileException(file, JsonFields.Index(fields.FieldPath(field), i), $"GPIO{values[i]} is not in gpio.usable");
                }
            }

            return values.ToHashSet();
        }

        HashSet<int> inputOnly = UsableSubset(gpio, "inputOnly");
        HashSet<int> noPull = UsableSubset(gpio, "noPull");
        HashSet<int> strapping = UsableSubset(gpio, "strapping");
        HashSet<int> wake = UsableSubset(gpio, "deepSleepWake");
        gpio.Bool("verified", true);

        JsonFields pwm = root.Object("pwm", "channels", "gpios", "verified");
        int pwmChannels = pwm.Int("channels", 1, 16);
        if (pwmChannels > Board.PwmChannelsOf(chip))
        {
            throw pwm.Error("channels", $"{pwmChannels} is more than the {ChipNames[(int)chip]}'s {Board.PwmChannelsOf(chip)} LEDC channels");
        }

        HashSet<int> pwmGpios = UsableSubset(pwm, "gpios");
        int[] pwmList = pwm.IntSet("gpios", 0, 63);
        for (int i = 0; i < pwmList.Length; i++)
        {
            if (inputOnly.Contains(pwmList[i]))
            {
                throw new DeploymentFileException(file, JsonFields.Index(pwm.FieldPath("gpios"), i), $"GPIO{pwmList[i]} is input-only (gpio.inputOnly): it cannot be a PWM output");
            }
        }

        pwm.Bool("verified", true);

        var adc = ReadAdc(root, usableSet);
        int[] adc2 = root.IntSet("adc2", 0, 19);
        for (int i = 0; i < adc2.Length; i++)
        {
            if (!adc.ContainsKey(adc2[i]))
            {
                throw new DeploymentFileException(file, JsonFields.Index("adc2", i), $"channel {adc2[i]} is not in adc");
            }
        }

        BoardLed? led = null;
        if (!root.IsNull("led"))
        {
            JsonFields fields = root.Object("led", "gpio", "activeLow", "verified");
            int ledGpio = OutputGpio(fields, "gpio", usableSet, inputOnly);
            bool? activeLow = fields.IsNull("activeLow") ? null : fields.Bool("activeLow");
            led = new BoardLed(ledGpio, activeLow, fields.Bool("verified", true));
        }

        var buttons = new List<BoardButton>();
        JsonElement[] buttonItems = root.Array("buttons");
        for (int i = 0; i < buttonItems.Length; i++)
        {
            JsonFields fields = JsonFields.Of(file, JsonFields.Index("buttons", i), buttonItems[i], "name", "gpio");
            buttons.Add(new BoardButton(NonEmpty(fields, "name"), UsableGpio(fields, "gpio", usableSet)));
        }

        BoardI2c? i2c = null;
        if (!root.IsNull("i2c"))
        {
            JsonFields fields = root.Object("i2c", "bus", "sda", "scl", "remap", "verified");
            int bus = fields.Int("bus", 1, 2);
            int sda = OutputGpio(fields, "sda", usableSet, inputOnly);
            int scl = OutputGpio(fields, "scl", usableSet, inputOnly);
            if (sda == scl)
            {
                throw fields.Error("scl", $"GPIO{scl} is also sda");
            }

            string[] remap = fields.Has("remap") ? fields.Array("remap").Select((e, i) => fields.ToString(e, JsonFields.Index(fields.FieldPath("remap"), i))).ToArray() : [];
            fields.Bool("verified", true);
            i2c = new BoardI2c(bus, sda, scl, remap);
        }

        BoardBattery? battery = null;
        if (!root.IsNull("battery"))
        {
            JsonFields fields = root.Object("battery", "adcChannel", "gpio", "dividerRatio", "via", "verified");
            int? channel = fields.Has("adcChannel") ? fields.Int("adcChannel", 0, 19) : null;
            int? batteryGpio = fields.Has("gpio") ? UsableGpio(fields, "gpio", usableSet) : null;
            if (channel is int c && !adc.ContainsKey(c))
            {
                throw fields.Error("adcChannel", $"channel {c} is not in adc");
            }

            if (channel is int ch && batteryGpio is int g && adc[ch] != g)
            {
                throw fields.Error("gpio", $"GPIO{g} is not ADC channel {ch}'s GPIO (adc maps it to GPIO{adc[ch]})");
            }

            double? ratio = fields.Has("dividerRatio") ? fields.Number("dividerRatio") : null;
            if (ratio <= 0)
            {
                throw fields.Error("dividerRatio", "must be above 0");
            }

            string? via = fields.Has("via") ? NonEmpty(fields, "via") : null;
            if (channel is null && via is null)
            {
                throw new DeploymentFileException(file, "battery", "needs adcChannel or via (or battery: null)");
            }

            fields.Bool("verified", true);
            battery = new BoardBattery(channel, batteryGpio, ratio, via);
        }

        if (root.Has("$schema"))
        {
            root.String("$schema");
        }

        return new Board
        {
            Id = Path.GetFileNameWithoutExtension(file),
            File = file,
            Name = name,
            Chip = chip,
            FirmwareTarget = target,
            HeapBytes = heapBytes,
            HeapEstimated = heapEstimated,
            Gpios = usable.Order().ToList(),
            InputOnlyGpios = inputOnly,
            NoPullGpios = noPull,
            StrappingGpios = strapping,
            DeepSleepWakeGpios = wake,
            PwmChannels = pwmChannels,
            PwmGpios = pwmGpios,
            Adc = adc,
            Adc2Channels = adc2.ToHashSet(),
            Led = led,
            Buttons = buttons,
            I2c = i2c,
            Battery = battery,
        };
    }

    private static SortedDictionary<int, int> ReadAdc(JsonFields root, HashSet<int> usable)
    {
        JsonElement element = root.Required("adc");
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw root.Error("adc", $"must be an object (ADC channel -> GPIO), not {JsonFields.Describe(element)}");
        }

        var adc = new SortedDictionary<int, int>();
        var gpios = new Dictionary<int, int>();
        foreach (JsonProperty property in element.EnumerateObject())
        {
            string path = JsonFields.Join("adc", property.Name);
            if (!int.TryParse(property.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int channel)
                || channel > 19 || property.Name != channel.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw new DeploymentFileException(root.File, path, "an ADC channel number must be 0..19, written without leading zeros");
            }

            int gpio = root.ToInt(property.Value, path, 0, 63);
            if (!usable.Contains(gpio))
            {
                throw new DeploymentFileException(root.File, path, $"GPIO{gpio} is not in gpio.usable");
            }

            if (!adc.TryAdd(channel, gpio))
            {
                throw new DeploymentFileException(root.File, path, "given twice");
            }

            if (gpios.TryGetValue(gpio, out int other))
            {
                throw new DeploymentFileException(root.File, path, $"GPIO{gpio} is already channel {other}");
            }

            gpios[gpio] = channel;
        }

        return adc;
    }

    private static void ReadNotes(JsonFields root)
    {
        foreach (string note in RootFields.Where(f => f.EndsWith("Note", StringComparison.Ordinal) && root.Has(f)))
        {
            root.String(note);
        }
    }

    private static string NonEmpty(JsonFields fields, string name)
    {
        string value = fields.String(name);
        return value.Trim().Length > 0 ? value : throw fields.Error(name, "must not be empty");
    }

    private static int UsableGpio(JsonFields fields, string name, HashSet<int> usable)
    {
        int gpio = fields.Int(name, 0, 63);
        return usable.Contains(gpio) ? gpio : throw fields.Error(name, $"GPIO{gpio} is not in gpio.usable");
    }

    private static int OutputGpio(JsonFields fields, string name, HashSet<int> usable, HashSet<int> inputOnly)
    {
        int gpio = UsableGpio(fields, name, usable);
        return !inputOnly.Contains(gpio) ? gpio : throw fields.Error(name, $"GPIO{gpio} is input-only (gpio.inputOnly)");
    }
}
