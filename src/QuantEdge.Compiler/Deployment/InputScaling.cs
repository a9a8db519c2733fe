using System.Globalization;

namespace QuantEdge.Compiler.Deployment;

/// <summary>
/// The integer form of a reading's scaling that the device applies (docs/node-format.md, Scaling):
/// raw = ((reading × <see cref="Multiplier"/> + 2^(<see cref="Shift"/>−1)) >> Shift) + <see cref="RawOffset"/>,
/// a 64-bit product and an arithmetic shift (rounds half up; with shift 0 no rounding term), where raw
/// counts units of 10^unitExponent of the feature, as the model's input rule takes it.
/// </summary>
public readonly record struct InputScaling(int Multiplier, int Shift, int RawOffset)
{
    public const int MaxShift = 62;

    /// <summary>How a problem with the offset (rather than the scale) begins, so that the caller can name that field.</summary>
    public const string OffsetProblemStart = "offset ";

    /// <summary>The raw value of a reading, exactly as the device computes it (in 128 bits, so an overflow shows).</summary>
    public Int128 Apply(long reading)
    {
        Int128 product = (Int128)reading * Multiplier + (Shift > 0 ? (Int128)1 << (Shift - 1) : 0);
        return (product >> Shift) + RawOffset;
    }

    /// <summary>
    /// The scaling for real = reading × <paramref name="scale"/> + <paramref name="offset"/> in units of
    /// 10^<paramref name="unitExponent"/>: Multiplier = round(scale / 10^e × 2^shift) with the largest
    /// shift 0..62 for which the multiplier fits an int32 and reading × multiplier + 2^(shift−1) fits an
    /// int64 for every reading in [<paramref name="minReading"/>, <paramref name="maxReading"/>];
    /// RawOffset = round(offset / 10^e). Rounding is to nearest, halves away from zero, in double precision.
    /// Returns null and a reason when no such scaling exists or a raw value leaves int32.
    /// </summary>
    public static InputScaling? For(double scale, double offset, int unitExponent, long minReading, long maxReading, out string problem)
    {
        double factor = ToUnits(scale, unitExponent);
        double rawOffset = Math.Round(ToUnits(offset, unitExponent), MidpointRounding.AwayFromZero);
        if (!(rawOffset >= int.MinValue && rawOffset <= int.MaxValue))
        {
            problem = $"{OffsetProblemStart}{Number(offset)} is {Number(rawOffset)} in units of 10^{unitExponent}, beyond int32";
            return null;
        }

        for (int shift = MaxShift; shift >= 0; shift--)
        {
            double multiplier = Math.Round(Math.ScaleB(factor, shift), MidpointRounding.AwayFromZero);
            if (multiplier < int.MinValue || multiplier > int.MaxValue)
            {
                continue;
            }

            if (multiplier == 0)
            {
                problem = $"scale {Number(scale)} is too small for the feature's unit 10^{unitExponent}: every reading gives the same raw value";
                return null;
            }

            var scaling = new InputScaling((int)multiplier, shift, (int)rawOffset);
            if (!scaling.ProductFits(minReading) || !scaling.ProductFits(maxReading))
            {
                continue;
            }

            foreach (long reading in new[] { minReading, maxReading })
            {
                Int128 raw = scaling.Apply(reading);
                if (raw < int.MinValue || raw > int.MaxValue)
                {
                    problem = $"scaling overflows: a reading of {Number(reading)} gives {Number((double)raw)} in units of 10^{unitExponent}, beyond int32";
                    return null;
                }
            }

            problem = "";
            return scaling;
        }

        problem = $"scale {Number(scale)} is {Number(factor)} units of 10^{unitExponent} per reading step: more than the 32-bit multiplier holds";
        return null;
    }

    /// <summary>A constant's raw value: round(value / 10^e), or null when it leaves int32.</summary>
    public static int? RawConstant(double value, int unitExponent)
    {
        double raw = Math.Round(ToUnits(value, unitExponent), MidpointRounding.AwayFromZero);
        return raw >= int.MinValue && raw <= int.MaxValue ? (int)raw : null;
    }

    /// <summary>value / 10^e; for e &lt; 0 as value × 10^−e, exact powers of ten up to 10^22.</summary>
    public static double ToUnits(double value, int unitExponent) =>
        unitExponent <= 0 ? value * Math.Pow(10, -unitExponent) : value / Math.Pow(10, unitExponent);

    private bool ProductFits(long reading)
    {
        Int128 product = (Int128)reading * Multiplier + (Shift > 0 ? (Int128)1 << (Shift - 1) : 0);
        return product >= long.MinValue && product <= long.MaxValue;
    }

    private static string Number(double value) => value.ToString(Math.Abs(value) >= 1e15 ? "G6" : "#,0.######", CultureInfo.InvariantCulture);
}
