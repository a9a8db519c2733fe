using System.Text.RegularExpressions;
using System.Text.Json.Nodes;

namespace QuantEdge.Compiler.Tests.Deployment;

/// <summary>
/// Edits a JSON document with tiny scripts, so that a bad-input test reads as the one change it makes:
/// <c>root.a.b[0] = value</c>, <c>root.adc['08'] = value</c>, <c>delete root.a.b</c>, <c>delete root.list[3]</c>,
/// several joined by <c>" ; "</c>. Values are JSON with single quotes and bare keys allowed.
/// </summary>
public static partial class JsonEdits
{
    public static string Apply(string json, string edits)
    {
        JsonNode root = JsonNode.Parse(json)!;
        foreach (string edit in edits.Split(" ; ", StringSplitOptions.RemoveEmptyEntries))
        {
            Apply(root, edit);
        }

        return root.ToJsonString();
    }

    public static void Apply(JsonNode root, string edit)
    {
        bool delete = edit.StartsWith("delete ", StringComparison.Ordinal);
        int assign = edit.IndexOf(" = ", StringComparison.Ordinal);
        string target = delete ? edit["delete ".Length..] : edit[..assign];
        if (!target.StartsWith("root", StringComparison.Ordinal))
        {
            throw new ArgumentException($"an edit starts at root: {edit}");
        }

        var steps = Step().Matches(target[4..])
            .Select(m => m.Groups[2].Success ? (object)int.Parse(m.Groups[2].Value) : m.Groups[1].Success ? m.Groups[1].Value : m.Groups[3].Value).ToList();
        JsonNode parent = root;
        foreach (object step in steps.SkipLast(1))
        {
            parent = (step is int i ? parent[i] : parent[(string)step]) ?? throw new ArgumentException($"no {step} in {edit}");
        }

        object last = steps[^1];
        if (delete)
        {
            if (last is int at)
            {
                parent.AsArray().RemoveAt(at);
            }
            else
            {
                parent.AsObject().Remove((string)last);
            }

            return;
        }

        JsonNode? value = JsonNode.Parse(BareKey().Replace(edit[(assign + 3)..].Replace('\'', '"'), "\"$1\""));
        if (last is int index)
        {
            parent[index] = value;
        }
        else
        {
            parent[(string)last] = value;
        }
    }

    [GeneratedRegex(@"\.([\w$]+)|\[(\d+)\]|\['([^']*)'\]")]
    private static partial Regex Step();

    [GeneratedRegex(@"(?<=[{,]\s*)(\w+)(?=\s*:)")]
    private static partial Regex BareKey();
}
