namespace QuantEdge.Compiler.Graph;

/// <summary>
/// The four dimensions a spatial node (Conv2D, pools) works on. A rank-3 value [N, C, W] (ONNX's 1-D
/// convolutions and pools) is viewed as [N, C, 1, W]: the IR has no separate 1-D operators, and the
/// node's output keeps its input's rank.
/// </summary>
public readonly record struct NchwShape(int Batch, int Channels, int Height, int Width)
{
    public static NchwShape Of(IReadOnlyList<int> shape) => shape.Count switch
    {
        3 => new NchwShape(shape[0], shape[1], 1, shape[2]),
        4 => new NchwShape(shape[0], shape[1], shape[2], shape[3]),
        _ => throw new InvalidGraphException($"A spatial operator needs a rank-3 [N, C, W] or rank-4 [N, C, H, W] input, not {Shapes.Format(shape)}."),
    };

    /// <summary>This shape written with <paramref name="rank"/> dimensions (3 drops the unit height).</summary>
    public int[] ToShape(int rank) => rank == 3 ? [Batch, Channels, Width] : [Batch, Channels, Height, Width];
}
