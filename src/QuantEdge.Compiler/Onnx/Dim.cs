namespace QuantEdge.Compiler.Onnx;

/// <summary>
/// One dimension of a declared ONNX shape: a number, a symbol (dim_param, e.g. "batch") or unknown.
/// Converts implicitly from int and string, so shapes read as <c>builder.Input("x", "N", 3, 32, 32)</c>.
/// </summary>
public readonly record struct Dim
{
    private Dim(long? value, string? symbol)
    {
        Value = value;
        Symbol = symbol;
    }

    public long? Value { get; }

    public string? Symbol { get; }

    /// <summary>A dimension with neither value nor name.</summary>
    public static Dim Unknown => default;

    public static implicit operator Dim(int value) => new(value, null);

    public static implicit operator Dim(string symbol) => new(null, symbol);

    public override string ToString() => Value?.ToString() ?? Symbol ?? "?";
}
