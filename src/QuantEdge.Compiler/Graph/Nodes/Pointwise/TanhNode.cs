namespace QuantEdge.Compiler.Graph;

/// <summary>tanh(x); on the device onto [−1, 1) in steps of 1/128 (TFLite's int8 tanh output).</summary>
public sealed record TanhNode : PointwiseNode
{
    public override float Apply(float x) => MathF.Tanh(x);

    public override double Table(double x) => Math.Tanh(x);

    public override (double Scale, int ZeroPoint)? FixedOutput => (Quantization.LookupTable.TanhOutputScale, Quantization.LookupTable.TanhOutputZeroPoint);
}
