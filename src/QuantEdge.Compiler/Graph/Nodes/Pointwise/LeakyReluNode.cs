namespace QuantEdge.Compiler.Graph;

/// <summary>x when x ≥ 0, else Alpha × x.</summary>
public sealed record LeakyReluNode : PointwiseNode
{
    public required float Alpha { get; init; }

    public override IEnumerable<(string What, float[] Values)> Constants() => [("alpha", [Alpha])];

    public override float Apply(float x) => x >= 0 ? x : Alpha * x;

    public override double Table(double x) => x >= 0 ? x : Alpha * x;
}
