using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using QuantEdge.Compiler.Blob;
using QuantEdge.Runtime;

namespace QuantEdge.Compiler.Deployment;

/// <summary>A starter node.json and, line by line, what it chose and what the user should change.</summary>
public sealed record StarterNode(string Json, IReadOnlyList<string> Choices);

/// <summary>
/// Writes a starter node.json for a model on a board (<c>quantedge node init</c>), one that
/// <c>node pack</c> accepts as it is:
/// <list type="bullet">
/// <item>inputs, in the model's order: one ADC input per feature on the board's free ADC1 channels
/// (ascending; not ADC2, whose channels stop working with Wi-Fi, not on a strapping pin, the LED, a
/// button, the I2C bus or the battery sense), 16 samples 1 ms apart averaged, scaled so that the ADC's
/// 0..4095 spans the feature's calibrated range (the int8 codes −128..127) until the user enters the
/// sensor's own calibration; once those channels run out, constants at the middle of the feature's
/// calibrated range, a neutral value to replace with a sensor;</item>
/// <item>outputs, on the board's free output-capable, non-strapping pins (ascending), when there are enough
/// for every class or output, else none: a classifier's one on/off output per class; a regression's PWM duty
/// per output over the output's whole int8 range; an anomaly score's on/off output with placeholder
/// thresholds;</item>
/// <item>the board's LED as status LED (none when it has no plain GPIO LED), heartbeat on, a prediction
/// every second, hysteresis 3, no Wi-Fi, no deep sleep.</item>
/// </list>
/// </summary>
public static class NodeStarter
{
    public const int SamplePeriodMs = 1000, Hysteresis = 3, AdcSamples = 16, AdcIntervalMs = 1, PwmFrequencyHz = 5000;

    public static StarterNode Create(Board board, ModelDescription model)
    {
        var choices = new List<string>();
        var reserved = new HashSet<int>(board.StrappingGpios);
        if (board.Led is BoardLed led)
        {
            reserved.Add(led.Gpio);
        }

        reserved.UnionWith(board.Buttons.Select(b => b.Gpio));
        if (board.I2c is BoardI2c i2c)
        {
            reserved.Add(i2c.Sda);
            reserved.Add(i2c.Scl);
        }

        if (board.Battery?.AdcChannel is int batteryChannel)
        {
            reserved.Add(board.Adc[batteryChannel]);
        }

        var freeAdc = new Queue<int>(board.Adc.Keys.Order().Where(c => !board.Adc2Channels.Contains(c) && !reserved.Contains(board.Adc[c])));
        var inputs = new JsonArray();
        int constants = 0;
        foreach (FeatureDescription feature in model.Inputs)
        {
            var input = new JsonObject();
            string name = string.IsNullOrEmpty(feature.Name) ? $"input {feature.Index}" : $"'{feature.Name}'";
            if (!string.IsNullOrEmpty(feature.Name))
            {
                input["feature"] = feature.Name;
            }

            // The feature's calibrated range in real units: the reals of int8 codes −128 and 127.
            double centre = feature.RawOffset * Math.Pow(10, feature.UnitExponent);
            double low = (-128 - feature.ZeroPoint) * feature.Scale + centre, high = (127 - feature.ZeroPoint) * feature.Scale + centre;
            double scale = Round(Math.Max(high - low, double.Epsilon) / AdcSource.MaxReading), offset = Round(low);
            bool adcFits = InputScaling.For(scale, offset, feature.UnitExponent, 0, AdcSource.MaxReading, out _) is not null;
            if (freeAdc.Count > 0 && adcFits)
            {
                int channel = freeAdc.Dequeue();
                reserved.Add(board.Adc[channel]);
                input["adc"] = new JsonObject { ["channel"] = channel, ["samples"] = AdcSamples, ["intervalMs"] = AdcIntervalMs, ["statistic"] = "mean" };
                input["scale"] = scale;
                input["offset"] = offset;
                choices.Add($"{name}: ADC channel {channel} (GPIO{board.Adc[channel]}), 0..4095 mapped onto the calibrated range {Text(low)}..{Text(high)}: set scale and offset to your sensor's calibration");
            }
            else
            {
                double middle = Round((low + high) / 2);
                input["constant"] = middle;
                constants++;
                choices.Add($"{name}: constant {Text(middle)} (the middle of its calibrated range): no free ADC1 channel left; wire a sensor and replace it");
            }

            inputs.Add(input);
        }

        string[] labels = model.OutputNames.Select(l => l ?? "").ToArray();
        int[] freePins = board.Gpios.Where(g => board.CanOutput(g) && !reserved.Contains(g)).ToArray();
        JsonArray outputs = model.Task == ModelTask.Classification
            ? ClassOutputs(board, labels, freePins, choices)
            : ValueOutputs(board, model, labels, freePins, choices);

        var node = new JsonObject
        {
            ["samplePeriodMs"] = SamplePeriodMs,
            ["hysteresis"] = Hysteresis,
            ["wifi"] = false,
            ["inputs"] = inputs,
            ["outputs"] = outputs,
            ["statusLed"] = board.Led is null ? null : NodeSpecReader.BoardLed,
            ["heartbeat"] = true,
            ["deepSleep"] = false,
        };
        choices.Add(board.Led is BoardLed boardLed ? $"status LED: the board's LED on GPIO{boardLed.Gpio}" : $"no status LED: {board.Id} has no plain GPIO LED");
        if (constants > 0)
        {
            choices.Add($"{constants} of {model.Inputs.Count} inputs are constants");
        }

        return new StarterNode(Format(node), choices);
    }

    /// <summary>One on/off output per class, when the board has a free pin for each.</summary>
    private static JsonArray ClassOutputs(Board board, string[] labels, int[] freePins, List<string> choices)
    {
        var outputs = new JsonArray();
        if (freePins.Length < labels.Length)
        {
            choices.Add($"no outputs: {board.Id} has {freePins.Length} free output pins for {labels.Length} classes; add the ones you need");
            return outputs;
        }

        for (int c = 0; c < labels.Length; c++)
        {
            JsonNode classNode = labels.All(l => l.Length > 0) && labels.Distinct().Count() == labels.Length ? labels[c] : c;
            outputs.Add(new JsonObject { ["class"] = classNode, ["gpio"] = freePins[c] });
            choices.Add($"class {classNode.ToJsonString()}: on/off output on GPIO{freePins[c]}");
        }

        return outputs;
    }

    /// <summary>
    /// Per output of a regression, a PWM duty over the whole range its int8 codes span; of an anomaly score, a pin
    /// that turns on at the score of code 64 and off at code 0 (placeholders: the user sets the thresholds, e.g.
    /// from <c>quantedge eval --fpr</c>). Only when the board has a free pin (that can do PWM) for each output.
    /// </summary>
    private static JsonArray ValueOutputs(Board board, ModelDescription model, string[] names, int[] freePins, List<string> choices)
    {
        bool pwm = model.Task == ModelTask.Regression;
        int[] pins = pwm ? freePins.Where(board.PwmGpios.Contains).ToArray() : freePins;
        var outputs = new JsonArray();
        if (pins.Length < names.Length)
        {
            choices.Add($"no outputs: {board.Id} has {pins.Length} free {(pwm ? "PWM " : "")}output pins for {names.Length} outputs; add the ones you need");
            return outputs;
        }

        double Real(int code) => Math.Round((code - model.OutputZeroPoint) * (double)model.OutputScale, 4);
        for (int o = 0; o < names.Length; o++)
        {
            JsonNode output = names.All(n => n.Length > 0) && names.Distinct().Count() == names.Length ? names[o] : o;
            if (pwm)
            {
                outputs.Add(new JsonObject
                {
                    ["output"] = output,
                    ["pwm"] = new JsonObject { ["gpio"] = pins[o], ["frequencyHz"] = PwmFrequencyHz, ["from"] = Real(-128), ["to"] = Real(127) },
                });
                choices.Add($"output {output.ToJsonString()}: PWM on GPIO{pins[o]}, duty 0% at {Real(-128)} to 100% at {Real(127)} (its whole int8 range; set your own)");
            }
            else
            {
                outputs.Add(new JsonObject { ["output"] = output, ["gpio"] = pins[o], ["on"] = Real(64), ["off"] = Real(0) });
                choices.Add($"output {output.ToJsonString()}: on/off output on GPIO{pins[o]}, on at {Real(64)}, off at {Real(0)} (placeholders: " +
                    "choose the threshold with 'quantedge eval --fpr')");
            }
        }

        return outputs;
    }

    /// <summary>
    /// JSON laid out as docs/node-format.md shows it: the top level one field per line, each input and
    /// output on one line.
    /// </summary>
    public static string Format(JsonObject node)
    {
        var text = new StringBuilder("{\n");
        int i = 0;
        foreach ((string name, JsonNode? value) in node)
        {
            text.Append("  ").Append(JsonSerializer.Serialize(name)).Append(": ");
            if (value is JsonArray array && array.Count > 0)
            {
                text.Append("[\n");
                for (int j = 0; j < array.Count; j++)
                {
                    text.Append("    ").Append(Inline(array[j])).Append(j < array.Count - 1 ? ",\n" : "\n");
                }

                text.Append("  ]");
            }
            else
            {
                text.Append(Inline(value));
            }

            text.Append(++i < node.Count ? ",\n" : "\n");
        }

        return text.Append("}\n").ToString();
    }

    private static string Inline(JsonNode? value) => value switch
    {
        JsonObject o => o.Count == 0 ? "{}" : "{ " + string.Join(", ", o.Select(p => JsonSerializer.Serialize(p.Key) + ": " + Inline(p.Value))) + " }",
        JsonArray a => "[" + string.Join(", ", a.Select(Inline)) + "]",
        null => "null",
        _ => value.ToJsonString(),
    };

    /// <summary>Six significant digits: enough for a starting point, short enough to read.</summary>
    private static double Round(double value) => double.Parse(value.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string Text(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
