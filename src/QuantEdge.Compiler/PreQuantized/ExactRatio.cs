using System.Numerics;

namespace QuantEdge.Compiler.PreQuantized;

/// <summary>
/// A positive rational number held exactly: a requantization multiplier such as
/// x_scale × w_scale / y_scale, each scale the exact value of its float32 (or a power of ten).
/// </summary>
public readonly record struct ExactRatio
{
    public ExactRatio(BigInteger numerator, BigInteger denominator)
    {
        if (numerator.Sign <= 0 || denominator.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(numerator), $"{numerator}/{denominator}: a requantization multiplier must be positive.");
        }

        BigInteger divisor = BigInteger.GreatestCommonDivisor(numerator, denominator);
        Numerator = numerator / divisor;
        Denominator = denominator / divisor;
    }

    public BigInteger Numerator { get; }

    public BigInteger Denominator { get; }

    /// <summary>The exact value of a positive, finite float32.</summary>
    public static ExactRatio FromFloat(float value)
    {
        if (!float.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A scale must be positive and finite.");
        }

        int bits = BitConverter.SingleToInt32Bits(value);
        int exponent = (bits >> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        // Normal numbers carry the hidden bit; subnormals have exponent 1 without it.
        BigInteger significand = exponent == 0 ? mantissa : mantissa | 0x800000;
        int power = (exponent == 0 ? 1 : exponent) - 127 - 23;
        return power >= 0
            ? new ExactRatio(significand << power, BigInteger.One)
            : new ExactRatio(significand, BigInteger.One << -power);
    }

    /// <summary>10^exponent.</summary>
    public static ExactRatio PowerOfTen(int exponent) => exponent >= 0
        ? new ExactRatio(BigInteger.Pow(10, exponent), BigInteger.One)
        : new ExactRatio(BigInteger.One, BigInteger.Pow(10, -exponent));

    public static ExactRatio operator *(ExactRatio a, ExactRatio b) => new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static ExactRatio operator /(ExactRatio a, ExactRatio b) => new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    public double ToDouble() => Math.Exp(BigInteger.Log(Numerator) - BigInteger.Log(Denominator));

    public override string ToString() => ToDouble().ToString("G9", System.Globalization.CultureInfo.InvariantCulture);
}
