namespace QuantEdge.Compiler.Graph;

/// <summary>−x.</summary>
public sealed record NegNode : PointwiseNode
{
    public override float Apply(float x) => -x;

    public override double Table(double x) => -x;
}
