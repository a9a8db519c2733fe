using System.Buffers.Binary;

namespace QuantEdge.Compiler.Tests.Deployment;

/// <summary>
/// node.bin read field by field from docs/node-format.md, independently of the writer (its own CRC-32
/// with a table, its own offsets), so that a test compares the bytes with the spec, not with the code.
/// </summary>
public sealed record DecodedNode(
    string Magic, int VersionMajor, int VersionMinor, int Length, uint Crc, uint ComputedCrc, int SamplePeriodMs, int Flags, int Hysteresis,
    int StatusLedGpio, int StatusLedActiveLow, int ModelInputs, int ModelOutputs, int InputCount, int InputWords, int OutputCount,
    int OutputWords, int[][] Inputs, int[][] Outputs)
{
    public static DecodedNode Decode(byte[] bin)
    {
        int Word(int offset) => BinaryPrimitives.ReadInt32LittleEndian(bin.AsSpan(offset, 4));
        int inputCount = Word(44), inputWords = Word(48), outputCount = Word(52), outputWords = Word(56);
        int[] Record(int start, int words) => Enumerable.Range(0, words).Select(w => Word(start + 4 * w)).ToArray();
        int[][] inputs = Enumerable.Range(0, inputCount).Select(i => Record(60 + 4 * inputWords * i, inputWords)).ToArray();
        int outputsStart = 60 + 4 * inputWords * inputCount;
        int[][] outputs = Enumerable.Range(0, outputCount).Select(i => Record(outputsStart + 4 * outputWords * i, outputWords)).ToArray();
        return new DecodedNode(
            System.Text.Encoding.ASCII.GetString(bin, 0, 4),
            BinaryPrimitives.ReadUInt16LittleEndian(bin.AsSpan(4)), BinaryPrimitives.ReadUInt16LittleEndian(bin.AsSpan(6)),
            Word(8), BinaryPrimitives.ReadUInt32LittleEndian(bin.AsSpan(12)), TableCrc32(bin.AsSpan(16)),
            Word(16), Word(20), Word(24), Word(28), Word(32), Word(36), Word(40), inputCount, inputWords, outputCount, outputWords,
            inputs, outputs);
    }

    /// <summary>The device's scaling of a reading (spec: 64-bit product, arithmetic shift, rounding half up), in 128 bits.</summary>
    public static Int128 Raw(int[] input, long reading)
    {
        int multiplier = input[8], shift = input[9], rawOffset = input[10];
        Int128 product = (Int128)reading * multiplier;
        if (shift > 0)
        {
            product += (Int128)1 << (shift - 1);
        }

        return (product >> shift) + rawOffset;
    }

    private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }

        return c;
    }).ToArray();

    public static uint TableCrc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }
}
