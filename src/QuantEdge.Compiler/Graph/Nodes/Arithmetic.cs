namespace QuantEdge.Compiler.Graph;

/// <summary>Element-wise sum with broadcasting. ONNX Sub of a constant is imported as Add of its negation.</summary>
public sealed record AddNode : ElementwiseBinary;

/// <summary>Element-wise product with broadcasting. ONNX Div by a constant is imported as Mul by its reciprocal.</summary>
public sealed record MulNode : ElementwiseBinary;

/// <summary>Input − Other, with broadcasting. ONNX Sub of a constant is imported as Add of its negation instead.</summary>
public sealed record SubNode : ElementwiseBinary;

/// <summary>The larger of the operands, with broadcasting (ONNX Max of more than two is a chain of these).</summary>
public sealed record MaxNode : ElementwiseBinary;

/// <summary>The smaller of the operands, with broadcasting (ONNX Min of more than two is a chain of these).</summary>
public sealed record MinNode : ElementwiseBinary;
