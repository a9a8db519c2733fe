using System.Globalization;

namespace QuantEdge.Conformance.Tests;

/// <summary>
/// The committed expectations (Baselines/*.tsv): each supported operator's case counts, and each
/// PyTorch model's SQNR floor. Regenerated, together with docs/conformance.md, by <see cref="UpdateCommand"/>.
/// </summary>
internal static class Baselines
{
    public const string UpdateVariable = "QUANTEDGE_UPDATE_CONFORMANCE";

    public const string UpdateCommand = UpdateVariable + "=1 dotnet test tests/QuantEdge.Conformance.Tests -c Release";

    public const string NodeFile = "node-pass-counts.tsv";

    public const string ModelFile = "pytorch-sqnr-floors.tsv";

    /// <summary>
    /// A floor sits this far below the SQNR measured when the baseline was written. The whole chain
    /// is deterministic, so today's value is reproduced exactly; the margin leaves room for changes
    /// that move a rounding here and there (a few tenths of a dB) and still catches a real regression:
    /// one bit of resolution lost anywhere costs about 6 dB.
    /// </summary>
    public const double FloorMarginDb = 1.0;

    /// <summary>Set to "1": the tests write the baselines and docs/conformance.md into the repository instead of comparing.</summary>
    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public static string Read(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Baselines", file));

    /// <summary>Writes a file of the repository (found by walking up to QuantEdge.sln from the test's folder).</summary>
    public static void WriteToRepository(string relativePath, string text)
    {
        DirectoryInfo? folder = new(AppContext.BaseDirectory);
        while (folder != null && !File.Exists(Path.Combine(folder.FullName, "QuantEdge.sln")))
        {
            folder = folder.Parent;
        }

        if (folder == null)
        {
            throw new DirectoryNotFoundException($"no QuantEdge.sln above {AppContext.BaseDirectory}");
        }

        File.WriteAllText(Path.Combine(folder.FullName, relativePath), text.ReplaceLineEndings("\n"));
    }

    public static string NodeText(IReadOnlyList<OperatorRow> rows) =>
        "operator\tpath\tcases\tpassed\tfailed\tunsupported_variant\n"
        + string.Concat(rows.Select(r => $"{r.Operator}\t{r.Path}\t{r.Cases}\t{r.Passed}\t{r.Failed}\t{r.UnsupportedVariant}\n"));

    /// <summary>
    /// Regressions (an operator passes fewer cases, or vanished) and other changes (more passes, moved
    /// failures, new operators), each a line naming the operator and both counts.
    /// </summary>
    public static (List<string> Regressions, List<string> Changes) CompareNode(string baseline, IReadOnlyList<OperatorRow> rows)
    {
        var expected = Rows(baseline).ToDictionary(f => f[0], StringComparer.Ordinal);
        var actual = rows.ToDictionary(r => r.Operator, StringComparer.Ordinal);
        var regressions = new List<string>();
        var changes = new List<string>();
        foreach ((string op, string[] f) in expected)
        {
            if (!actual.TryGetValue(op, out OperatorRow? row))
            {
                regressions.Add($"{op}: {f[3]} of {f[2]} cases passed, now none run");
            }
            else if (row.Passed < int.Parse(f[3], CultureInfo.InvariantCulture))
            {
                regressions.Add($"{op}: {row.Passed} of {row.Cases} cases pass, the baseline has {f[3]} of {f[2]}");
            }
            else if (NodeText([row]).Split('\n')[1] != string.Join('\t', f))
            {
                changes.Add($"{op}: now {row.Cases} cases, {row.Passed} passed, {row.Failed} failed, {row.UnsupportedVariant} unsupported variants; the baseline has {f[2]}, {f[3]}, {f[4]}, {f[5]}");
            }
        }

        changes.AddRange(actual.Keys.Where(op => !expected.ContainsKey(op)).Select(op => $"{op}: newly supported, {actual[op].Passed} of {actual[op].Cases} cases pass"));
        return (regressions, changes);
    }

    public static string ModelText(IReadOnlyList<ModelResult> results) =>
        "model\tsqnr_floor_db\n" + string.Concat(results.Select(r => $"{r.Case.Suite}/{r.Case.Name}\t{Floor(r.SqnrDb)}\n"));

    /// <summary>
    /// Regressions (SQNR below its floor, or a model that no longer quantizes) and changes (a model
    /// that quantizes now but did not), one line each.
    /// </summary>
    public static (List<string> Regressions, List<string> Changes) CompareModels(string baseline, IReadOnlyList<ModelResult> results)
    {
        var floors = Rows(baseline).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        var regressions = new List<string>();
        var changes = new List<string>();
        foreach (ModelResult r in results)
        {
            string name = $"{r.Case.Suite}/{r.Case.Name}";
            string floor = floors.GetValueOrDefault(name, "-");
            if (floor == "-")
            {
                if (r.SqnrDb != null)
                {
                    changes.Add($"{name}: quantizes now ({Format(r.SqnrDb)} dB), the baseline has no floor");
                }
            }
            else if (r.SqnrDb == null)
            {
                regressions.Add($"{name}: no longer quantized ({r.Why}); floor {floor} dB");
            }
            else if (floor == "inf" ? !double.IsPositiveInfinity(r.SqnrDb.Value) : r.SqnrDb < double.Parse(floor, CultureInfo.InvariantCulture))
            {
                regressions.Add($"{name}: SQNR {Format(r.SqnrDb)} dB, below its floor of {floor} dB");
            }
        }

        return (regressions, changes);
    }

    /// <summary>"41.2", "inf" for an exact output, "-" for a model that was not quantized.</summary>
    public static string Format(double? sqnr) => sqnr switch
    {
        null => "-",
        double.PositiveInfinity => "inf",
        double v => v.ToString("F1", CultureInfo.InvariantCulture),
    };

    private static string Floor(double? sqnr) => sqnr is double v && double.IsFinite(v)
        ? (Math.Floor((v - FloorMarginDb) * 10) / 10).ToString("F1", CultureInfo.InvariantCulture)
        : Format(sqnr);

    private static IEnumerable<string[]> Rows(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.TrimEnd('\r').Split('\t'));
}
