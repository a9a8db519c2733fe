using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Format;

namespace QuantEdge.Compiler.Deployment;

/// <summary>One input as packed: its source, the model feature it feeds, and its integer scaling (raw value for a constant).</summary>
public sealed record PackedInput(int Index, string? Feature, InputSource Source, int UnitExponent, InputScaling Scaling);

/// <summary>
/// One output as packed: the model output (class) it follows resolved to an index, and its record's last two
/// words (PWM frequency, value range or thresholds as int8 codes; docs/node-format.md).
/// </summary>
public sealed record PackedOutput(int ClassIndex, string? ClassLabel, NodeOutput Output, int Word4 = 0, int Word5 = 0)
{
    /// <summary>The record's kind.</summary>
    public int Kind => Output.OfValue ? (Output.IsPwm ? NodePacker.OutputKindValuePwm : NodePacker.OutputKindThreshold)
        : Output.IsPwm ? NodePacker.OutputKindPwm : NodePacker.OutputKindGpio;
}

/// <summary>The status LED as packed: <see cref="Gpio"/> −1 for none.</summary>
public sealed record PackedStatusLed(int Gpio, bool ActiveLow, bool IsBoardLed);

/// <summary>
/// A node checked against its board and model and packed as node.bin: the bytes, the warnings
/// (strapping pins and the like: reported, not refused) and what went where, for the summary.
/// </summary>
public sealed record PackedNode(
    byte[] Bytes, IReadOnlyList<string> Warnings, IReadOnlyList<PackedInput> Inputs, IReadOnlyList<PackedOutput> Outputs,
    PackedStatusLed StatusLed, int ModelRamBytes, int NodeRamBytes, int HeapBytes, int HeadroomBytes)
{
    public int TotalRamBytes => ModelRamBytes + NodeRamBytes;

    public int RamLimitBytes => HeapBytes - HeadroomBytes;
}

/// <summary>
/// Checks a <see cref="NodeSpec"/> against a <see cref="Board"/> and a model and writes node.bin, format
/// 1.0 of docs/node-format.md: every refusal is a <see cref="DeploymentFileException"/> naming node.json and
/// the field; what is only risky (strapping pins, a board without an LED) comes back as warnings.
/// </summary>
public static class NodePacker
{
    public static ReadOnlySpan<byte> Magic => "QEN1"u8;

    public const ushort VersionMajor = 1, VersionMinor = 0;

    public const int HeaderBytes = 60, InputWords = 12, OutputWords = 6;

    /// <summary>The bytes [0, CrcStart) are not covered by the CRC: magic, version, length, the CRC itself.</summary>
    public const int CrcStart = 16;

    public const int FlagDeepSleep = 1, FlagHeartbeat = 2;

    public const int KindConstant = 0, KindAdc = 1, KindDigital = 2, KindI2c = 3;

    public const int OutputKindGpio = 1, OutputKindPwm = 2, OutputKindValuePwm = 3, OutputKindThreshold = 4;

    public const int I2cBigEndianFlag = 256, I2cSignedFlag = 512;

    /// <summary>An I2C input record's last word: this flag + SDA + 256 × SCL (0: the firmware's default pins).</summary>
    public const int I2cPinsGiven = 65536;

    /// <summary>node.bin's length for a node with this many inputs and outputs.</summary>
    public static int FileBytes(int inputs, int outputs) => HeaderBytes + 4 * (inputs * InputWords + outputs * OutputWords);

    /// <summary>Checks the node and packs it; <paramref name="modelFile"/> names the model in messages.</summary>
    public static PackedNode Pack(NodeSpec spec, Board board, ModelDescription model, string modelFile)
    {
        var check = new NodeCheck(spec, board, model, modelFile);
        return check.Run();
    }

    /// <summary>The node.bin bytes of checked parts (no checks here: <see cref="Pack"/> runs them).</summary>
    public static byte[] Write(NodeSpec spec, int modelInputs, int modelOutputs, IReadOnlyList<PackedInput> inputs, IReadOnlyList<PackedOutput> outputs, PackedStatusLed statusLed)
    {
        byte[] bytes = new byte[FileBytes(inputs.Count, outputs.Count)];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), VersionMajor);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), VersionMinor);
        int offset = 8;
        void Word(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), value);
            offset += 4;
        }

        Word(bytes.Length);
        Word(0); // the CRC, filled in below
        Word(spec.SamplePeriodMs);
        Word((spec.DeepSleep ? FlagDeepSleep : 0) | (spec.Heartbeat ? FlagHeartbeat : 0));
        Word(spec.Hysteresis);
        Word(statusLed.Gpio);
        Word(statusLed.ActiveLow ? 1 : 0);
        Word(modelInputs);
        Word(modelOutputs);
        Word(inputs.Count);
        Word(InputWords);
        Word(outputs.Count);
        Word(OutputWords);
        foreach (PackedInput input in inputs)
        {
            (int kind, int a, int b, int c, int d, Sampling sampling) = input.Source switch
            {
                AdcSource adc => (KindAdc, adc.Channel, 0, 0, 0, adc.Sampling),
                DigitalSource digital => (KindDigital, digital.Gpio, (int)digital.Pull, 0, 0, digital.Sampling),
                I2cSource i2c => (KindI2c, i2c.Bus, i2c.Address, i2c.Register,
                    i2c.Bytes + (i2c.BigEndian ? I2cBigEndianFlag : 0) + (i2c.Signed ? I2cSignedFlag : 0), i2c.Sampling),
                _ => (KindConstant, 0, 0, 0, 0, Sampling.Single),
            };
            int pins = input.Source is I2cSource { Sda: int sda, Scl: int scl } ? I2cPinsGiven + sda + 256 * scl : 0;
            foreach (int word in new[] { kind, a, b, c, d, sampling.Samples, sampling.IntervalMs, (int)sampling.Statistic,
                input.Scaling.Multiplier, input.Scaling.Shift, input.Scaling.RawOffset, pins })
            {
                Word(word);
            }
        }

        foreach (PackedOutput output in outputs)
        {
            NodeOutput o = output.Output;
            foreach (int word in new[] { output.Kind, output.ClassIndex, o.Gpio, o.ActiveLow ? 1 : 0, output.Word4, output.Word5 })
            {
                Word(word);
            }
        }

        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), Crc32.Compute(bytes, CrcStart, bytes.Length - CrcStart));
        return bytes;
    }

    /// <summary>One node's checks, in the order the spec lists them, with the pins claimed so far.</summary>
    private sealed class NodeCheck(NodeSpec spec, Board board, ModelDescription model, string modelFile)
    {
        private readonly Dictionary<int, string> pinUsers = [];
        private readonly List<string> warnings = [];
        private readonly Dictionary<int, (int Sda, int Scl, string Path)> i2cBuses = [];

        public PackedNode Run()
        {
            int modelInputs = model.Inputs.Count, modelOutputs = model.OutputNames.Length;
            if (spec.Inputs.Count != modelInputs)
            {
                string names = model.Inputs.All(f => string.IsNullOrEmpty(f.Name)) ? "" : $": {string.Join(", ", model.Inputs.Select(f => f.Name))}";
                throw Error("inputs", $"{spec.Inputs.Count} inputs, but the model ({Path.GetFileName(modelFile)}) has {modelInputs}{names}");
            }

            if (modelInputs > NodeSpecReader.MaxInputs)
            {
                throw Error("inputs", $"the model ({Path.GetFileName(modelFile)}) has {modelInputs} inputs; a node takes at most {NodeSpecReader.MaxInputs}");
            }

            var inputs = spec.Inputs.Select(Input).ToList();
            int busyMs = spec.Inputs.Sum(i => Sampling(i.Source) is Sampling s ? (s.Samples - 1) * s.IntervalMs : 0);
            if (busyMs >= spec.SamplePeriodMs)
            {
                Warn("samplePeriodMs", $"the inputs' samples take {busyMs:N0} ms, not less than the sample period ({spec.SamplePeriodMs:N0} ms): predictions will come less often");
            }

            var outputs = spec.Outputs.Select((o, i) => Output(o, i, modelOutputs)).ToList();
            PackedStatusLed statusLed = StatusLed();

            int modelRam = model.DeviceRamBytes;
            int nodeRam = NodeRamEstimate.Bytes(inputs.Count, outputs.Count);
            int headroom = NodeRamEstimate.HeadroomBytes(board.HeapBytes);
            if (modelRam + nodeRam > board.HeapBytes - headroom)
            {
                throw new DeploymentFileException(spec.File, "", $"does not fit {board.Id}: model {Bytes(modelRam)} + node {Bytes(nodeRam)} = {Bytes(modelRam + nodeRam)} " +
                    $"of device RAM (estimates), more than the {Bytes(board.HeapBytes)} heap{(board.HeapEstimated ? " (estimated)" : "")} less {Bytes(headroom)} headroom = {Bytes(board.HeapBytes - headroom)}");
            }

            byte[] bytes = Write(spec, modelInputs, modelOutputs, inputs, outputs, statusLed);
            return new PackedNode(bytes, warnings, inputs, outputs, statusLed, modelRam, nodeRam, board.HeapBytes, headroom);
        }

        private PackedInput Input(NodeInput input, int index)
        {
            string path = $"inputs[{index}]";
            FeatureDescription feature = model.Inputs[index];
            if (input.Feature is string name)
            {
                if (string.IsNullOrEmpty(feature.Name))
                {
                    Warn($"{path}.feature", $"the model has no feature names: '{name}' is not checked");
                }
                else if (name != feature.Name)
                {
                    throw Error($"{path}.feature", $"'{name}' is not the model's feature {index}, '{feature.Name}'" +
                        (model.Inputs.Any(f => f.Name == name) ? $" ('{name}' is feature {model.Inputs.First(f => f.Name == name).Index}: inputs are in the model's order)" : ""));
                }
            }

            switch (input.Source)
            {
                case AdcSource adc:
                    if (!board.Adc.TryGetValue(adc.Channel, out int adcGpio))
                    {
                        throw Error($"{path}.adc.channel", $"channel {adc.Channel} is not an ADC channel of {board.Id} ({board.AdcChannelList})");
                    }

                    if (spec.Wifi && board.Adc2Channels.Contains(adc.Channel))
                    {
                        string adc1 = string.Join(", ", board.Adc.Keys.Where(c => !board.Adc2Channels.Contains(c)).Order());
                        throw Error($"{path}.adc.channel", $"channel {adc.Channel} (GPIO{adcGpio}) is on ADC2, which does not work while Wi-Fi runs (wifi is true); ADC1 channels of {board.Id}: {(adc1.Length > 0 ? adc1 : "none")}");
                    }

                    Claim(adcGpio, $"{path}.adc.channel", $"ADC channel {adc.Channel}'s GPIO{adcGpio}");
                    break;
                case DigitalSource digital:
                    RequireGpio(digital.Gpio, $"{path}.digital.gpio");
                    if (digital.Pull != PinPull.None && board.NoPullGpios.Contains(digital.Gpio))
                    {
                        throw Error($"{path}.digital.pull", $"GPIO{digital.Gpio} of {board.Id} has no internal pull resistor: use pull \"none\" and an external resistor");
                    }

                    Claim(digital.Gpio, $"{path}.digital.gpio", $"GPIO{digital.Gpio}");
                    break;
                case I2cSource i2c:
                    input = input with { Source = ClaimI2cBus(i2c, $"{path}.i2c") };
                    break;
            }

            int unit = feature.UnitExponent;
            if (input.Source is ConstantSource constant)
            {
                int raw = InputScaling.RawConstant(constant.Value, unit)
                    ?? throw Error($"{path}.constant", $"{constant.Value.ToString(CultureInfo.InvariantCulture)} is beyond int32 in the feature's unit 10^{unit}");
                return new PackedInput(index, feature.Name, input.Source, unit, new InputScaling(0, 0, raw));
            }

            (long min, long max) = input.Source.ReadingRange;
            InputScaling scaling = InputScaling.For(input.Scale, input.Offset, unit, min, max, out string problem)
                ?? throw Error($"{path}.{(problem.StartsWith(InputScaling.OffsetProblemStart, StringComparison.Ordinal) ? "offset" : "scale")}", problem);
            return new PackedInput(index, feature.Name, input.Source, unit, scaling);
        }

        private PackedOutput Output(NodeOutput output, int index, int modelOutputs)
        {
            string path = $"outputs[{index}]", sourcePath = $"{path}.{output.SourceField}";
            (string noun, string nouns) = output.OfValue ? ("output", "outputs") : ("class", "classes");
            if (!output.OfValue && model.Task != ModelTask.Classification)
            {
                throw Error($"{path}.class", $"the model is a {ModelTasks.Name(model.Task)} model, it has no classes: " +
                    "follow its value with \"output\" and on/off thresholds or a PWM range");
            }

            int outputIndex;
            if (output.Class.Label is string label)
            {
                outputIndex = Array.IndexOf(model.OutputNames, label);
                if (outputIndex < 0)
                {
                    string known = model.OutputNames.All(string.IsNullOrEmpty)
                        ? $"the model has no {noun} names: give an index 0..{modelOutputs - 1}"
                        : $"the model's {nouns}: {string.Join(", ", model.OutputNames)}";
                    throw Error(sourcePath, $"'{label}' is not {(noun == "output" ? "an" : "a")} {noun} of the model ({known})");
                }
            }
            else
            {
                outputIndex = output.Class.Index!.Value;
                if (outputIndex >= modelOutputs)
                {
                    throw Error(sourcePath, $"{noun} {outputIndex} does not exist: the model has {modelOutputs} {nouns} (0..{modelOutputs - 1})");
                }
            }

            string gpioPath = $"{path}.{output.GpioField}";
            RequireGpio(output.Gpio, gpioPath);
            if (board.InputOnlyGpios.Contains(output.Gpio))
            {
                throw Error(gpioPath, $"GPIO{output.Gpio} of {board.Id} is input-only: it cannot drive an output");
            }

            if (output.IsPwm)
            {
                if (!board.PwmGpios.Contains(output.Gpio))
                {
                    throw Error(gpioPath, $"GPIO{output.Gpio} of {board.Id} cannot be a PWM output");
                }

                int pwmCount = spec.Outputs.Take(index + 1).Count(o => o.IsPwm);
                if (pwmCount > board.PwmChannels)
                {
                    throw Error($"{path}.pwm", $"PWM output number {pwmCount}: {board.Id} has {board.PwmChannels} PWM channels");
                }
            }

            Claim(output.Gpio, gpioPath, $"GPIO{output.Gpio}");
            (int word4, int word5) = output switch
            {
                { OfValue: true, IsPwm: true } => (output.PwmFrequencyHz!.Value, ValueRange(output, path)),
                { OfValue: true } => Thresholds(output, path),
                _ => (output.PwmFrequencyHz ?? 0, 0),
            };
            return new PackedOutput(outputIndex, model.OutputNames[outputIndex], output, word4, word5);
        }

        /// <summary>
        /// The on and off thresholds as the output's int8 codes: on at the first code whose value reaches
        /// <c>on</c> (rounded up), off at the last code whose value is at most <c>off</c> (rounded down), so the
        /// pin never switches before the value the user gave. Refused when a threshold lies outside what the
        /// output can express, or both round into one step.
        /// </summary>
        private (int On, int Off) Thresholds(NodeOutput output, string path)
        {
            double on = Code(output.On!.Value), off = Code(output.Off!.Value);
            (double low, double high) = (Real(-128), Real(127));
            if (Math.Ceiling(on) > 127)
            {
                throw Error($"{path}.on", $"{G(output.On.Value)} is above what the output can express ({G(low)}..{G(high)}): the pin would never turn on");
            }

            if (Math.Floor(off) < -128)
            {
                throw Error($"{path}.off", $"{G(output.Off.Value)} is below what the output can express ({G(low)}..{G(high)}): the pin would never turn off");
            }

            int onCode = (int)Math.Max(-127, Math.Ceiling(on)), offCode = (int)Math.Min(126, Math.Floor(off));
            if (offCode >= onCode)
            {
                throw Error($"{path}.off", $"on ({G(output.On.Value)}) and off ({G(output.Off.Value)}) fall within one step of the output ({G(model.OutputScale)}): " +
                    "spread them further apart");
            }

            return (onCode, offCode);
        }

        /// <summary>The PWM range as int8 codes (rounded, clamped to the output's codes), packed as low | high &lt;&lt; 16.</summary>
        private int ValueRange(NodeOutput output, string path)
        {
            int from = (int)Math.Clamp(Math.Round(Code(output.From!.Value)), -128, 127), to = (int)Math.Clamp(Math.Round(Code(output.To!.Value)), -128, 127);
            if (from == to)
            {
                throw Error($"{path}.pwm.to", $"from ({G(output.From.Value)}) and to ({G(output.To.Value)}) are one int8 code of the output " +
                    $"(its range {G(Real(-128))}..{G(Real(127))}, steps of {G(model.OutputScale)})");
            }

            return (from & 0xFFFF) | (to << 16);
        }

        private double Code(double real) => real / model.OutputScale + model.OutputZeroPoint;

        private double Real(int code) => (code - model.OutputZeroPoint) * (double)model.OutputScale;

        private static string G(double value) => value.ToString("G5", CultureInfo.InvariantCulture);

        private PackedStatusLed StatusLed()
        {
            switch (spec.StatusLed.Choice)
            {
                case StatusLedChoice.None:
                    return new PackedStatusLed(-1, false, false);
                case StatusLedChoice.Gpio:
                    int gpio = spec.StatusLed.Gpio;
                    RequireGpio(gpio, "statusLed.gpio");
                    if (board.InputOnlyGpios.Contains(gpio))
                    {
                        throw Error("statusLed.gpio", $"GPIO{gpio} of {board.Id} is input-only: it cannot drive an LED");
                    }

                    Claim(gpio, "statusLed.gpio", $"GPIO{gpio}");
                    return new PackedStatusLed(gpio, spec.StatusLed.ActiveLow, false);
                default:
                    if (board.Led is not BoardLed led)
                    {
                        Warn("statusLed", $"{board.Id} has no plain GPIO LED: the node has no status LED (set statusLed to {{ \"gpio\": N }} or null)");
                        return new PackedStatusLed(-1, false, false);
                    }

                    bool activeLow = led.ActiveLow ?? true;
                    if (led.ActiveLow is null)
                    {
                        Warn("statusLed", $"the polarity of {board.Id}'s LED on GPIO{led.Gpio} is not known: assuming active-low (set statusLed to {{ \"gpio\": {led.Gpio}, \"activeLow\": false }} if it lights the wrong way)");
                    }

                    // The board's own LED is wired for its pin, strapping or not: no strapping warning.
                    Claim(led.Gpio, "statusLed", $"GPIO{led.Gpio} (the board's LED)", warnStrapping: false);
                    return new PackedStatusLed(led.Gpio, activeLow, true);
            }
        }

        /// <summary>
        /// The input with its bus's pins resolved: node.json's sda/scl, else the board's pins for that bus.
        /// node.bin carries them, and the firmware maps them (Configuration.SetPinFunction) before it opens
        /// the bus, so boards whose I2C is not on nanoFramework's default pins work too. All inputs on one
        /// bus share its pins; the pins are claimed once per bus.
        /// </summary>
        private I2cSource ClaimI2cBus(I2cSource i2c, string path)
        {
            (int Sda, int Scl) pins = i2c.Sda is int sda && i2c.Scl is int scl ? (sda, scl)
                : board.I2c is BoardI2c bus && bus.Bus == i2c.Bus ? (bus.Sda, bus.Scl)
                : throw Error($"{path}.bus", board.I2c is BoardI2c other
                    ? $"{board.Id} defines pins for I2C bus {other.Bus} only: give sda and scl for bus {i2c.Bus}"
                    : $"{board.Id} has no I2C pins in its board file: give sda and scl");
            string pinPath = i2c.Sda is null ? $"{path}.bus" : $"{path}.sda";
            foreach (int gpio in new[] { pins.Sda, pins.Scl })
            {
                RequireGpio(gpio, pinPath);
                if (board.InputOnlyGpios.Contains(gpio))
                {
                    throw Error(pinPath, $"GPIO{gpio} of {board.Id} is input-only: an I2C line must also drive");
                }
            }

            if (i2cBuses.TryGetValue(i2c.Bus, out (int Sda, int Scl, string Path) claimed))
            {
                if (claimed.Sda != pins.Sda || claimed.Scl != pins.Scl)
                {
                    throw Error(pinPath, $"I2C bus {i2c.Bus} is already on GPIO{claimed.Sda}/GPIO{claimed.Scl} ({claimed.Path}): one bus has one pair of pins");
                }
            }
            else
            {
                i2cBuses[i2c.Bus] = (pins.Sda, pins.Scl, pinPath);
                Claim(pins.Sda, pinPath, $"GPIO{pins.Sda} (I2C bus {i2c.Bus} SDA)");
                Claim(pins.Scl, pinPath, $"GPIO{pins.Scl} (I2C bus {i2c.Bus} SCL)");
            }

            return i2c with { Sda = pins.Sda, Scl = pins.Scl };
        }

        private void RequireGpio(int gpio, string path)
        {
            if (!board.HasGpio(gpio))
            {
                throw Error(path, $"GPIO{gpio} is not a usable GPIO of {board.Id} ({string.Join(", ", board.Gpios)})");
            }
        }

        /// <summary>Marks a pin as used by <paramref name="path"/>; a second use is refused, a strapping pin is warned about.</summary>
        private void Claim(int gpio, string path, string what, bool warnStrapping = true)
        {
            if (pinUsers.TryGetValue(gpio, out string? user))
            {
                throw Error(path, $"{what} is already used by {user}");
            }

            pinUsers[gpio] = path;
            if (warnStrapping && board.StrappingGpios.Contains(gpio))
            {
                Warn(path, $"{what} is a strapping pin of {board.Id}: its level at reset selects the boot mode, so what is wired to it must not pull it the wrong way while the board resets");
            }
        }

        private static Sampling? Sampling(InputSource source) => source switch
        {
            AdcSource a => a.Sampling,
            DigitalSource d => d.Sampling,
            I2cSource i => i.Sampling,
            _ => null,
        };

        private DeploymentFileException Error(string field, string problem) => new(spec.File, field, problem);

        private void Warn(string field, string problem) => warnings.Add($"{spec.File}: {field}: {problem}");

        private static string Bytes(int bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture) + " B";
    }
}
