namespace QuantEdge.Compiler.Graph;

/// <summary>e^x.</summary>
public sealed record ExpNode : PointwiseNode
{
    public override float Apply(float x) => MathF.Exp(x);

    public override double Table(double x) => Math.Exp(x);
}
