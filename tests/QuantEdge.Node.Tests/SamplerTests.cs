using QuantEdge.Node.Config;
using QuantEdge.Node.Hardware;
using QuantEdge.Node.Sampling;

namespace QuantEdge.Node.Tests;

public class SamplerTests
{
    [Theory]
    [InlineData(new long[] { 1, 2 }, 2)] // 1.5 rounds half up
    [InlineData(new long[] { 1, 2, 2 }, 2)] // 1.67
    [InlineData(new long[] { 1, 1, 2 }, 1)] // 1.33
    [InlineData(new long[] { -1, -2 }, -1)] // -1.5 rounds half up, to -1
    [InlineData(new long[] { -1, -2, -2 }, -2)] // -1.67
    [InlineData(new long[] { 4095, 4095, 4094 }, 4095)]
    public void TheMeanRoundsHalfUp(long[] readings, long mean)
    {
        Assert.Equal(mean, Sampler.Statistic(NodeFormat.StatisticMean, readings.Sum(), readings.Length, readings.Min(), readings.Max()));
        Assert.Equal(readings.Min(), Sampler.Statistic(NodeFormat.StatisticMin, readings.Sum(), readings.Length, readings.Min(), readings.Max()));
        Assert.Equal(readings.Max(), Sampler.Statistic(NodeFormat.StatisticMax, readings.Sum(), readings.Length, readings.Min(), readings.Max()));
        Assert.Equal(readings.Max() - readings.Min(), Sampler.Statistic(NodeFormat.StatisticRange, readings.Sum(), readings.Length, readings.Min(), readings.Max()));
    }

    [Theory]
    [InlineData(4095, 3300, 12, 0, 3299)] // 4095 × 3300 / 4096 = 3299.19
    [InlineData(2048, 3300, 12, 0, 1650)]
    [InlineData(3, 1, 1, 0, 2)] // 1.5 rounds half up
    [InlineData(-3, 1, 1, 0, -1)] // -1.5 rounds half up
    [InlineData(100, -7, 0, 1000, 300)]
    [InlineData(4294967295, 1073741823, 62, 0, 1)] // the widest product the format allows: just under 2^62, then / 2^62
    public void ScalingIsIntegerWithHalfUpRounding(long reading, int multiplier, int shift, int rawOffset, int raw)
    {
        var input = new InputConfig { Multiplier = multiplier, Shift = shift, RawOffset = rawOffset };
        Assert.Equal(raw, input.Scale(reading));
    }

    [Theory]
    [InlineData(new byte[] { 0x12, 0x34 }, true, false, 0x1234)]
    [InlineData(new byte[] { 0x12, 0x34 }, false, false, 0x3412)]
    [InlineData(new byte[] { 0xFF, 0xFE }, true, true, -2)]
    [InlineData(new byte[] { 0xFF, 0xFE }, true, false, 0xFFFE)]
    [InlineData(new byte[] { 0x80 }, true, true, -128)]
    [InlineData(new byte[] { 0x80 }, true, false, 128)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, true, false, 4294967295)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, false, true, -1)]
    [InlineData(new byte[] { 0x01, 0x00, 0x00, 0x80 }, false, true, -2147483647)]
    public void I2cBytesAssembleInEitherOrder(byte[] bytes, bool bigEndian, bool signed, long value)
    {
        Assert.Equal(value, Sampler.Assemble(bytes, bigEndian, signed));
    }

    [Fact]
    public void SamplesAreTakenIntervalApartAndReduced()
    {
        var fake = new FakeSensors();
        fake.Adc = [100, 300, 200, 250];
        var sampler = new Sampler([new InputConfig { Kind = NodeFormat.InputAdc, Source = 6, Samples = 4, IntervalMs = 5, Statistic = NodeFormat.StatisticRange, Multiplier = 1 }],
            fake.Hardware);
        int[] raw = new int[1];

        Assert.True(sampler.Sample(raw));
        Assert.Equal(200, raw[0]);
        Assert.Equal([6, 6, 6, 6], fake.AdcChannels);
        Assert.Equal(15, fake.Now); // three waits between four readings
    }

    [Fact]
    public void DigitalAndI2cInputsAndConstants()
    {
        var fake = new FakeSensors { Level = true, Register = [0x01, 0x90] };
        InputConfig[] inputs =
        [
            new InputConfig { Kind = NodeFormat.InputDigital, Source = 4, Pull = Pull.Up, Samples = 1, Multiplier = 1 },
            new InputConfig { Kind = NodeFormat.InputI2c, Source = 1, Address = 0x48, Register = 0, ByteCount = 2, BigEndian = true, Signed = true, Samples = 1, Multiplier = 1, Shift = 4,
                DataGpio = 21, ClockGpio = 22 },
            new InputConfig { Kind = NodeFormat.InputConstant, RawOffset = 1013, Samples = 1 },
        ];
        var sampler = new Sampler(inputs, fake.Hardware);
        sampler.OpenPins();
        int[] raw = new int[3];

        Assert.True(sampler.Sample(raw));
        Assert.Equal([1, 25, 1013], raw); // 0x0190 = 400, >> 4 = 25 (a TMP102's 12-bit temperature in 1/16 °C)
        Assert.Equal((4, Pull.Up), fake.OpenedInput);
        Assert.Equal((1, 0x48, 0), fake.I2cRead);
        Assert.Equal((1, 21, 22), fake.OpenedBus);
    }

    [Fact]
    public void AFailedReadingStopsTheSampleAndSaysWhich()
    {
        var fake = new FakeSensors { Register = null };
        InputConfig[] inputs =
        [
            new InputConfig { Kind = NodeFormat.InputConstant, RawOffset = 1, Samples = 1 },
            new InputConfig { Kind = NodeFormat.InputI2c, Source = 1, Address = 0x44, Register = 0xE3, ByteCount = 2, Samples = 1, Multiplier = 1 },
        ];
        var sampler = new Sampler(inputs, fake.Hardware);

        Assert.False(sampler.Sample(new int[2]));
        Assert.Equal("input 1 (I2C1 0x44/227): the device did not answer", sampler.Failure);

        fake.Throw = new NotSupportedException("no ADC native");
        var adc = new Sampler([new InputConfig { Kind = NodeFormat.InputAdc, Source = 7, Samples = 1, Multiplier = 1 }], fake.Hardware);
        Assert.False(adc.Sample(new int[1]));
        Assert.Equal("input 0 (ADC 7): no ADC native", adc.Failure);
    }

    /// <summary>Scripted sensors: ADC readings in order, one digital level, one I2C register (null: no answer).</summary>
    private sealed class FakeSensors : IAnalogInputs, IDigitalPins, II2cBus, IClock
    {
        public int[] Adc = [];
        public bool Level;
        public byte[]? Register;
        public Exception? Throw;
        public readonly List<int> AdcChannels = new();
        public (int, int) OpenedInput;
        public (int, int, int) I2cRead;
        public long Now;

        public NodeHardware Hardware => new() { Analog = this, Pins = this, I2c = this, Clock = this };

        public int Read(int channel)
        {
            if (Throw != null)
            {
                throw Throw;
            }

            AdcChannels.Add(channel);
            return Adc[AdcChannels.Count - 1];
        }

        public void OpenInput(int gpio, int pull) => OpenedInput = (gpio, pull);

        public void OpenOutput(int gpio) => throw new InvalidOperationException();

        bool IDigitalPins.Read(int gpio) => Level;

        public void Write(int gpio, bool high) => throw new InvalidOperationException();

        public (int, int, int) OpenedBus = (0, 0, 0);

        public void OpenBus(int bus, int dataGpio, int clockGpio) => OpenedBus = (bus, dataGpio, clockGpio);

        public bool ReadRegister(int bus, int address, int register, byte[] destination)
        {
            I2cRead = (bus, address, register);
            Register?.CopyTo(destination, 0);
            return Register != null;
        }

        public long Milliseconds => Now;

        public void Delay(int milliseconds) => Now += milliseconds;

        public void DeepSleep(int milliseconds) => throw new InvalidOperationException();
    }
}
