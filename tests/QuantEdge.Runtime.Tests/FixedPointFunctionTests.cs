using CsCheck;

namespace QuantEdge.Runtime.Tests;

/// <summary>
/// gemmlowp's fixed-point exp and reciprocal (what the int8 softmax is built from) against double
/// precision. Tolerances are absolute, in real units, and come from the approximations themselves;
/// the measured worst cases over dense sweeps are quoted beside each.
/// </summary>
public class FixedPointFunctionTests
{
    private const double Q31 = 2147483648.0;
    private const double Q26 = 67108864.0;
    private const long Iterations = 300_000;

    /// <summary>
    /// A 4th-order Taylor expansion around -1/8 on an interval of half-width 1/8: the remainder is at
    /// most (1/8)^5 / 5! ≈ 2.54e-7, and the seven rounded fixed-point steps add a few 2^-31. Measured
    /// worst: 2.29e-7.
    /// </summary>
    [Fact]
    public void ExpOnIntervalNegativeQuarterToZero_IsWithinTheTaylorRemainder() =>
        Gen.Frequency((9, Gen.Int[-(1 << 29), -1]), (1, Gen.OneOf(-(1 << 29), -(1 << 28), -1))).Sample(
            a => Math.Abs(FixedPoint.ExpOnIntervalNegativeQuarterToZero(a) / Q31 - Math.Exp(a / Q31)) <= 2.6e-7,
            iter: Iterations, threads: 1);

    /// <summary>
    /// The interval part carries the same 2.6e-7 bound; the barrel multipliers are all below 1 and
    /// only shrink it, adding at most seven roundings of 2^-31. Measured worst: 2.29e-7.
    /// </summary>
    [Fact]
    public void ExpOnNegativeValues_IsWithinTheIntervalBound() =>
        Gen.Frequency((9, Gen.Int[int.MinValue, 0]), (1, Gen.Int[-(1 << 26), 0]), (1, Gen.OneOf(int.MinValue, -(1 << 24), -1))).Sample(
            a => Math.Abs(FixedPoint.ExpOnNegativeValues(a) / Q31 - Math.Exp(a / Q26)) <= 2.6e-7,
            iter: Iterations, threads: 1);

    [Fact]
    public void ExpOnNegativeValues_OfZeroIsOneSaturated()
    {
        Assert.Equal(int.MaxValue, FixedPoint.ExpOnNegativeValues(0));
        // exp(-32) ≈ 1.3e-14 is below one step of Q0.31.
        Assert.Equal(0, FixedPoint.ExpOnNegativeValues(int.MinValue));
    }

    /// <summary>
    /// Three Newton-Raphson steps from 48/17 - 32/17·d leave a method error near 1e-13; the rest is
    /// the rounding of about ten fixed-point steps in Q2.29 (2^-29 ≈ 1.9e-9 each, partly cancelling).
    /// Measured worst: 3.1e-9.
    /// </summary>
    [Fact]
    public void OneOverOnePlusX_IsWithinTenNanoUnits() =>
        Gen.Frequency((9, Gen.Int[0, int.MaxValue]), (1, Gen.OneOf(0, 1, int.MaxValue, 1 << 30))).Sample(
            a => Math.Abs(FixedPoint.OneOverOnePlusX(a) / Q31 - 1 / (1 + a / Q31)) <= 1e-8,
            iter: Iterations, threads: 1);

    /// <summary>
    /// Normalising to 1 + y is exact, so the error is <see cref="FixedPoint.OneOverOnePlusX"/>'s, relative:
    /// within 2e-8 (measured 4.6e-9). bitsOverUnit is floor(log2 x).
    /// </summary>
    [Fact]
    public void Reciprocal_OfQ12_19_IsWithinTwentyNanoRelative() =>
        Gen.Frequency((9, Gen.Int[1 << 19, int.MaxValue]), (1, Gen.OneOf(1 << 19, (1 << 20) - 1, 1 << 20, int.MaxValue))).Sample(
            x =>
            {
                int significand = FixedPoint.Reciprocal(x, 12, out int bitsOverUnit);
                double real = x / 524288.0;
                double got = significand / Q31 * Math.Pow(2, -bitsOverUnit);
                return bitsOverUnit == (int)Math.Floor(Math.Log2(real)) && Math.Abs(got - 1 / real) * real <= 2e-8;
            },
            iter: Iterations, threads: 1);
}
