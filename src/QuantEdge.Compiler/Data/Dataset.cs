using System.Globalization;
using nietras.SeparatedValues;

namespace QuantEdge.Compiler.Data;

/// <summary>A bad input file: says which file, and where in it, so the user can fix it.</summary>
public sealed class InputFileException(string message) : Exception(message);

/// <summary>
/// Rows of numeric features with an optional integer class label, read from a CSV file with a
/// header row. The label column (default <c>label</c>) is left out of the features; every other
/// column is a feature, in file order.
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
    /// Reads a CSV file. Any problem (missing file, no header, ragged row, a value that is not a
    /// finite number, a label that is not a non-negative integer, a missing label column when one is
    /// required) is an <see cref="InputFileException"/> naming the file, row and column.
    /// </summary>
    public static Dataset Load(string path, string? labelColumn = DefaultLabel, bool requireLabel = true)
    {
        if (!File.Exists(path))
        {
            throw new InputFileException($"{path}: file not found");
        }

        try
        {
            using SepReader reader = Sep.Reader(o => o with { HasHeader = true, DisableColCountCheck = true, Unescape = true, Trim = SepTrim.All })
                .FromFile(path);
            string[] header = reader.Header.ColNames.ToArray();
            if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
            {
                throw new InputFileException($"{path}: empty file (a header row is required)");
            }

            int labelIndex = labelColumn == null ? -1 : Array.IndexOf(header, labelColumn);
            if (labelIndex < 0 && requireLabel)
            {
                throw new InputFileException($"{path}: no label column '{labelColumn}' in the header (columns: {string.Join(", ", header)}); name it with --label");
            }

            string[] featureNames = header.Where((_, i) => i != labelIndex).ToArray();
            if (featureNames.Length == 0)
            {
                throw new InputFileException($"{path}: no feature columns");
            }

            var features = new List<float[]>();
            var labels = new List<int>();
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
                        throw new InputFileException($"{path}:{line}: column {c + 1} ('{header[c]}'): '{text}' is not a number");
                    }

                    values[f++] = value;
                }

                features.Add(values);
            }

            if (features.Count == 0)
            {
                throw new InputFileException($"{path}: no data rows");
            }

            return new Dataset(featureNames, features.ToArray(), labelIndex >= 0 ? labels.ToArray() : null, path);
        }
        catch (IOException e)
        {
            throw new InputFileException($"{path}: {e.Message}");
        }
    }

    /// <summary>The first <paramref name="count"/> rows (all when count is null or larger).</summary>
    public Dataset Take(int? count)
    {
        if (count is null || count >= Count)
        {
            return this;
        }

        return new Dataset(FeatureNames, Features[..count.Value], Labels?[..count.Value], Source);
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
