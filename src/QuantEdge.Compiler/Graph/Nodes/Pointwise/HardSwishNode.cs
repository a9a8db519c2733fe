namespace QuantEdge.Compiler.Graph;

/// <summary>x × max(0, min(1, x / 6 + 1/2)).</summary>
public sealed record HardSwishNode : PointwiseNode
{
    public override float Apply(float x) => x * Math.Max(0, Math.Min(1, x / 6 + 0.5f));

    public override double Table(double x) => x * Math.Clamp(x / 6 + 0.5, 0, 1);
}
