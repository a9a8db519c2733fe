using System.Globalization;
using System.Text.Json;

namespace QuantEdge.Compiler.Deployment;

/// <summary>
/// Reads one JSON object of a deployment file field by field, with the field's path in every error:
/// unknown fields, fields given twice, wrong types and out-of-range values are refused by name.
/// The board loader and the node.json reader share it, so both files fail the same way.
/// </summary>
internal sealed class JsonFields
{
    private readonly Dictionary<string, JsonElement> fields = new(StringComparer.Ordinal);

    private JsonFields(string file, string path, JsonElement element)
    {
        File = file;
        Path = path;
        Element = element;
    }

    public string File { get; }

    /// <summary>This object's path ("" for the file's root object).</summary>
    public string Path { get; }

    public JsonElement Element { get; }

    /// <summary>Parses a whole file's text; its root must be an object.</summary>
    public static JsonDocument ParseDocument(string file, string text)
    {
        try
        {
            return JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line ? $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}: " : "";
            throw new DeploymentFileException(file, "", $"not valid JSON: {where}{FirstSentence(e.Message)}");
        }
    }

    /// <summary>The object at <paramref name="path"/>, refusing any field not in <paramref name="known"/>.</summary>
    public static JsonFields Of(string file, string path, JsonElement element, params string[] known)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new DeploymentFileException(file, path, $"must be an object, not {Describe(element)}");
        }

        var reader = new JsonFields(file, path, element);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                throw reader.Error(property.Name, $"unknown field (known: {string.Join(", ", known)})");
            }

            if (!reader.fields.TryAdd(property.Name, property.Value))
            {
                throw reader.Error(property.Name, "given twice");
            }
        }

        return reader;
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public static string Index(string path, int index) => $"{path}[{index}]";

    public string FieldPath(string name) => Join(Path, name);

    public DeploymentFileException Error(string name, string problem) => new(File, FieldPath(name), problem);

    public bool Has(string name) => fields.ContainsKey(name);

    /// <summary>The field's value; a missing field is an error unless the caller checked <see cref="Has"/>.</summary>
    public JsonElement Required(string name) =>
        fields.TryGetValue(name, out JsonElement value) ? value : throw new DeploymentFileException(File, FieldPath(name), "missing");

    public bool IsNull(string name) => fields.TryGetValue(name, out JsonElement value) && value.ValueKind == JsonValueKind.Null;

    public int Int(string name, int min, int max) => ToInt(Required(name), FieldPath(name), min, max);

    public int Int(string name, int min, int max, int defaultValue) => Has(name) ? Int(name, min, max) : defaultValue;

    public bool Bool(string name) => ToBool(Required(name), FieldPath(name));

    public bool Bool(string name, bool defaultValue) => Has(name) ? Bool(name) : defaultValue;

    public string String(string name) => ToString(Required(name), FieldPath(name));

    public string? String(string name, string? defaultValue) => Has(name) ? String(name) : defaultValue;

    public double Number(string name) => ToNumber(Required(name), FieldPath(name));

    public double Number(string name, double defaultValue) => Has(name) ? Number(name) : defaultValue;

    /// <summary>One of <paramref name="choices"/>; the result is its index.</summary>
    public int Choice(string name, string[] choices, int defaultIndex) => Has(name) ? Choice(name, choices) : defaultIndex;

    public int Choice(string name, string[] choices)
    {
        string value = String(name);
        int index = System.Array.IndexOf(choices, value);
        return index >= 0 ? index : throw Error(name, $"'{value}' is not one of {string.Join(", ", choices)}");
    }

    public JsonFields Object(string name, params string[] known) => Of(File, FieldPath(name), Required(name), known);

    public JsonElement[] Array(string name)
    {
        JsonElement value = Required(name);
        return value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().ToArray()
            : throw new DeploymentFileException(File, FieldPath(name), $"must be an array, not {Describe(value)}");
    }

    /// <summary>An array of integers in [min, max], each at most once.</summary>
    public int[] IntSet(string name, int min, int max)
    {
        JsonElement[] items = Array(name);
        var values = new int[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            string path = Index(FieldPath(name), i);
            values[i] = ToInt(items[i], path, min, max);
            if (System.Array.IndexOf(values, values[i], 0, i) >= 0)
            {
                throw new DeploymentFileException(File, path, $"{values[i]} is listed twice");
            }
        }

        return values;
    }

    public int ToInt(JsonElement value, string path, int min, int max)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new DeploymentFileException(File, path, $"must be an integer, not {Describe(value)}");
        }

        if (!value.TryGetInt64(out long number))
        {
            // A number with a fraction or an exponent, or beyond 64 bits.
            throw new DeploymentFileException(File, path, $"must be an integer, not {value.GetRawText()}");
        }

        return number >= min && number <= max
            ? (int)number
            : throw new DeploymentFileException(File, path, $"{number} is out of range {Range(min, max)}");
    }

    public bool ToBool(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new DeploymentFileException(File, path, $"must be true or false, not {Describe(value)}"),
    };

    public string ToString(JsonElement value, string path) => value.ValueKind == JsonValueKind.String
        ? value.GetString()!
        : throw new DeploymentFileException(File, path, $"must be a string, not {Describe(value)}");

    public double ToNumber(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new DeploymentFileException(File, path, $"must be a number, not {Describe(value)}");
        }

        double number = value.GetDouble();
        return double.IsFinite(number) ? number : throw new DeploymentFileException(File, path, $"{value.GetRawText()} is too large");
    }

    public static string Range(long min, long max) =>
        $"{min.ToString("N0", CultureInfo.InvariantCulture)}..{max.ToString("N0", CultureInfo.InvariantCulture)}";

    /// <summary>A JSON value in a message: its kind, and short values themselves.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Shorten(value.GetString()!)}\"",
        JsonValueKind.Number => $"the number {Shorten(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        _ => "an object",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message.TrimEnd('.');
    }
}
