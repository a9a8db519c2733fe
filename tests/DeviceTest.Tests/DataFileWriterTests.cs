using QuantEdge.DeviceTest.Generation;

namespace QuantEdge.DeviceTest.Tests;

public class DataFileWriterTests
{
    /// <summary>The layout tests/QuantEdge.DeviceTests/README.md documents and Support/DataFile.cs reads, byte by byte.</summary>
    [Fact]
    public void WritesTheDocumentedLayout()
    {
        var file = new DataFileWriter(["n"], ["a", "b"]);
        file.Add("r0", [7], new sbyte[] { -1, 2 }, new[] { 0x01020304 });
        byte[] bytes = file.ToBytes();

        byte[] header =
        [
            (byte)'Q', (byte)'E', (byte)'D', (byte)'1', 31, 0, 0, 0,  // magic, header bytes
            1, 1, (byte)'n',                                         // fields
            2, 1, (byte)'a', 1, (byte)'b',                           // arrays
            1, 0, 0, 0,                                              // one record:
            2, (byte)'r', (byte)'0', 31, 0, 0, 0, 20, 0, 0, 0,       // its name, offset, length
        ];
        byte[] record =
        [
            7, 0, 0, 0,                        // field n
            1, 2, 0, 0, 0, 0xFF, 2,            // a: int8 × 2
            4, 1, 0, 0, 0, 4, 3, 2, 1,         // b: int32 × 1
        ];
        Assert.Equal(header.Concat(record).ToArray(), bytes);
    }

    [Fact]
    public void RefusesARecordThatBreaksTheSchema()
    {
        var file = new DataFileWriter(["n"], ["a"]);
        Assert.Throws<ArgumentException>(() => file.Add("r", [1, 2], new sbyte[1]));
        Assert.Throws<ArgumentException>(() => file.Add("r", [1], new short[1]));
    }
}
