using System.Text.Json;
using System.Text.Json.Nodes;

namespace QuantEdge.Cli;

/// <summary>How commands print JSON: indented, names in snake_case as the CLI contract spells them.</summary>
public static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static JsonArray Array(IEnumerable<int> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
