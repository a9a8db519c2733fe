namespace QuantEdge.Conformance.Tests;

/// <summary>
/// The operator a node case tests. ONNX names its cases after the operator (test_conv_with_strides,
/// test_relu, ...) but does not store it; the model does: a node case is one node (sometimes with
/// Constant nodes feeding it). A case named ..._expanded holds the function body of another case's
/// operator instead: it is counted separately, as "Op (function body)", because it exercises the
/// body's operators, not Op.
/// </summary>
internal sealed record CaseSubject(string Operator, IReadOnlyList<string> GraphOperators)
{
    public const string FunctionBodySuffix = " (function body)";

    public bool IsFunctionBody => Operator.EndsWith(FunctionBodySuffix, StringComparison.Ordinal);

    public static IReadOnlyDictionary<OnnxCase, CaseSubject> Classify(IReadOnlyList<OnnxCase> cases)
    {
        var single = cases.ToDictionary(c => c.Name, SingleOperator, StringComparer.Ordinal);
        return cases.ToDictionary(c => c, c =>
        {
            List<string> graphOps = c.Model.Graph.Node.Select(QualifiedName).Distinct().ToList();
            const string Expanded = "_expanded";
            if (c.Name.EndsWith(Expanded, StringComparison.Ordinal)
                && single.GetValueOrDefault(c.Name[..^Expanded.Length]) is { } original)
            {
                return new CaseSubject(original + FunctionBodySuffix, graphOps);
            }

            return new CaseSubject(single[c.Name] ?? "(" + string.Join(", ", graphOps) + ")", graphOps);
        });
    }

    /// <summary>The one operator of a case, Constant nodes aside; null when there are several.</summary>
    private static string? SingleOperator(OnnxCase c)
    {
        var ops = c.Model.Graph.Node.Select(QualifiedName).Where(op => op != "Constant").Distinct().ToList();
        return ops.Count == 1 ? ops[0] : c.Model.Graph.Node.Count == 1 ? "Constant" : null;
    }

    private static string QualifiedName(global::Onnx.NodeProto node) =>
        node.Domain is "" or "ai.onnx" ? node.OpType : $"{node.Domain}:{node.OpType}";
}
