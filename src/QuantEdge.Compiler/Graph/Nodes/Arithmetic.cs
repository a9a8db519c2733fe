namespace QuantEdge.Compiler.Graph;

/// <summary>Element-wise sum with broadcasting. ONNX Sub of a constant is imported as Add of its negation.</summary>
public sealed record AddNode : ElementwiseBinary
{
    public override float Combine(float left, float right) => left + right;
}

/// <summary>Element-wise product with broadcasting. ONNX Div by a constant is imported as Mul by its reciprocal.</summary>
public sealed record MulNode : ElementwiseBinary
{
    public override float Combine(float left, float right) => left * right;
}

/// <summary>Input − Other, with broadcasting. ONNX Sub of a constant is imported as Add of its negation instead.</summary>
public sealed record SubNode : ElementwiseBinary
{
    public override float Combine(float left, float right) => left - right;
}

/// <summary>The larger of the operands, with broadcasting (ONNX Max of more than two is a chain of these).</summary>
public sealed record MaxNode : ElementwiseBinary
{
    public override float Combine(float left, float right) => MathF.Max(left, right);
}

/// <summary>The smaller of the operands, with broadcasting (ONNX Min of more than two is a chain of these).</summary>
public sealed record MinNode : ElementwiseBinary
{
    public override float Combine(float left, float right) => MathF.Min(left, right);
}
