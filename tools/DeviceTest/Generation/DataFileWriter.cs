using System.Text;

namespace QuantEdge.DeviceTest.Generation;

/// <summary>
/// Writes a "QED1" data file, the format the device tests read their cases from
/// (tests/QuantEdge.DeviceTests/Resources/README.md): named records sharing one schema of int32
/// fields and arrays, behind a header that lists each record's offset and length, so the device
/// reads the header and then one record at a time with ResourceUtility.GetObject(rm, id, offset,
/// length) instead of holding the whole file. Little-endian throughout:
/// <code>
/// "QED1"  i32 header bytes
/// u8 field count, field names     u8 array count, array names       (a name: u8 length, ASCII)
/// i32 record count, then per record: name, i32 offset (from the start of the file), i32 length
/// record: one i32 per field, then per array: u8 element bytes (1 = int8, 4 = int32), i32 count, elements
/// </code>
/// </summary>
public sealed class DataFileWriter
{
    public const string Magic = "QED1";

    private readonly string[] fields;
    private readonly string[] arrays;
    private readonly List<(string Name, byte[] Body)> records = new();

    public DataFileWriter(string[] fields, string[] arrays)
    {
        this.fields = fields;
        this.arrays = arrays;
    }

    public int Count => records.Count;

    /// <summary>Adds a record: one value per field and one array (sbyte[] or int[]) per array name, in schema order.</summary>
    public void Add(string name, int[] fieldValues, params Array[] arrayValues)
    {
        if (fieldValues.Length != fields.Length || arrayValues.Length != arrays.Length)
        {
            throw new ArgumentException($"record {name}: expected {fields.Length} fields and {arrays.Length} arrays");
        }

        using var body = new MemoryStream();
        using var writer = new BinaryWriter(body);
        foreach (int value in fieldValues)
        {
            writer.Write(value);
        }

        foreach (Array array in arrayValues)
        {
            switch (array)
            {
                case sbyte[] bytes:
                    writer.Write((byte)1);
                    writer.Write(bytes.Length);
                    foreach (sbyte b in bytes)
                    {
                        writer.Write(b);
                    }

                    break;
                case int[] ints:
                    writer.Write((byte)4);
                    writer.Write(ints.Length);
                    foreach (int v in ints)
                    {
                        writer.Write(v);
                    }

                    break;
                default:
                    throw new ArgumentException($"record {name}: arrays are sbyte[] or int[], not {array.GetType().Name}");
            }
        }

        writer.Flush();
        records.Add((name, body.ToArray()));
    }

    public byte[] ToBytes()
    {
        byte[] names = Names();
        int headerBytes = 4 + 4 + names.Length + 4 + records.Sum(r => 1 + Encoding.ASCII.GetByteCount(r.Name) + 8);
        using var file = new MemoryStream();
        using var writer = new BinaryWriter(file);
        writer.Write(Encoding.ASCII.GetBytes(Magic));
        writer.Write(headerBytes);
        writer.Write(names);
        writer.Write(records.Count);
        int offset = headerBytes;
        foreach ((string name, byte[] body) in records)
        {
            WriteName(writer, name);
            writer.Write(offset);
            writer.Write(body.Length);
            offset += body.Length;
        }

        foreach ((_, byte[] body) in records)
        {
            writer.Write(body);
        }

        writer.Flush();
        return file.ToArray();
    }

    private byte[] Names()
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        foreach (string[] list in new[] { fields, arrays })
        {
            writer.Write(checked((byte)list.Length));
            foreach (string name in list)
            {
                WriteName(writer, name);
            }
        }

        writer.Flush();
        return stream.ToArray();
    }

    private static void WriteName(BinaryWriter writer, string name)
    {
        byte[] ascii = Encoding.ASCII.GetBytes(name);
        writer.Write(checked((byte)ascii.Length));
        writer.Write(ascii);
    }
}
