using System.Text.RegularExpressions;

namespace QuantEdge.Cli;

/// <summary>A plain-text table: columns padded to their widest cell, numbers right-aligned.</summary>
public sealed partial class TextTable(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public TextTable Add(params object?[] cells)
    {
        rows.Add(cells.Select(c => c switch
        {
            null => "",
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => c.ToString() ?? "",
        }).ToArray());
        return this;
    }

    public void Write(TextWriter writer, string indent = "  ")
    {
        int[] widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Prepend(h.Length).Max()).ToArray();
        bool[] numeric = headers.Select((_, i) => rows.Count > 0 && rows.All(r => r[i].Length == 0 || Number().IsMatch(r[i]))).ToArray();
        writer.WriteLine(indent + Line(headers));
        writer.WriteLine(indent + string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (string[] row in rows)
        {
            writer.WriteLine(indent + Line(row));
        }

        string Line(string[] cells) =>
            string.Join("  ", cells.Select((c, i) => numeric[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
    }

    /// <summary>A number as the CLI prints it: "1,234", "-0.5", "98.50%", "4,096 B".</summary>
    [GeneratedRegex(@"^-?[\d,.]+(E[-+]?\d+)?( B|%)?$")]
    private static partial Regex Number();
}
