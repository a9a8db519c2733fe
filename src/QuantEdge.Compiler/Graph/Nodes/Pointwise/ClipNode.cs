namespace QuantEdge.Compiler.Graph;

/// <summary>
/// min(max(x, Min), Max). Relu6 is Clip(0, 6). An absent ONNX bound is float.MinValue / float.MaxValue,
/// as ONNX Runtime takes it.
/// </summary>
public sealed record ClipNode : PointwiseNode
{
    public required float Min { get; init; }

    public required float Max { get; init; }

    public override float Apply(float x) => Math.Min(Math.Max(x, Min), Max);

    public override double Table(double x) => Math.Clamp(x, Min, Max);

    public override (float Min, float Max)? ClampRange => (Min, Max);
}
