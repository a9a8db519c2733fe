namespace QuantEdge.Compiler.Graph;

/// <summary>max(x, 0).</summary>
public sealed record ReluNode : PointwiseNode
{
    public override float Apply(float x) => x > 0 ? x : 0;

    public override double Table(double x) => Math.Max(x, 0);

    public override (float Min, float Max)? ClampRange => (0, float.PositiveInfinity);
}
