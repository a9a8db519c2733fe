namespace QuantEdge.Conformance.Tests;

internal enum Verdict
{
    /// <summary>Every output of every data set matched.</summary>
    Passed,

    /// <summary>QuantEdge accepted the case (or crashed on it) and computed something else.</summary>
    Failed,

    /// <summary>The operator is supported, but QuantEdge refuses this case's variant and says why.</summary>
    UnsupportedVariant,

    /// <summary>QuantEdge does not support the operator at all.</summary>
    UnsupportedOperator,
}

/// <summary>How one case went. <paramref name="Detail"/>: the refusal or the mismatch.</summary>
internal sealed record CaseResult(OnnxCase Case, CaseSubject Subject, Verdict Verdict, string Detail)
{
    /// <summary>The largest |actual − expected| over the outputs of a float case that ran (0 for exact paths).</summary>
    public double MaxAbsError { get; init; }

    /// <summary>For integer cases: each requantization the import chose and how exactly it reproduces ONNX's.</summary>
    public IReadOnlyList<QuantEdge.Compiler.PreQuantized.RequantizationReport> Requantizations { get; init; } = [];
}
