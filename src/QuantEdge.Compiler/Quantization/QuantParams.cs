namespace QuantEdge.Compiler.Quantization;

/// <summary>
/// Affine int8 quantization of one tensor: real = (q − ZeroPoint) × Scale, q in [−128, 127].
/// Scales are float32, as the blob stores them and as the device's multipliers are derived from them.
/// </summary>
public readonly record struct QuantParams(float Scale, int ZeroPoint)
{
    /// <summary>
    /// Asymmetric int8 over a real range. The range is widened to include 0 so that zero (padding,
    /// ReLU's floor) is exactly representable, and the zero point is the integer that maps to 0.
    /// </summary>
    public static QuantParams FromRange(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max)
        {
            throw new ArgumentException($"invalid range [{min}, {max}]");
        }

        min = Math.Min(min, 0);
        max = Math.Max(max, 0);
        if (max - min < 1e-30)
        {
            // A constant zero tensor: any scale represents it; keep one that stays finite downstream.
            return new QuantParams(1f / 256, -128);
        }

        float scale = (float)((max - min) / 255.0);
        int zeroPoint = (int)Math.Clamp(Math.Round(-128 - min / scale, MidpointRounding.AwayFromZero), -128, 127);
        return new QuantParams(scale, zeroPoint);
    }

    public int Quantize(double real) =>
        (int)Math.Clamp(Math.Round(real / Scale, MidpointRounding.AwayFromZero) + ZeroPoint, -128, 127);

    public double Dequantize(int q) => (q - ZeroPoint) * (double)Scale;

    /// <summary>The real value of the lowest and highest int8 code.</summary>
    public (double Min, double Max) Range => (Dequantize(-128), Dequantize(127));

    /// <summary>The int8 code of a real bound, clamped: e.g. ReLU's 0 becomes the zero point.</summary>
    public int Clamp(double real) => Quantize(real);
}
