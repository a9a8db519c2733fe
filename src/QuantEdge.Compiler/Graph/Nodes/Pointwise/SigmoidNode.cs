namespace QuantEdge.Compiler.Graph;

/// <summary>1 / (1 + e^−x); on the device onto [0, 1) in steps of 1/256 (TFLite's int8 sigmoid output).</summary>
public sealed record SigmoidNode : PointwiseNode
{
    public override float Apply(float x) => 1f / (1f + MathF.Exp(-x));

    public override double Table(double x) => 1 / (1 + Math.Exp(-x));

    public override (double Scale, int ZeroPoint)? FixedOutput => (Quantization.LookupTable.SigmoidOutputScale, Quantization.LookupTable.SigmoidOutputZeroPoint);
}
