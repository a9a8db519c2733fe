using System.Globalization;
using nietras.SeparatedValues;

namespace QuantEdge.Compiler.Data;

/// <summary>A bad input file: says which file, and where in it, so the user can fix it.</summary>
public sealed class InputFileException(string message) : Exception(message);

/// <summary>
/// Rows of numeric features with an optional integer class label, or numeric targets (a regression's true
/// values), read from a CSV file with a header row. The label or target columns are left out of the
/// features; every other column is a feature, in file order.
/// </summary>
public sealed class Dataset
{
    public const string DefaultLabel = "label";

    public Dataset(string[] featureNames, float[][] features, int[]? labels, string source)
    {
        FeatureNames = featureNames;
        Features = features;
        Labels = labels;
        Source = source;
    }

    public string[] FeatureNames { get; }

    /// <summary>One array of feature values per row.</summary>
    public float[][] Features { get; }

    /// <summary>Class index per row, or null when the file has no label column.</summary>
    public int[]? Labels { get; }

    /// <summary>Where the rows came from (for messages).</summary>
    public string Source { get; }

    public int Count => Features.Length;

    /// <summary>Number of classes: one more than the largest label (0 without labels).</summary>
    public int ClassCount => Labels is { Length: > 0 } ? Labels.Max() + 1 : 0;

    /// <summary>
    /// The line of the file each row came from (for messages); null for rows made in memory, whose row
    /// numbers (1 = the first) are named instead.
    /// </summary>
    public int[]? Lines { get; init; }

    /// <summary>The label column's name and its position in the file (1 = the first), when the file has one.</summary>
    public (string Name, int Column)? LabelColumn { get; init; }

    /// <summary>A regression's true values, one array per row with one value per target column; null for labels.</summary>
    public float[][]? Targets { get; init; }

    /// <summary>The target columns' names (empty without targets).</summary>
    public string[] TargetNames { get; init; } = [];

    /// <summary>Where row <paramref name="row"/> is, for a message: "data.csv:12" or "rows: row 12".</summary>
    public string Where(int row) => Lines is { } lines ? $"{Source}:{lines[row]}" : $"{Source}: row {row + 1}";

    /// <summary>
    /// Reads a CSV file. Any problem (missing file, no header, an unnamed or twice-named column, a ragged row,
    /// a value that is not a finite float32 number, a label that is not a non-negative integer, a missing label
    /// column when one is required, a file past <see cref="HostLimits.MaxCsvBytes"/>) is an
    /// <see cref="InputFileException"/> naming the file, line and column.
    /// </summary>
    public static Dataset Load(string path, string? labelColumn = DefaultLabel, bool requireLabel = true) => Load(path, labelColumn, requireLabel, []);

    /// <summary>The column names of a CSV file's header row.</summary>
    public static string[] ReadColumns(string path)
    {
        using SepReader reader = CsvTable.Open(path);
        return CsvTable.ReadHeader(reader, path);
    }

    /// <summary>
    /// Reads a CSV file whose <paramref name="targetColumns"/> hold a regression's true values (numbers, one per
    /// model output), left out of the features; every one must be in the header.
    /// </summary>
    public static Dataset LoadWithTargets(string path, string[] targetColumns) => Load(path, null, false, targetColumns);

    private static Dataset Load(string path, string? labelColumn, bool requireLabel, string[] targetColumns)
    {
        try
        {
            using SepReader reader = CsvTable.Open(path);
            string[] header = CsvTable.ReadHeader(reader, path);
            int labelIndex = labelColumn == null ? -1 : Array.IndexOf(header, labelColumn);
            if (labelIndex < 0 && requireLabel)
            {
                throw new InputFileException($"{path}: no label column '{labelColumn}' in the header (columns: {string.Join(", ", header)}); name it with --label");
            }

            int[] targetIndex = targetColumns.Select(t => Array.IndexOf(header, t)).ToArray();
            if (Array.IndexOf(targetIndex, -1) is int missingTarget and >= 0)
            {
                throw new InputFileException($"{path}: no target column '{targetColumns[missingTarget]}' in the header (columns: {string.Join(", ", header)}); name the targets with --label");
            }

            string[] featureNames = header.Where((_, i) => i != labelIndex && !targetIndex.Contains(i)).ToArray();
            if (featureNames.Length == 0)
            {
                throw new InputFileException($"{path}: no feature columns");
            }

            var features = new List<float[]>();
            var labels = new List<int>();
            var targets = new List<float[]>();
            var lines = new List<int>();
            foreach (SepReader.Row row in reader)
            {
                int line = row.LineNumberFrom;
                if (row.ColCount == 1 && row[0].Span.IsEmpty)
                {
                    continue; // blank line
                }

                if (row.ColCount != header.Length)
                {
                    throw new InputFileException($"{path}:{line}: {row.ColCount} columns where the header has {header.Length}");
                }

                var values = new float[featureNames.Length];
                var target = new float[targetIndex.Length];
                int f = 0;
                for (int c = 0; c < header.Length; c++)
                {
                    ReadOnlySpan<char> text = row[c].Span;
                    if (c == labelIndex)
                    {
                        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int label) || label < 0)
                        {
                            throw new InputFileException($"{path}:{line}: column {c + 1} ('{header[c]}'): label '{text}' is not a class index (0, 1, 2, ...)");
                        }

                        labels.Add(label);
                        continue;
                    }

                    if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
                    {
                        string why = float.IsInfinity(value) && !text.Contains("inf", StringComparison.OrdinalIgnoreCase) && !text.Contains('∞')
                            ? "is outside float32's range (±3.4e38)"
                            : "is not a number";
                        throw new InputFileException($"{path}:{line}: column {c + 1} ('{header[c]}'): '{text}' {why}");
                    }

                    int t = Array.IndexOf(targetIndex, c);
                    if (t >= 0)
                    {
                        target[t] = value;
                    }
                    else
                    {
                        values[f++] = value;
                    }
                }

                features.Add(values);
                targets.Add(target);
                lines.Add(line);
            }

            if (features.Count == 0)
            {
                throw new InputFileException($"{path}: no data rows");
            }

            return new Dataset(featureNames, features.ToArray(), labelIndex >= 0 ? labels.ToArray() : null, path)
            {
                Lines = lines.ToArray(),
                LabelColumn = labelIndex >= 0 ? (header[labelIndex], labelIndex + 1) : null,
                Targets = targetIndex.Length > 0 ? targets.ToArray() : null,
                TargetNames = targetColumns,
            };
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new InputFileException($"{path}: {e.Message}");
        }
    }

    /// <summary>
    /// Checks that every label names one of a model's <paramref name="classes"/> outputs: a label past them
    /// is refused naming the line, not counted as a wrong prediction.
    /// </summary>
    public void RequireLabelsBelow(int classes, string modelName)
    {
        if (Labels is not null && Array.FindIndex(Labels, l => l >= classes) is int r and >= 0)
        {
            throw new InputFileException($"{Where(r)}: {LabelText()}label {Labels[r]} is not a class of {modelName}, which has {classes} (labels 0 to {classes - 1})");
        }
    }

    /// <summary>Checks that every label is an anomaly score's: 0 (a normal row) or 1 (an anomaly).</summary>
    public void RequireAnomalyLabels()
    {
        if (Labels is not null && Array.FindIndex(Labels, l => l > 1) is int r and >= 0)
        {
            throw new InputFileException($"{Where(r)}: {LabelText()}label {Labels[r]} is neither 0 (normal) nor 1 (anomaly)");
        }
    }

    /// <summary>
    /// Checks that the labels are the classes 0 to the largest with rows for each: a class without rows would
    /// be an output nothing trains (one stray label 100000 would make a model of 100,001 classes).
    /// </summary>
    public void RequireEveryClass()
    {
        if (Labels is not { Length: > 0 } labels)
        {
            return;
        }

        int largest = labels.Max();
        int row = Array.IndexOf(labels, largest);
        var seen = new HashSet<int>(labels);
        int missing = largest + 1 - seen.Count;
        if (missing > 0)
        {
            int first = Enumerable.Range(0, largest).First(c => !seen.Contains(c));
            string which = missing == 1 ? $"class {first} has" : $"{HostLimits.Count(missing)} classes ({first} and others below {largest}) have";
            throw new InputFileException($"{Where(row)}: {LabelText()}label {largest} makes {HostLimits.Count(largest + 1)} classes, but {which} no rows; labels must be 0, 1, 2, ... with rows for each class");
        }
    }

    private string LabelText() => LabelColumn is { } label ? $"column {label.Column} ('{label.Name}'): " : "";

    /// <summary>The first <paramref name="count"/> rows (all when count is null or larger).</summary>
    public Dataset Take(int? count)
    {
        if (count is null || count >= Count)
        {
            return this;
        }

        return new Dataset(FeatureNames, Features[..count.Value], Labels?[..count.Value], Source)
        {
            Lines = Lines?[..count.Value],
            LabelColumn = LabelColumn,
            Targets = Targets?[..count.Value],
            TargetNames = TargetNames,
        };
    }

    /// <summary>Checks that the rows have the number of features a model takes.</summary>
    public void RequireFeatureCount(int expected, string modelName)
    {
        if (FeatureNames.Length != expected)
        {
            throw new InputFileException($"{Source}: {FeatureNames.Length} feature columns, but {modelName} takes {expected} inputs");
        }
    }
}
