using QuantEdge.Compiler.Onnx;

namespace QuantEdge.Conformance.Tests;

/// <summary>
/// Every case of ONNX's node suite, each run on the path QuantEdge supports its operator on: float
/// operators through the importer and the float executor, integer operators through the
/// pre-quantized import and the device runtime. The importers' supported-operator lists decide.
/// </summary>
internal static class NodeSuite
{
    private static readonly Lazy<IReadOnlyList<CaseResult>> Cached = new(() => Run(OnnxTestData.Suite("node")));

    /// <summary>Every case of the installed node suite.</summary>
    public static IReadOnlyList<CaseResult> Results => Cached.Value;

    public static List<CaseResult> Run(IReadOnlyList<OnnxCase> cases)
    {
        IReadOnlyDictionary<OnnxCase, CaseSubject> subjects = CaseSubject.Classify(cases);
        var floatOps = new HashSet<string>(OnnxImporter.SupportedOps, StringComparer.Ordinal);
        return cases.AsParallel().AsOrdered().Select(c =>
        {
            CaseSubject subject = subjects[c];
            if (subject.IsFunctionBody ? subject.GraphOperators.All(floatOps.Contains) : floatOps.Contains(subject.Operator))
            {
                return FloatConformance.Run(c, subject);
            }

            if (!subject.IsFunctionBody && IntegerConformance.Operators.Contains(subject.Operator))
            {
                return IntegerConformance.Run(c, subject);
            }

            return new CaseResult(c, subject, Verdict.UnsupportedOperator, "");
        }).ToList();
    }
}
