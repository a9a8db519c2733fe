namespace QuantEdge.Compiler.Graph;

/// <summary>Element-wise sum with broadcasting. ONNX Sub of a constant is imported as Add of its negation.</summary>
public sealed record AddNode : ElementwiseBinary;

/// <summary>Element-wise product with broadcasting. ONNX Div by a constant is imported as Mul by its reciprocal.</summary>
public sealed record MulNode : ElementwiseBinary;
