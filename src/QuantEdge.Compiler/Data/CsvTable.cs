using nietras.SeparatedValues;

namespace QuantEdge.Compiler.Data;

/// <summary>
/// How every CSV input is opened: a file that exists, is not a folder and is within
/// <see cref="HostLimits.MaxCsvBytes"/>; then a header row whose names are present and distinct. The header is
/// read as an ordinary row (Sep's own header handling throws on duplicate names), so every problem is an
/// <see cref="InputFileException"/> naming the file, line and column.
/// </summary>
public static class CsvTable
{
    /// <summary>Opens <paramref name="path"/> for reading, positioned before its header row.</summary>
    public static SepReader Open(string path)
    {
        if (Directory.Exists(path))
        {
            throw new InputFileException($"{path}: is a folder, not a CSV file");
        }

        if (!File.Exists(path))
        {
            throw new InputFileException($"{path}: file not found");
        }

        HostLimits.CheckFileSize(path, HostLimits.MaxCsvBytes, "a CSV file");
        try
        {
            return Options().FromFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException($"{path}: {e.Message}");
        }
    }

    /// <summary>A CSV held in memory (e.g. a trace the demo makes), read as a file would be.</summary>
    public static SepReader FromText(string text) => Options().FromText(text);

    /// <summary>
    /// Reads the header row: every column named, no name twice (names compare as written, after trimming).
    /// </summary>
    public static string[] ReadHeader(SepReader reader, string source)
    {
        if (!reader.MoveNext())
        {
            throw new InputFileException($"{source}: empty file (a header row is required)");
        }

        SepReader.Row row = reader.Current;
        var names = new string[row.ColCount];
        for (int c = 0; c < names.Length; c++)
        {
            names[c] = row[c].ToString();
        }

        const int line = 1; // the header is the file's first row (Sep numbers a first row read without a header from 2)
        if (names.All(string.IsNullOrWhiteSpace))
        {
            throw new InputFileException($"{source}: line {line} is empty: a header row naming the columns is required");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < names.Length; c++)
        {
            if (string.IsNullOrWhiteSpace(names[c]))
            {
                throw new InputFileException($"{source}:{line}: column {c + 1} of the header has no name");
            }

            if (!seen.TryAdd(names[c], c))
            {
                throw new InputFileException($"{source}:{line}: columns {seen[names[c]] + 1} and {c + 1} are both named '{names[c]}'");
            }
        }

        return names;
    }

    private static SepReaderOptions Options() =>
        Sep.Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = true, Trim = SepTrim.All });
}
