using System.Buffers.Binary;
using QuantEdge.Node.Config;
using QuantEdge.Runtime.Format;

namespace QuantEdge.Node.Tests;

/// <summary>One input record of node.bin, word by word as docs/node-format.md lists them.</summary>
public sealed record InputRecord(int Kind, int A = 0, int B = 0, int C = 0, int D = 0, int Samples = 1, int IntervalMs = 0, int Statistic = 0,
    int Multiplier = 1, int Shift = 0, int RawOffset = 0, int Reserved = 0)
{
    public static InputRecord Adc(int channel, int samples = 1, int intervalMs = 0, int statistic = NodeFormat.StatisticMean) =>
        new(NodeFormat.InputAdc, channel, Samples: samples, IntervalMs: intervalMs, Statistic: statistic);

    public static InputRecord Constant(int raw) => new(NodeFormat.InputConstant, Multiplier: 0, RawOffset: raw);

    public int[] Words => [Kind, A, B, C, D, Samples, IntervalMs, Statistic, Multiplier, Shift, RawOffset, Reserved];
}

/// <summary>One output record of node.bin.</summary>
public sealed record OutputRecord(int Kind, int ClassIndex, int Gpio, int ActiveLow = 0, int FrequencyHz = 0, int Reserved = 0)
{
    public static OutputRecord Pin(int classIndex, int gpio, bool activeLow = false) => new(NodeFormat.OutputGpio, classIndex, gpio, activeLow ? 1 : 0);

    public static OutputRecord Pwm(int classIndex, int gpio, int frequencyHz = 1000) => new(NodeFormat.OutputPwm, classIndex, gpio, 0, frequencyHz);

    public int[] Words => [Kind, ClassIndex, Gpio, ActiveLow, FrequencyHz, Reserved];
}

/// <summary>
/// Writes node.bin straight from docs/node-format.md, independently of the host's packer, so that
/// the device reader is tested against the specification itself.
/// </summary>
public sealed record NodeBin(InputRecord[] Inputs, OutputRecord[] Outputs, int ModelOutputs, int SamplePeriodMs = 1000, bool DeepSleep = false,
    bool Heartbeat = true, int Hysteresis = 1, int StatusLedGpio = 2, bool StatusLedActiveLow = false)
{
    public byte[] Bytes()
    {
        int flags = (DeepSleep ? NodeFormat.FlagDeepSleep : 0) | (Heartbeat ? NodeFormat.FlagHeartbeat : 0);
        List<int> words =
        [
            NodeFormat.Magic, NodeFormat.VersionMajor | (NodeFormat.VersionMinor << 16), 0, 0,
            SamplePeriodMs, flags, Hysteresis, StatusLedGpio, StatusLedActiveLow ? 1 : 0, Inputs.Length, ModelOutputs,
            Inputs.Length, NodeFormat.InputWords, Outputs.Length, NodeFormat.OutputWords,
        ];
        foreach (InputRecord input in Inputs)
        {
            words.AddRange(input.Words);
        }

        foreach (OutputRecord output in Outputs)
        {
            words.AddRange(output.Words);
        }

        byte[] bytes = new byte[4 * words.Count];
        for (int i = 0; i < words.Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), words[i]);
        }

        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), bytes.Length);
        return WithCrc(bytes);
    }

    /// <summary>Recomputes the CRC of a (changed) node.bin, so a test reaches the rule after it.</summary>
    public static byte[] WithCrc(byte[] bytes)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), Crc32.Compute(bytes, NodeFormat.CrcStart, bytes.Length - NodeFormat.CrcStart));
        return bytes;
    }
}
