using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Deployment;
using QuantEdge.Node.Config;
using QuantEdge.Node.Hardware;

namespace QuantEdge.Node.Tests;

/// <summary>node pack (the host's writer) and NodeConfig.Parse (the device's reader) agree on every field of node.bin.</summary>
public class PackedNodeTests
{
    private const string Json = """
        {
          "samplePeriodMs": 2500,
          "hysteresis": 4,
          "inputs": [
            { "feature": "f0", "adc": { "channel": 6, "samples": 16, "intervalMs": 2, "statistic": "range" }, "scale": 0.002, "offset": 1.5 },
            { "feature": "f1", "digital": { "gpio": 4, "pull": "up", "samples": 3, "statistic": "max" } },
            { "feature": "f2", "i2c": { "bus": 1, "address": 72, "register": 5, "bytes": 2, "bigEndian": false, "signed": true }, "scale": 0.0625 },
            { "feature": "f3", "constant": 1.3 }
          ],
          "outputs": [
            { "class": "virginica", "gpio": 25, "activeLow": true },
            { "class": 0, "pwm": { "gpio": 26, "frequencyHz": 5000 } }
          ],
          "statusLed": { "gpio": 23, "activeLow": false },
          "heartbeat": false,
          "deepSleep": true
        }
        """;

    [Fact]
    public void TheDeviceReadsWhatNodePackWrote()
    {
        byte[] blob = IrisModel.Blob;
        NodeSpec spec = NodeSpecReader.Parse("node.json", Json);
        Board board = BoardLoader.Parse("board.json", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "boards", "lolin-d32.json")));
        PackedNode packed = NodePacker.Pack(spec, board, ModelDescription.Of(blob), "iris.qem");

        NodeConfig config = NodeConfig.Parse(packed.Bytes);

        Assert.Equal((2500, 4, true, false), (config.SamplePeriodMs, config.Hysteresis, config.DeepSleep, config.Heartbeat));
        Assert.Equal((23, false, 4, 3), (config.StatusLedGpio, config.StatusLedActiveLow, config.ModelInputs, config.ModelOutputs));

        InputConfig adc = config.Inputs[0], digital = config.Inputs[1], i2c = config.Inputs[2], constant = config.Inputs[3];
        Assert.Equal((NodeFormat.InputAdc, 6, 16, 2, NodeFormat.StatisticRange), (adc.Kind, adc.Source, adc.Samples, adc.IntervalMs, adc.Statistic));
        Assert.Equal((NodeFormat.InputDigital, 4, Pull.Up, 3, NodeFormat.StatisticMax), (digital.Kind, digital.Source, digital.Pull, digital.Samples, digital.Statistic));
        Assert.Equal((NodeFormat.InputI2c, 1, 72, 5, 2, false, true), (i2c.Kind, i2c.Source, i2c.Address, i2c.Register, i2c.ByteCount, i2c.BigEndian, i2c.Signed));
        Assert.Equal((18, 19), (i2c.DataGpio, i2c.ClockGpio)); // the board's I2C pins
        Assert.Equal(NodeFormat.InputConstant, constant.Kind);

        // The device's integer scaling gives the real value in each input's units (the model's 10^unitExponent).
        var model = IrisModel.Load();
        double Real(InputConfig input, long reading, int feature) => input.Scale(reading) * Math.Pow(10, model.GetInputUnitExponent(feature));
        Assert.Equal(1000 * 0.002 + 1.5, Real(adc, 1000, 0), 3);
        Assert.Equal(1, Real(digital, 1, 1), 3);
        Assert.Equal(-16 * 0.0625, Real(i2c, -16, 2), 3);
        Assert.Equal(1.3, constant.RawOffset * Math.Pow(10, model.GetInputUnitExponent(3)), 3);

        Assert.Equal((NodeFormat.OutputGpio, 2, 25, true), (config.Outputs[0].Kind, config.Outputs[0].Output, config.Outputs[0].Gpio, config.Outputs[0].ActiveLow));
        Assert.Equal((NodeFormat.OutputPwm, 0, 26, 5000), (config.Outputs[1].Kind, config.Outputs[1].Output, config.Outputs[1].Gpio, config.Outputs[1].FrequencyHz));
    }
}
