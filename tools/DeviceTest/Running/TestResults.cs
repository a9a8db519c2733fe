namespace QuantEdge.DeviceTest.Running;

/// <summary>One result line of the UnitTestLauncher: "Test passed|failed|skipped,&lt;name&gt;.&lt;row&gt;,&lt;ticks or message&gt;".</summary>
public sealed record TestResult(string Outcome, string Name, string Detail)
{
    public bool Passed => Outcome == "passed";

    /// <summary>The result on a line, or null when the line is not a result.</summary>
    public static TestResult? Parse(string line)
    {
        const string Prefix = "Test ";
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        int comma = line.IndexOf(',');
        if (comma < 0)
        {
            return null;
        }

        string outcome = line[Prefix.Length..comma];
        if (outcome is not ("passed" or "failed" or "skipped"))
        {
            return null;
        }

        int second = line.IndexOf(',', comma + 1);
        return second < 0
            ? new TestResult(outcome, line[(comma + 1)..], "")
            : new TestResult(outcome, line[(comma + 1)..second], line[(second + 1)..]);
    }
}

/// <summary>
/// The outcome of one test assembly's run: its results, how many tests it declares, and how the run
/// ended. A skipped test counts as failed (nothing may skip in CI), and so does every declared test
/// that never reported (the interpreter stops silently on a crash or an uncaught exception).
/// </summary>
public sealed record TestRun(string Assembly, IReadOnlyList<TestResult> Results, int Declared, string? AbnormalEnd)
{
    public int Passed => Results.Count(r => r.Passed);

    public int Missing => Math.Max(0, Declared - Results.Count);

    public int Failed => Results.Count(r => !r.Passed) + Missing;

    /// <summary>Problems beyond failed results, as lines for the report (empty when none).</summary>
    public IEnumerable<string> Problems()
    {
        if (AbnormalEnd != null)
        {
            yield return $"{Assembly}: {AbnormalEnd}";
        }

        if (Results.Count == 0)
        {
            yield return $"{Assembly}: no test ran";
        }

        if (Missing > 0)
        {
            yield return $"{Assembly}: {Results.Count} of {Declared} declared tests reported; the {Missing} missing count as failed";
        }

        if (Results.Count > Declared)
        {
            yield return $"{Assembly}: {Results.Count} results for {Declared} declared tests (the count from metadata is off)";
        }
    }

    /// <summary>True when this assembly's run counts as a success.</summary>
    public bool Succeeded => Failed == 0 && Results.Count > 0 && AbnormalEnd == null && Results.Count == Declared;

    public static TestRun From(string assembly, IReadOnlyList<string> programLines, int declared, string? abnormalEnd) =>
        new(assembly, programLines.Select(TestResult.Parse).OfType<TestResult>().ToList(), declared, abnormalEnd);
}
