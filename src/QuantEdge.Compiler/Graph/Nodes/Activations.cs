namespace QuantEdge.Compiler.Graph;

/// <summary>max(x, 0).</summary>
public sealed record ReluNode : ElementwiseUnary;

/// <summary>
/// min(max(x, Min), Max). Relu6 is Clip(0, 6). An absent ONNX bound is float.MinValue / float.MaxValue,
/// as ONNX Runtime takes it.
/// </summary>
public sealed record ClipNode : ElementwiseUnary
{
    public required float Min { get; init; }

    public required float Max { get; init; }
}

/// <summary>x when x ≥ 0, else Alpha × x.</summary>
public sealed record LeakyReluNode : ElementwiseUnary
{
    public required float Alpha { get; init; }
}

/// <summary>1 / (1 + e^−x).</summary>
public sealed record SigmoidNode : ElementwiseUnary;

/// <summary>tanh(x).</summary>
public sealed record TanhNode : ElementwiseUnary;

/// <summary>
/// Softmax along the single axis <see cref="Axis"/> (non-negative), ONNX opset-13 semantics.
/// Older opsets' "flatten to 2-D from axis" softmax is imported as Reshape, Softmax(1), Reshape.
/// </summary>
public sealed record SoftmaxNode : ElementwiseUnary
{
    public required int Axis { get; init; }

    public override int[] InferOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        if (Axis < 0 || Axis >= inputShapes[0].Length)
        {
            throw new InvalidGraphException($"Softmax '{Name}': axis {Axis} is outside input {Shapes.Format(inputShapes[0])}.");
        }

        return base.InferOutputShape(inputShapes);
    }
}

/// <summary>
/// Per-channel affine map y = x × Scale[c] + Shift[c], c the index on axis 1 (the channel of NCHW and
/// the feature of [N, F]). An inference-mode BatchNormalization that could not be folded into a
/// preceding Conv2D or Dense (its input comes from elsewhere or is used twice).
/// </summary>
public sealed record ChannelAffineNode : ElementwiseUnary
{
    /// <summary>[C].</summary>
    public required float[] Scale { get; init; }

    /// <summary>[C].</summary>
    public required float[] Shift { get; init; }

    public override int[] InferOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        int[] input = inputShapes[0];
        if (input.Length < 2 || input[1] != Scale.Length || Shift.Length != Scale.Length)
        {
            throw new InvalidGraphException($"ChannelAffine '{Name}': input {Shapes.Format(input)} needs {Scale.Length} channels on axis 1 (scale [{Scale.Length}], shift [{Shift.Length}]).");
        }

        return base.InferOutputShape(inputShapes);
    }
}

/// <summary>−x.</summary>
public sealed record NegNode : ElementwiseUnary;

/// <summary>e^x.</summary>
public sealed record ExpNode : ElementwiseUnary;

/// <summary>max(0, min(1, Alpha × x + Beta)) (ONNX's defaults: Alpha 0.2, Beta 0.5).</summary>
public sealed record HardSigmoidNode : ElementwiseUnary
{
    public required float Alpha { get; init; }

    public required float Beta { get; init; }
}

/// <summary>x × max(0, min(1, x / 6 + 1/2)).</summary>
public sealed record HardSwishNode : ElementwiseUnary;
