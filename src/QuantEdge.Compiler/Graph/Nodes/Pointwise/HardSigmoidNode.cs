namespace QuantEdge.Compiler.Graph;

/// <summary>max(0, min(1, Alpha × x + Beta)) (ONNX's defaults: Alpha 0.2, Beta 0.5).</summary>
public sealed record HardSigmoidNode : PointwiseNode
{
    public required float Alpha { get; init; }

    public required float Beta { get; init; }

    public override float Apply(float x) => Math.Max(0, Math.Min(1, Alpha * x + Beta));

    public override double Table(double x) => Math.Clamp(Alpha * x + Beta, 0, 1);
}
