namespace QuantEdge.Compiler.Graph;

/// <summary>A pair of spatial sizes (kernel, stride or dilation) along height and width.</summary>
public readonly record struct Size2D(int Height, int Width)
{
    public override string ToString() => $"{Height}x{Width}";
}

/// <summary>Zero padding on each side of the spatial plane, in elements.</summary>
public readonly record struct Padding2D(int Top, int Left, int Bottom, int Right)
{
    public static Padding2D None => default;

    public override string ToString() => $"top {Top}, left {Left}, bottom {Bottom}, right {Right}";
}
