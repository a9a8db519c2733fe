namespace QuantEdge.Compiler.Quantization;

/// <summary>
/// 256-entry tables for the device's <see cref="QuantEdge.Runtime.Kernels.Lookup"/> kernel: any unary
/// activation, evaluated in double on every int8 input and quantized once, here.
/// </summary>
public static class LookupTable
{
    /// <summary>TFLite's int8 sigmoid output quantization: [0, 1) in steps of 1/256.</summary>
    public const double SigmoidOutputScale = 1.0 / 256;

    /// <summary>Zero point that goes with <see cref="SigmoidOutputScale"/>.</summary>
    public const int SigmoidOutputZeroPoint = -128;

    /// <summary>TFLite's int8 tanh output quantization: [-1, 1) in steps of 1/128.</summary>
    public const double TanhOutputScale = 1.0 / 128;

    /// <summary>Zero point that goes with <see cref="TanhOutputScale"/>.</summary>
    public const int TanhOutputZeroPoint = 0;

    /// <summary>
    /// Table[q + 128] = clamp(round(f((q - inZeroPoint) × inScale) / outScale) + outZeroPoint, -128, 127),
    /// rounding half away from zero (TFLite's lookup tables round so).
    /// </summary>
    public static sbyte[] Build(Func<double, double> f, double inputScale, int inputZeroPoint, double outputScale, int outputZeroPoint)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputScale);
        var table = new sbyte[256];
        for (int q = sbyte.MinValue; q <= sbyte.MaxValue; q++)
        {
            double y = f((q - inputZeroPoint) * inputScale);
            if (double.IsNaN(y))
            {
                throw new ArgumentException($"The function is NaN at input {q} (real {(q - inputZeroPoint) * inputScale}).", nameof(f));
            }

            double quantized = Math.Round(y / outputScale, MidpointRounding.AwayFromZero) + outputZeroPoint;
            table[q + 128] = (sbyte)Math.Clamp(quantized, sbyte.MinValue, sbyte.MaxValue);
        }

        return table;
    }

    /// <summary>Logistic sigmoid onto <see cref="SigmoidOutputScale"/> / <see cref="SigmoidOutputZeroPoint"/>.</summary>
    public static sbyte[] Sigmoid(double inputScale, int inputZeroPoint) =>
        Build(x => 1 / (1 + Math.Exp(-x)), inputScale, inputZeroPoint, SigmoidOutputScale, SigmoidOutputZeroPoint);

    /// <summary>Hyperbolic tangent onto <see cref="TanhOutputScale"/> / <see cref="TanhOutputZeroPoint"/>.</summary>
    public static sbyte[] Tanh(double inputScale, int inputZeroPoint) =>
        Build(Math.Tanh, inputScale, inputZeroPoint, TanhOutputScale, TanhOutputZeroPoint);
}
