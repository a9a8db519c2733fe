using System.Buffers.Binary;
using QuantEdge.Node.Config;

namespace QuantEdge.Node.Tests;

public class NodeConfigTests
{
    private static readonly NodeBin Valid = new(
        [
            InputRecord.Adc(6, samples: 16, intervalMs: 2, statistic: NodeFormat.StatisticMax) with { Multiplier = 3300, Shift = 12, RawOffset = -5 },
            new InputRecord(NodeFormat.InputDigital, A: 4, B: 1),
            new InputRecord(NodeFormat.InputI2c, A: 1, B: 0x44, C: 0xE3, D: 2 | NodeFormat.I2cBigEndian | NodeFormat.I2cSigned,
                Reserved: NodeFormat.I2cPinsGiven + 21 + 256 * 22),
            InputRecord.Constant(1013),
        ],
        [OutputRecord.Pin(2, 25, activeLow: true), OutputRecord.Pwm(0, 26, 5000)],
        ModelOutputs: 3, SamplePeriodMs: 2500, DeepSleep: true, Heartbeat: false, Hysteresis: 3, StatusLedGpio: 5, StatusLedActiveLow: true);

    [Fact]
    public void ReadsEveryFieldTheSpecificationLists()
    {
        byte[] bytes = Valid.Bytes();
        NodeConfig config = NodeConfig.Parse(bytes);

        Assert.Equal(2500, config.SamplePeriodMs);
        Assert.True(config.DeepSleep);
        Assert.False(config.Heartbeat);
        Assert.Equal(3, config.Hysteresis);
        Assert.Equal(5, config.StatusLedGpio);
        Assert.True(config.StatusLedActiveLow);
        Assert.Equal((4, 3), (config.ModelInputs, config.ModelOutputs));
        Assert.Equal(BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12)), config.Crc);

        InputConfig adc = config.Inputs[0];
        Assert.Equal((NodeFormat.InputAdc, 6, 16, 2, NodeFormat.StatisticMax), (adc.Kind, adc.Source, adc.Samples, adc.IntervalMs, adc.Statistic));
        Assert.Equal((3300, 12, -5), (adc.Multiplier, adc.Shift, adc.RawOffset));
        Assert.Equal((NodeFormat.InputDigital, 4, 1), (config.Inputs[1].Kind, config.Inputs[1].Source, config.Inputs[1].Pull));
        InputConfig i2c = config.Inputs[2];
        Assert.Equal((1, 0x44, 0xE3, 2, true, true), (i2c.Source, i2c.Address, i2c.Register, i2c.ByteCount, i2c.BigEndian, i2c.Signed));
        Assert.Equal((21, 22), (i2c.DataGpio, i2c.ClockGpio));
        Assert.Equal((-1, -1), (adc.DataGpio, adc.ClockGpio));
        Assert.Equal((NodeFormat.InputConstant, 1013), (config.Inputs[3].Kind, config.Inputs[3].RawOffset));

        Assert.Equal((NodeFormat.OutputGpio, 2, 25, true), (config.Outputs[0].Kind, config.Outputs[0].Output, config.Outputs[0].Gpio, config.Outputs[0].ActiveLow));
        Assert.Equal((NodeFormat.OutputPwm, 0, 26, 5000), (config.Outputs[1].Kind, config.Outputs[1].Output, config.Outputs[1].Gpio, config.Outputs[1].FrequencyHz));
        Assert.Equal("ADC 6 x16 max", adc.Describe());
        Assert.Equal("I2C1 0x44/227", i2c.Describe());
    }

    [Fact]
    public void LongerRecordsOfANewerMinorVersionAreSkipped()
    {
        // A 1.1 writer may append words to each record; a 1.0 reader takes the first ones.
        List<int> words = Words(Valid.Bytes());
        int inputs = words[11], outputs = words[13];
        var longer = new List<int>(words.Take(15)) { };
        longer[12] = NodeFormat.InputWords + 1;
        longer[14] = NodeFormat.OutputWords + 2;
        for (int i = 0; i < inputs; i++)
        {
            longer.AddRange(words.Skip(15 + i * NodeFormat.InputWords).Take(NodeFormat.InputWords));
            longer.Add(77);
        }

        for (int i = 0; i < outputs; i++)
        {
            longer.AddRange(words.Skip(15 + inputs * NodeFormat.InputWords + i * NodeFormat.OutputWords).Take(NodeFormat.OutputWords));
            longer.AddRange([88, 99]);
        }

        NodeConfig config = NodeConfig.Parse(FromWords(longer));
        Assert.Equal(1013, config.Inputs[3].RawOffset);
        Assert.Equal(5000, config.Outputs[1].FrequencyHz);
    }

    public static TheoryData<string, int, int, string> BrokenWords => new()
    {
        { "magic", 0, 0x314E4552, "not a QuantEdge node configuration" },
        { "major version", 1, 2, "format version 2" },
        { "sample period", 4, 99, "sample period 99 outside 100..86400000" },
        { "flags", 5, 4, "unknown flags" },
        { "hysteresis", 6, 0, "hysteresis 0 outside 1..255" },
        { "status LED", 7, 64, "status LED GPIO 64 outside -1..63" },
        { "active level", 8, 2, "status LED active level 2 outside 0..1" },
        { "input count", 11, 3, "input count 3 outside 4..4" },
        { "input words", 12, 11, "input record words 11 outside 12..255" },
        { "output count", 13, 33, "output count 33 outside 0..32" },
        { "input kind", 15, 4, "input 0: kind 4 outside 0..3" },
        { "ADC channel", 16, 64, "input 0: bad ADC channel words" },
        { "samples", 20, 0, "input 0: samples 0 outside 1..1024" },
        { "interval", 21, 1001, "input 0: sample interval 1001 outside 0..1000" },
        { "statistic", 22, 4, "input 0: statistic 4 outside 0..3" },
        { "shift", 24, 63, "input 0: shift 63 outside 0..62" },
        { "reserved input word", 26, 1, "input 0: reserved word is not 0" },
        { "pull", 29, 3, "input 1: bad digital input words" },
        { "I2C bytes", 43, 3 | NodeFormat.I2cBigEndian, "input 2: bad I2C words" },
        { "I2C address", 41, 128, "input 2: bad I2C words" },
        { "I2C pins", 50, NodeFormat.I2cPinsGiven + 64 + 256 * 22, "input 2: bad I2C pins" },
        { "I2C pins flag", 50, 21 + 256 * 22, "input 2: bad I2C pins" },
        { "I2C pins equal", 50, NodeFormat.I2cPinsGiven + 21 + 256 * 21, "input 2: bad I2C pins" },
        { "constant samples", 56, 2, "input 3: a constant has no readings" },
        { "output kind", 63, 5, "output 0: kind 5 outside 1..4" },
        { "output class", 64, 3, "output 0: model output 3 outside 0..2" },
        { "output GPIO", 65, -1, "output 0: GPIO -1 outside 0..63" },
        { "on/off frequency", 67, 50, "output 0: an on/off output has no parameters" },
        { "PWM frequency", 73, 0, "output 1: bad PWM frequency" },
        { "PWM active level", 72, 1, "output 1: a PWM output has no active level" },
    };

    [Theory]
    [MemberData(nameof(BrokenWords))]
    public void EachBrokenFieldIsRejectedWithItsName(string field, int word, int value, string message)
    {
        List<int> words = Words(Valid.Bytes());
        words[word] = value;

        NodeConfigException e = Assert.Throws<NodeConfigException>(() => NodeConfig.Parse(FromWords(words)));
        Assert.True(e.Message.Contains(message, StringComparison.Ordinal), $"{field}: {e.Message}");
    }

    [Fact]
    public void ValueOutputsCarryInt8Codes()
    {
        NodeConfig config = NodeConfig.Parse((Valid with
        {
            Outputs =
            [
                new OutputRecord(NodeFormat.OutputValuePwm, 1, 26, FrequencyHz: 500, Reserved: (-100 & 0xFFFF) | (20 << 16)),
                new OutputRecord(NodeFormat.OutputThreshold, 2, 25, ActiveLow: 1, FrequencyHz: 40, Reserved: -10),
            ],
        }).Bytes());

        OutputConfig pwm = config.Outputs[0], threshold = config.Outputs[1];
        Assert.Equal((NodeFormat.OutputValuePwm, 1, 500, -100, 20), (pwm.Kind, pwm.Output, pwm.FrequencyHz, pwm.LowCode, pwm.HighCode));
        Assert.Equal((NodeFormat.OutputThreshold, 2, true, 40, -10), (threshold.Kind, threshold.Output, threshold.ActiveLow, threshold.OnCode, threshold.OffCode));

        foreach ((OutputRecord bad, string message) in new[]
        {
            (new OutputRecord(NodeFormat.OutputThreshold, 0, 25, FrequencyHz: 10, Reserved: 10), "thresholds: off 10 must lie below on 10"),
            (new OutputRecord(NodeFormat.OutputThreshold, 0, 25, FrequencyHz: 200, Reserved: 0), "thresholds: off 0 must lie below on 200"),
            (new OutputRecord(NodeFormat.OutputValuePwm, 0, 25, FrequencyHz: 500, Reserved: 7 | (7 << 16)), "bad PWM frequency or value range"),
            (new OutputRecord(NodeFormat.OutputValuePwm, 0, 25, ActiveLow: 1, FrequencyHz: 500, Reserved: 1), "a PWM output has no active level"),
        })
        {
            NodeConfigException e = Assert.Throws<NodeConfigException>(() => NodeConfig.Parse((Valid with { Outputs = [bad] }).Bytes()));
            Assert.Contains(message, e.Message);
        }
    }

    [Fact]
    public void ClassOutputsNeedAClassifier()
    {
        byte[] blob = IrisModel.Blob;
        NodeConfig config = NodeConfig.Parse(IrisModel.Node(OutputRecord.Pin(0, 25)).Bytes());
        config.CheckModel(Runtime.Model.Load(blob));

        Compiler.Blob.DeviceModel regression = Compiler.Blob.BlobReader.Read(blob).Model;
        regression.Task = Runtime.ModelTask.Regression;
        byte[] regressor = Compiler.Blob.BlobWriter.WriteWithGolden(regression);
        Assert.Contains("output 0 follows a class, and the model is not a classifier",
            Assert.Throws<NodeConfigException>(() => config.CheckModel(Runtime.Model.Load(regressor))).Message);
    }

    [Fact]
    public void CorruptionTruncationAndAWrongLengthAreRejected()
    {
        byte[] bytes = Valid.Bytes();
        byte[] flipped = (byte[])bytes.Clone();
        flipped[70] ^= 1;
        Assert.Contains("CRC mismatch", Assert.Throws<NodeConfigException>(() => NodeConfig.Parse(flipped)).Message);
        Assert.Contains("length field", Assert.Throws<NodeConfigException>(() => NodeConfig.Parse(bytes[..^4])).Message);
        Assert.Contains("shorter than", Assert.Throws<NodeConfigException>(() => NodeConfig.Parse(bytes[..40])).Message);
        Assert.Throws<NodeConfigException>(() => NodeConfig.Parse(null!));

        // Records that do not fill the file: one output fewer declared than present.
        List<int> words = Words(bytes);
        words[13] = 1;
        Assert.Contains("records do not fill the file", Assert.Throws<NodeConfigException>(() => NodeConfig.Parse(FromWords(words))).Message);
    }

    [Fact]
    public void RandomMutationsEitherParseOrThrowNodeConfigExceptionOnly()
    {
        byte[] valid = Valid.Bytes();
        var random = new Random(7);
        int rejected = 0;
        for (int trial = 0; trial < 20_000; trial++)
        {
            byte[] bytes = random.Next(4) == 0 ? valid[..random.Next(valid.Length)] : (byte[])valid.Clone();
            for (int n = random.Next(1, 4); n > 0 && bytes.Length > 0; n--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            // Half the mutants get a fresh CRC so the checks behind it are reached too.
            if (trial % 2 == 0 && bytes.Length >= NodeFormat.HeaderLength)
            {
                NodeBin.WithCrc(bytes);
            }

            try
            {
                NodeConfig.Parse(bytes);
            }
            catch (NodeConfigException)
            {
                rejected++;
            }
        }

        Assert.InRange(rejected, 10_000, 20_000);
    }

    [Fact]
    public void TheModelMustHaveTheInputsAndOutputsTheConfigurationWasPackedFor()
    {
        NodeConfig fits = NodeConfig.Parse(IrisModel.Node().Bytes());
        fits.CheckModel(IrisModel.Load());

        NodeConfig other = NodeConfig.Parse((IrisModel.Node() with { ModelOutputs = 4 }).Bytes());
        Assert.Contains("4 outputs, the model has 4 and 3", Assert.Throws<NodeConfigException>(() => other.CheckModel(IrisModel.Load())).Message);
    }

    private static List<int> Words(byte[] bytes) =>
        Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4 * i))).ToList();

    private static byte[] FromWords(List<int> words)
    {
        byte[] bytes = new byte[4 * words.Count];
        for (int i = 0; i < words.Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), words[i]);
        }

        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), bytes.Length);
        return NodeBin.WithCrc(bytes);
    }
}
