using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Deployment;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Tests;

namespace QuantEdge.Compiler.Tests.Deployment;

public sealed class NodePackerTests
{
    /// <summary>
    /// TestModels.Mlp: features f0..f6 with units 10^0 (f0, f3, f6) and 10^−3 (the others), classes
    /// class0..class2.
    /// </summary>
    private static readonly ModelDescription Model = ModelDescription.Of(TestModels.Blob(TestModels.Mlp()));

    private static Board Board(string name) => BoardLoader.Resolve(name, BoardLoaderTests.BoardsFolder);

    /// <summary>Every kind of input and output on lolin-d32, no strapping pins: no warnings.</summary>
    public const string ExampleNode = """
        {
          "samplePeriodMs": 2000,
          "hysteresis": 3,
          "wifi": false,
          "inputs": [
            { "feature": "f0", "adc": { "channel": 6, "samples": 16, "intervalMs": 2, "statistic": "mean" } },
            { "feature": "f1", "adc": { "channel": 7 }, "scale": 0.806 },
            { "feature": "f2", "digital": { "gpio": 4, "pull": "up" } },
            { "feature": "f3", "i2c": { "bus": 1, "address": 68, "register": 0, "bytes": 2, "bigEndian": true, "signed": true }, "scale": 0.0078125 },
            { "feature": "f4", "constant": 120 },
            { "adc": { "channel": 0, "statistic": "range", "samples": 4 }, "offset": -2.5 },
            { "digital": { "gpio": 13, "pull": "down", "samples": 3, "intervalMs": 5, "statistic": "max" } }
          ],
          "outputs": [
            { "class": "class0", "gpio": 25 },
            { "class": 1, "gpio": 26, "activeLow": true },
            { "class": "class0", "pwm": { "gpio": 27, "frequencyHz": 1000 } }
          ],
          "statusLed": { "gpio": 23, "activeLow": true },
          "heartbeat": true,
          "deepSleep": true
        }
        """;

    private static PackedNode Pack(string json, string board = "lolin-d32", ModelDescription? model = null) =>
        NodePacker.Pack(NodeSpecReader.Parse("node.json", json), Board(board), model ?? Model, "test.qem");

    [Fact]
    public void AnI2cBusGoesOnTheBoardsPinsOrTheOnesGiven()
    {
        // The M5StickC Plus wires its I2C to GPIO21/22, not nanoFramework's default 18/19: node.bin carries them.
        string m5 = """
            { "samplePeriodMs": 1000, "inputs": [
                { "adc": { "channel": 4 } }, { "adc": { "channel": 5 } },
                { "i2c": { "bus": 1, "address": 104, "register": 59, "bytes": 2 } },
                { "constant": 1 }, { "constant": 1 }, { "constant": 1 }, { "constant": 1 } ],
              "statusLed": null }
            """;
        Assert.Equal(65536 + 21 + 256 * 22, DecodedNode.Decode(Pack(m5, "m5stickc-plus").Bytes).Inputs[2][11]);

        // A board without I2C pins (the S3) takes the ones node.json gives.
        string s3 = m5.Replace("\"channel\": 4", "\"channel\": 0").Replace("\"channel\": 5", "\"channel\": 1")
            .Replace("\"bytes\": 2 }", "\"bytes\": 2, \"sda\": 8, \"scl\": 9 }");
        Assert.Equal(65536 + 8 + 256 * 9, DecodedNode.Decode(Pack(s3, "esp32-s3-devkitc-1").Bytes).Inputs[2][11]);
    }

    [Fact]
    public void TheExampleNodePacksToTheSpecsBytes()
    {
        PackedNode packed = Pack(ExampleNode);
        Assert.Empty(packed.Warnings);
        byte[] bin = packed.Bytes;
        DecodedNode node = DecodedNode.Decode(bin);

        Assert.Equal("QEN1", node.Magic);
        Assert.Equal((1, 0), (node.VersionMajor, node.VersionMinor));
        Assert.Equal(60 + 4 * (7 * 12 + 3 * 6), bin.Length);
        Assert.Equal(bin.Length, node.Length);
        Assert.Equal(node.ComputedCrc, node.Crc);
        Assert.Equal(2000, node.SamplePeriodMs);
        Assert.Equal(1 | 2, node.Flags); // deep sleep, heartbeat
        Assert.Equal(3, node.Hysteresis);
        Assert.Equal((23, 1), (node.StatusLedGpio, node.StatusLedActiveLow));
        Assert.Equal((7, 3), (node.ModelInputs, node.ModelOutputs));
        Assert.Equal((7, 12, 3, 6), (node.InputCount, node.InputWords, node.OutputCount, node.OutputWords));

        // kind, a, b, c, d, samples, intervalMs, statistic, multiplier, shift, rawOffset, I2C pins
        Assert.Equal([1, 6, 0, 0, 0, 16, 2, 0, 1 << 30, 30, 0, 0], node.Inputs[0]);           // ADC ch 6, unit 10^0: raw = reading
        Assert.Equal([1, 7, 0, 0, 0, 1, 0, 0, 806 << 21, 21, 0, 0], node.Inputs[1]);          // 0.806 V per count in mV: 806 × 2^21
        Assert.Equal([2, 4, 1, 0, 0, 1, 0, 0, 1000 << 21, 21, 0, 0], node.Inputs[2]);         // digital, pull up, unit 10^−3
        Assert.Equal([3, 1, 68, 0, 2 + 256 + 512, 1, 0, 0, 1 << 30, 37, 0, 65536 + 18 + 256 * 19], node.Inputs[3]); // 2^−7 per LSB = 2^30 >> 37; the board's pins
        Assert.Equal([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 120_000, 0], node.Inputs[4]);             // constant 120 in thousandths
        Assert.Equal([1, 0, 0, 0, 0, 4, 0, 3, 1000 << 21, 21, -2500, 0], node.Inputs[5]);     // range; offset −2.5 = −2500 thousandths
        Assert.Equal([2, 13, 2, 0, 0, 3, 5, 2, 1 << 30, 30, 0, 0], node.Inputs[6]);           // pull down, max of 3

        // kind, classIndex, gpio, activeLow, frequencyHz, reserved
        Assert.Equal([1, 0, 25, 0, 0, 0], node.Outputs[0]);
        Assert.Equal([1, 1, 26, 1, 0, 0], node.Outputs[1]);
        Assert.Equal([2, 0, 27, 0, 1000, 0], node.Outputs[2]);

        // The device's arithmetic on the packed words: an ADC count of 4095 at 0.806 mV per count is 3300.57 mV.
        Assert.Equal(3_300_570, DecodedNode.Raw(node.Inputs[1], 4095));
        Assert.Equal(-32_768 / 128, DecodedNode.Raw(node.Inputs[3], -32_768)); // −256 °C: the sensor's bottom
        Assert.Equal(4095 * 1000 - 2500, DecodedNode.Raw(node.Inputs[5], 4095));
    }

    [Fact]
    public void TheCrcCoversEverythingAfterItself()
    {
        Assert.Equal(0xCBF43926u, DecodedNode.TableCrc32("123456789"u8)); // the CRC-32 check value
        byte[] bin = Pack(ExampleNode).Bytes;
        bin[^4] ^= 1;
        DecodedNode changed = DecodedNode.Decode(bin);
        Assert.NotEqual(changed.ComputedCrc, changed.Crc);
    }

    [Theory]
    [InlineData(0.806, -3, 0, 4095)]
    [InlineData(0.0013431, -3, 0, 4095)]
    [InlineData(0.000586081, -4, 0, 4095)]
    [InlineData(-1.5, -2, -32768, 32767)]
    [InlineData(0.0078125, 0, -32768, 32767)]
    [InlineData(4.6e-10, 0, 0, 4294967295)]
    [InlineData(1e-9, 0, -2147483648, 2147483647)]
    public void ScaledReadingsAreTheRealValueRoundedToTheUnit(double scale, int unitExponent, long min, long max)
    {
        InputScaling scaling = InputScaling.For(scale, 0.25, unitExponent, min, max, out string problem) ?? throw new Xunit.Sdk.XunitException(problem);
        decimal unitsPerReading = (decimal)scale / Pow10(unitExponent);
        decimal rawOffset = Math.Round(0.25m / Pow10(unitExponent), MidpointRounding.AwayFromZero);
        int[] record = [0, 0, 0, 0, 0, 1, 0, 0, scaling.Multiplier, scaling.Shift, scaling.RawOffset, 0];
        Assert.Equal(rawOffset, scaling.RawOffset);
        var random = new Random(5);
        foreach (long reading in new[] { min, max, 0, 1, -1 }.Where(r => r >= min && r <= max).Concat(Enumerable.Range(0, 200).Select(_ => random.NextInt64(min, max + 1))))
        {
            Int128 raw = DecodedNode.Raw(record, reading);
            Assert.InRange(raw, int.MinValue, int.MaxValue);

            // reading × multiplier must fit the device's 64-bit product, the rounding term included.
            Int128 product = (Int128)reading * scaling.Multiplier + (scaling.Shift > 0 ? (Int128)1 << (scaling.Shift - 1) : 0);
            Assert.InRange(product, long.MinValue, long.MaxValue);

            // Within half a unit (the shift's rounding) plus the multiplier's own rounding over the reading.
            decimal exact = reading * unitsPerReading + rawOffset;
            decimal tolerance = 0.5m + Math.Abs(reading) * 0.5m / (decimal)Math.Pow(2, scaling.Shift) + Math.Abs(reading * unitsPerReading) * 1e-12m;
            Assert.InRange((decimal)(long)raw - exact, -tolerance, tolerance);
        }
    }

    [Fact]
    public void TheLargestShiftKeepsTheMultiplierWithinInt32()
    {
        InputScaling scaling = InputScaling.For(0.806, 0, -3, 0, 4095, out _)!.Value;
        Assert.Equal((806 << 21, 21), (scaling.Multiplier, scaling.Shift));
        Assert.True(806L << 22 > int.MaxValue);

        // A 4-byte unsigned reading and a multiplier near 2^31 would overflow the 64-bit product: the shift gives way.
        InputScaling wide = InputScaling.For(Math.Pow(2, -31) * 0.99, 0, 0, 0, uint.MaxValue, out _)!.Value;
        Assert.Equal(61, wide.Shift);
        Assert.True((Int128)uint.MaxValue * (long)Math.Round(Math.Pow(2, 31) * 0.99) + ((Int128)1 << 61) > long.MaxValue);
        Assert.InRange((Int128)uint.MaxValue * wide.Multiplier + ((Int128)1 << (wide.Shift - 1)), 0, long.MaxValue);
    }

    [Theory]
    [InlineData(1.0, 0, -9, "scaling overflows: a reading of 4,095")]
    [InlineData(1e7, 0, -3, "more than the 32-bit multiplier holds")]
    [InlineData(1.0, 3e6, -3, "offset 3,000,000 is 3,000,000,000")]
    [InlineData(1e-30, 0, 0, "too small")]
    public void AScalingThatLeavesInt32IsRefused(double scale, double offset, int unitExponent, string problem)
    {
        Assert.Null(InputScaling.For(scale, offset, unitExponent, 0, 4095, out string message));
        Assert.Contains(problem, message);
    }

    [Fact]
    public void StrappingPinsAreWarnedAboutAndStillPack()
    {
        string node = ExampleNode.Replace("\"gpio\": 25", "\"gpio\": 2", StringComparison.Ordinal).Replace("\"gpio\": 23", "\"gpio\": 15", StringComparison.Ordinal);
        PackedNode packed = Pack(node);
        Assert.Equal(2, packed.Warnings.Count);
        Assert.StartsWith("node.json: outputs[0].gpio: GPIO2 is a strapping pin of lolin-d32", packed.Warnings[0]);
        Assert.StartsWith("node.json: statusLed.gpio: GPIO15 is a strapping pin", packed.Warnings[1]);
        Assert.Equal(2, DecodedNode.Decode(packed.Bytes).Outputs[0][2]);
    }

    [Fact]
    public void TheBoardsLedIsTheDefaultStatusLedAndABoardWithoutOneWarns()
    {
        string node = ExampleNode.Replace("\"statusLed\": { \"gpio\": 23, \"activeLow\": true },", "", StringComparison.Ordinal);
        PackedNode lolin = Pack(node);
        Assert.Equal((5, 1), (DecodedNode.Decode(lolin.Bytes).StatusLedGpio, DecodedNode.Decode(lolin.Bytes).StatusLedActiveLow));
        Assert.Contains(lolin.Warnings, w => w.Contains("polarity", StringComparison.Ordinal));

        PackedNode devkit = Pack(node, "esp32-devkitc-v4");
        Assert.Equal(-1, DecodedNode.Decode(devkit.Bytes).StatusLedGpio);
        Assert.Equal("node.json: statusLed: esp32-devkitc-v4 has no plain GPIO LED: the node has no status LED (set statusLed to { \"gpio\": N } or null)", Assert.Single(devkit.Warnings));
    }

    [Fact]
    public void TheRamCheckAddsTheNodesObjectsToTheModelsDeviceRam()
    {
        PackedNode packed = Pack(ExampleNode);
        Assert.Equal(Model.DeviceRamBytes, packed.ModelRamBytes);
        Assert.Equal(NodeRamEstimate.Bytes(7, 3), packed.NodeRamBytes);
        Assert.Equal(79_000 / 4, packed.HeadroomBytes);
        Assert.Equal(12 * 1024, NodeRamEstimate.HeadroomBytes(40_000));

        // By hand: node object 25 blocks, 3 driver objects of 9, node.bin (468 B) + raw ints (28 B) + outputs (3 B) as arrays
        // (20-byte header, whole blocks); per input 13 + 9 + 5 blocks + two 24-byte buffers; per output 7 + 9 blocks.
        int expected = 12 * 25 + 3 * 12 * 9 + 492 + 48 + 24 + 7 * (12 * (13 + 9 + 5) + 2 * 24) + 3 * 12 * (7 + 9);
        Assert.Equal(expected, NodeRamEstimate.Bytes(7, 3));
    }

    [Theory]
    [MemberData(nameof(BoardLoaderTests.BoardNames), MemberType = typeof(BoardLoaderTests))]
    public void AStarterNodePacksAsItIsOnEveryBoard(string board)
    {
        foreach (ModelDescription model in new[] { Model, ModelDescription.Of(TestModels.Blob(TestModels.Mlp(features: 12, classes: 5))), Valued(ModelTask.Regression, 2), Valued(ModelTask.Anomaly, 1) })
        {
            StarterNode starter = NodeStarter.Create(Board(board), model);
            NodeSpec spec = NodeSpecReader.Parse("node.json", starter.Json);
            PackedNode packed = NodePacker.Pack(spec, Board(board), model, "test.qem");
            Assert.DoesNotContain(packed.Warnings, w => w.Contains("strapping", StringComparison.Ordinal));
            Assert.Equal(model.Inputs.Count, spec.Inputs.Count);
            Assert.True(spec.Inputs[0].Source is AdcSource, starter.Json);
            Assert.Equal(Board(board).Led is null ? StatusLedChoice.None : StatusLedChoice.Board, spec.StatusLed.Choice);
            Assert.All(spec.Inputs.Where(i => i.Source is AdcSource), i => Assert.DoesNotContain(((AdcSource)i.Source).Channel, Board(board).Adc2Channels));
        }
    }

    /// <summary>A test MLP whose outputs are a regression's values or an anomaly score, named y0, y1, ...</summary>
    private static ModelDescription Valued(ModelTask task, int outputs)
    {
        var device = TestModels.Mlp(features: 3, classes: outputs);
        device.Task = task;
        device.OutputNames = Enumerable.Range(0, outputs).Select(o => $"y{o}").ToArray();
        return ModelDescription.Of(TestModels.Blob(device));
    }

    [Fact]
    public void AStarterDrivesARegressionsValuesAsPwmAndAnAnomalyScoresPinWithThresholds()
    {
        ModelDescription regression = Valued(ModelTask.Regression, 2), anomaly = Valued(ModelTask.Anomaly, 1);
        NodeSpec values = NodeSpecReader.Parse("node.json", NodeStarter.Create(Board("esp32-devkitc-v4"), regression).Json);
        NodeSpec score = NodeSpecReader.Parse("node.json", NodeStarter.Create(Board("esp32-devkitc-v4"), anomaly).Json);
        double Real(ModelDescription m, int code) => Math.Round((code - m.OutputZeroPoint) * (double)m.OutputScale, 4);

        // Each value's PWM spans the output's whole int8 range; the pins are the first free PWM-capable ones.
        Assert.All(values.Outputs, o => Assert.True(o.OfValue && o.IsPwm && o.From == Real(regression, -128) && o.To == Real(regression, 127)));
        Assert.Equal(["y0", "y1"], values.Outputs.Select(o => o.Class.Label));
        Assert.Equal([4, 13], values.Outputs.Select(o => o.Gpio));
        // The score's pin has placeholder thresholds at codes 64 and 0.
        NodeOutput alarm = Assert.Single(score.Outputs);
        Assert.True(alarm.OfValue && !alarm.IsPwm);
        Assert.Equal((Real(anomaly, 64), Real(anomaly, 0)), (alarm.On, alarm.Off));
    }

    [Fact]
    public void AStarterMapsTheAdcRangeOntoTheCalibratedRangeAndFallsBackToConstants()
    {
        ModelDescription wide = ModelDescription.Of(TestModels.Blob(TestModels.Mlp(features: 12, classes: 5)));
        NodeSpec spec = NodeSpecReader.Parse("node.json", NodeStarter.Create(Board("lolin-d32"), wide).Json);

        // lolin-d32 has six ADC1 channels; channel 7 senses the battery: five features on the ADC, the rest constants.
        Assert.Equal([0, 3, 4, 5, 6], spec.Inputs.Select(i => i.Source).OfType<AdcSource>().Select(a => a.Channel));
        Assert.Equal(7, spec.Inputs.Count(i => i.Source is ConstantSource));
        FeatureDescription f0 = wide.Inputs[0];
        double low = (-128 - f0.ZeroPoint) * f0.Scale + f0.RawOffset * Math.Pow(10, f0.UnitExponent);
        double high = (127 - f0.ZeroPoint) * f0.Scale + f0.RawOffset * Math.Pow(10, f0.UnitExponent);
        Assert.Equal(low, spec.Inputs[0].Offset, 5);
        Assert.Equal(high, spec.Inputs[0].Offset + 4095 * spec.Inputs[0].Scale, 4);
        FeatureDescription f11 = wide.Inputs[11];
        double middle = ((-128 + 127) / 2.0 - f11.ZeroPoint) * f11.Scale + f11.RawOffset * Math.Pow(10, f11.UnitExponent);
        Assert.Equal(middle, ((ConstantSource)spec.Inputs[11].Source).Value, 4);

        // Five classes, and free non-strapping output pins for all of them, ascending.
        Assert.Equal([4, 13, 14, 16, 17], spec.Outputs.Select(o => o.Gpio));
        Assert.Equal(["class0", "class1", "class2", "class3", "class4"], spec.Outputs.Select(o => o.Class.Label));
    }

    private static decimal Pow10(int exponent) => exponent >= 0 ? (decimal)Math.Pow(10, exponent) : 1m / (decimal)Math.Pow(10, -exponent);
}
