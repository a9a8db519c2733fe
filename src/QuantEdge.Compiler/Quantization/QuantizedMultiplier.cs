namespace QuantEdge.Compiler.Quantization;

/// <summary>
/// A real scale factor as the device applies it: a Q0.31 multiplier in [2^30, 2^31) and a
/// power-of-two shift (positive = left), so that real ≈ Multiplier / 2^31 × 2^Shift.
/// </summary>
public readonly record struct QuantizedMultiplier(int Multiplier, int Shift)
{
    /// <summary>
    /// Decomposes a non-negative real multiplier as TFLite's QuantizeMultiplier does: frexp, round the
    /// significand to 31 bits (half away from zero), renormalise if rounding reached 2^31, and flush
    /// multipliers too small for any shift (below 2^-32) to zero. Shifts above 30 are capped, as
    /// TFLite caps them, at the largest multiplier.
    /// </summary>
    public static QuantizedMultiplier FromReal(double real)
    {
        if (double.IsNaN(real) || real < 0 || double.IsInfinity(real))
        {
            throw new ArgumentOutOfRangeException(nameof(real), real, "A requantization multiplier must be finite and non-negative.");
        }

        if (real == 0)
        {
            return new QuantizedMultiplier(0, 0);
        }

        (double significand, int exponent) = Frexp(real);
        long q = (long)Math.Round(significand * (1L << 31), MidpointRounding.AwayFromZero);
        if (q == 1L << 31)
        {
            q /= 2;
            exponent++;
        }

        if (exponent < -31)
        {
            return new QuantizedMultiplier(0, 0);
        }

        if (exponent > 30)
        {
            return new QuantizedMultiplier(int.MaxValue, 30);
        }

        return new QuantizedMultiplier((int)q, exponent);
    }

    /// <summary>The real value this pair stands for.</summary>
    public double ToReal() => Multiplier / 2147483648.0 * Math.Pow(2, Shift);

    /// <summary>C's frexp: real = significand × 2^exponent with significand in [0.5, 1).</summary>
    private static (double Significand, int Exponent) Frexp(double value)
    {
        int exponent = Math.ILogB(value) + 1;
        double significand = Math.ScaleB(value, -exponent);
        return (significand, exponent);
    }
}
