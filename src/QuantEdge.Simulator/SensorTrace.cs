using System.Globalization;
using nietras.SeparatedValues;
using QuantEdge.Compiler.Data;

namespace QuantEdge.Simulator;

/// <summary>
/// What the sensors of a virtual board read over time: a CSV file with a <c>time_ms</c> column
/// (non-negative, increasing) and one integer column per channel, named <c>adc&lt;channel&gt;</c>
/// (raw ADC counts), <c>gpio&lt;n&gt;</c> (0 or 1) or <c>i2c&lt;bus&gt;_&lt;address&gt;_&lt;register&gt;</c>
/// (the register's value; address and register in decimal or 0x hex). A value holds from its row's
/// time until the next row's.
/// </summary>
public sealed class SensorTrace
{
    public const string TimeColumn = "time_ms";

    private readonly long[] _times;
    private readonly Dictionary<string, long[]> _columns;

    public SensorTrace(long[] times, Dictionary<string, long[]> columns, string source)
    {
        _times = times;
        _columns = columns;
        Source = source;
    }

    /// <summary>Where the trace came from (for messages).</summary>
    public string Source { get; }

    /// <summary>Time of the last row: the simulation ends there.</summary>
    public long EndMs => _times[^1];

    public IEnumerable<string> Columns => _columns.Keys;

    public bool Has(string column) => _columns.ContainsKey(column);

    /// <summary>The value of <paramref name="column"/> at <paramref name="timeMs"/> (the last row at or before it; the first row before the trace starts).</summary>
    public long At(string column, long timeMs)
    {
        int row = Array.BinarySearch(_times, timeMs);
        row = row >= 0 ? row : Math.Max(0, ~row - 1);
        return _columns[column][row];
    }

    public static string AdcColumn(int channel) => $"adc{channel}";

    public static string GpioColumn(int gpio) => $"gpio{gpio}";

    public static string I2cColumn(int bus, int address, int register) => $"i2c{bus}_{address}_{register}";

    /// <summary>
    /// Reads a trace; any problem (no time column, an unknown column name, a value that is not an
    /// integer, times that do not increase, no rows) is an <see cref="InputFileException"/> naming
    /// the file, row and column.
    /// </summary>
    public static SensorTrace Load(string path)
    {
        using SepReader reader = CsvTable.Open(path);
        return Read(reader, path);
    }

    /// <summary>A trace held in memory (the demo's), read as <see cref="Load"/> reads a file; <paramref name="source"/> names it in messages.</summary>
    public static SensorTrace Parse(string text, string source)
    {
        using SepReader reader = CsvTable.FromText(text);
        return Read(reader, source);
    }

    private static SensorTrace Read(SepReader reader, string path)
    {
        string[] header;
        try
        {
            header = CsvTable.ReadHeader(reader, path);
        }
        catch (InvalidDataException e)
        {
            throw new InputFileException($"{path}: {e.Message}");
        }

        if (header[0] != TimeColumn)
        {
            throw new InputFileException($"{path}: row 1: the first column must be '{TimeColumn}'");
        }

        string[] names = new string[header.Length];
        for (int c = 1; c < header.Length; c++)
        {
            names[c] = CanonicalColumn(header[c])
                ?? throw new InputFileException($"{path}: row 1, column {c + 1} '{header[c]}': not a channel name (adc<channel>, gpio<n> or i2c<bus>_<address>_<register>)");
            if (Array.IndexOf(names, names[c], 1, c - 1) >= 0)
            {
                throw new InputFileException($"{path}: row 1, column {c + 1} '{header[c]}': the same channel appears twice");
            }
        }

        List<long> times = new();
        List<long>[] values = Enumerable.Range(0, header.Length).Select(_ => new List<long>()).ToArray();
        try
        {
            foreach (SepReader.Row row in reader)
            {
                int line = row.LineNumberFrom;
                if (row.ColCount != header.Length)
                {
                    throw new InputFileException($"{path}: row {line}: {row.ColCount} columns, the header has {header.Length}");
                }

                for (int c = 0; c < header.Length; c++)
                {
                    string text = row[c].ToString();
                    if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
                        || value < int.MinValue || value > uint.MaxValue)
                    {
                        throw new InputFileException($"{path}: row {line}, column {c + 1} '{header[c]}': '{text}' is not a 32-bit integer");
                    }

                    if (c == 0 && (value < 0 || (times.Count > 0 && value <= times[^1])))
                    {
                        throw new InputFileException($"{path}: row {line}, column 1 '{TimeColumn}': times must be non-negative and increase");
                    }

                    values[c].Add(value);
                }

                times.Add(values[0][^1]);
            }
        }
        catch (InvalidDataException e)
        {
            throw new InputFileException($"{path}: {e.Message}");
        }

        if (times.Count == 0)
        {
            throw new InputFileException($"{path}: no rows after the header");
        }

        var columns = new Dictionary<string, long[]>();
        for (int c = 1; c < header.Length; c++)
        {
            columns[names[c]] = values[c].ToArray();
        }

        return new SensorTrace(times.ToArray(), columns, path);
    }

    // adc6, gpio4, i2c1_0x44_0 → the same names the node's inputs ask for (numbers in decimal).
    private static string? CanonicalColumn(string name)
    {
        string lower = name.ToLowerInvariant();
        if (lower.StartsWith("adc", StringComparison.Ordinal) && Number(lower[3..]) is { } channel)
        {
            return AdcColumn(channel);
        }

        if (lower.StartsWith("gpio", StringComparison.Ordinal) && Number(lower[4..]) is { } gpio)
        {
            return GpioColumn(gpio);
        }

        string[] parts = lower.StartsWith("i2c", StringComparison.Ordinal) ? lower[3..].Split('_') : [];
        return parts.Length == 3 && Number(parts[0]) is { } bus && Number(parts[1]) is { } address && Number(parts[2]) is { } register
            ? I2cColumn(bus, address, register)
            : null;
    }

    private static int? Number(string text)
    {
        bool hex = text.StartsWith("0x", StringComparison.Ordinal);
        return int.TryParse(hex ? text[2..] : text, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : null;
    }
}
