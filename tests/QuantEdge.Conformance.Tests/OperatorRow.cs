namespace QuantEdge.Conformance.Tests;

/// <summary>One operator's line of the conformance table.</summary>
internal sealed record OperatorRow(string Operator, string Path, int Cases, int Passed, int Failed, int UnsupportedVariant, double MaxAbsError)
{
    /// <summary>The supported operators' rows (float and integer paths), by operator name.</summary>
    public static IReadOnlyList<OperatorRow> Supported(IReadOnlyList<CaseResult> results) => results
        .Where(r => r.Verdict != Verdict.UnsupportedOperator)
        .GroupBy(r => r.Subject.Operator)
        .Select(g => new OperatorRow(
            g.Key,
            IntegerConformance.Operators.Contains(g.Key) ? "integer" : "float",
            g.Count(),
            g.Count(r => r.Verdict == Verdict.Passed),
            g.Count(r => r.Verdict == Verdict.Failed),
            g.Count(r => r.Verdict == Verdict.UnsupportedVariant),
            g.Where(r => r.Verdict == Verdict.Passed).Select(r => r.MaxAbsError).DefaultIfEmpty(0).Max()))
        .OrderBy(r => r.Path, StringComparer.Ordinal).ThenBy(r => r.Operator, StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// Operators QuantEdge does not support, with their case counts; for a function body, the
    /// operators of the body the float importer lacks.
    /// </summary>
    public static IReadOnlyList<(string Operator, int Cases, string Lacking)> Unsupported(IReadOnlyList<CaseResult> results, IReadOnlySet<string> supported) => results
        .Where(r => r.Verdict == Verdict.UnsupportedOperator)
        .GroupBy(r => r.Subject.Operator)
        .Select(g => (g.Key, g.Count(), g.First().Subject.IsFunctionBody
            ? string.Join(", ", g.SelectMany(r => r.Subject.GraphOperators).Distinct().Where(op => !supported.Contains(op)).Order(StringComparer.Ordinal))
            : ""))
        .OrderBy(r => r.Item1, StringComparer.Ordinal)
        .ToList();
}
