namespace QuantEdge.Compiler.Graph;

/// <summary>
/// A sliding-window pool over the spatial plane of an NCHW value (rank 3 [N, C, W] is viewed as
/// [N, C, 1, W], see <see cref="NchwShape"/>). Output size rounds down; ONNX's ceil_mode and auto_pad
/// are resolved by the importer into <see cref="Pads"/>, which may therefore exceed the ONNX pads on
/// the bottom/right.
/// </summary>
public abstract record Pool2DNode : ElementwiseUnary
{
    public required Size2D Kernel { get; init; }

    public required Size2D Strides { get; init; }

    public required Padding2D Pads { get; init; }

    public override int[] InferOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        NchwShape input = NchwShape.Of(inputShapes[0]);
        if (inputShapes[0].Length == 3 && (Kernel.Height != 1 || Pads.Top != 0 || Pads.Bottom != 0))
        {
            throw new InvalidGraphException($"{OpName} '{Name}': a 1-D (rank-3) input needs kernel height 1 and no vertical padding.");
        }

        int height = Shapes.WindowOutputSize(input.Height, Kernel.Height, Strides.Height, 1, Pads.Top, Pads.Bottom);
        int width = Shapes.WindowOutputSize(input.Width, Kernel.Width, Strides.Width, 1, Pads.Left, Pads.Right);
        return (input with { Height = height, Width = width }).ToShape(inputShapes[0].Length);
    }
}

/// <summary>Maximum over each window; padding never wins (it is −∞).</summary>
public sealed record MaxPoolNode : Pool2DNode;

/// <summary>
/// Mean over each window. The divisor is the full kernel area when <see cref="CountIncludePad"/>
/// (padding counts as zeros), else the number of window positions inside the input.
/// </summary>
public sealed record AveragePoolNode : Pool2DNode
{
    public required bool CountIncludePad { get; init; }
}

/// <summary>Mean over the whole spatial plane: [N, C, H, W] → [N, C, 1, 1] ([N, C, W] → [N, C, 1]).</summary>
public sealed record GlobalAveragePoolNode : ElementwiseUnary
{
    public override int[] InferOutputShape(IReadOnlyList<int[]> inputShapes) =>
        (NchwShape.Of(inputShapes[0]) with { Height = 1, Width = 1 }).ToShape(inputShapes[0].Length);
}
