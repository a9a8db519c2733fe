using System.Numerics;
using CsCheck;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime;

namespace QuantEdge.Runtime.Tests;

/// <summary>
/// The fixed-point primitives against exact BigInteger references of their definitions: edge cases
/// by name, then millions of random cases (CsCheck), biased toward the boundaries.
/// </summary>
public class FixedPointTests
{
    private const long PropertyIterations = 2_000_000;

    // ---- exact references ---------------------------------------------------------------

    /// <summary>floor(a·b / 2^31 + 1/2), saturated: the value SRDHM is defined to return.</summary>
    private static int ReferenceSrdhm(int a, int b)
    {
        BigInteger twice = (BigInteger)a * b * 2 + (BigInteger.One << 31);
        BigInteger result = FloorDiv(twice, BigInteger.One << 32);
        return result > int.MaxValue ? int.MaxValue : (int)result;
    }

    /// <summary>x / 2^e rounded to nearest, ties away from zero.</summary>
    private static int ReferenceRoundingDivide(int x, int e)
    {
        BigInteger denominator = BigInteger.One << e;
        BigInteger magnitude = FloorDiv(BigInteger.Abs(x) * 2 + denominator, denominator * 2);
        return (int)(x < 0 ? -magnitude : magnitude);
    }

    private static int ReferenceMbqm(int x, int multiplier, int shift)
    {
        int shifted = unchecked((int)((long)x << Math.Max(shift, 0)));
        return ReferenceRoundingDivide(ReferenceSrdhm(shifted, multiplier), Math.Max(-shift, 0));
    }

    private static BigInteger FloorDiv(BigInteger n, BigInteger d)
    {
        BigInteger q = BigInteger.DivRem(n, d, out BigInteger r);
        return r < 0 ? q - 1 : q;
    }

    /// <summary>Ints with extra weight on the values where rounding and saturation change.</summary>
    private static readonly Gen<int> EdgeInt = Gen.Frequency(
        (6, Gen.Int),
        (1, Gen.OneOf(int.MinValue, int.MinValue + 1, -1, 0, 1, int.MaxValue - 1, int.MaxValue, 1 << 30, -(1 << 30))),
        (2, Gen.Int[-1000, 1000]));

    // ---- edge cases ---------------------------------------------------------------------

    [Fact]
    public void Srdhm_SaturatesOnlyForMinValueSquared()
    {
        Assert.Equal(int.MaxValue, FixedPoint.SaturatingRoundingDoublingHighMul(int.MinValue, int.MinValue));
        // (2^31 - 1) · 2^31 / 2^31 is exactly int.MaxValue: representable, so not a saturation.
        Assert.Equal(int.MaxValue, FixedPoint.SaturatingRoundingDoublingHighMul(int.MinValue + 1, int.MinValue));
        Assert.Equal(-int.MaxValue, FixedPoint.SaturatingRoundingDoublingHighMul(int.MinValue, int.MaxValue));
    }

    [Theory]
    [InlineData(1 << 30, 1, 1)]           // +0.5 rounds up
    [InlineData(-(1 << 30), 1, 0)]        // -0.5 rounds toward +infinity (the nudge is 1 - 2^30)
    [InlineData(-(1 << 30) - 1, 1, -1)]   // just below -0.5 rounds down
    [InlineData(3 << 29, -2, -1)]         // -1.5 → -1
    [InlineData(0, int.MinValue, 0)]
    public void Srdhm_RoundsTiesTowardPlusInfinity(int a, int b, int expected)
    {
        Assert.Equal(expected, FixedPoint.SaturatingRoundingDoublingHighMul(a, b));
        Assert.Equal(ReferenceSrdhm(a, b), expected);
    }

    [Theory]
    [InlineData(5, 1, 3)]
    [InlineData(-5, 1, -3)]               // negative tie: away from zero
    [InlineData(-3, 1, -2)]
    [InlineData(-1, 1, -1)]
    [InlineData(-6, 2, -2)]               // -1.5 → -2
    [InlineData(-7, 2, -2)]
    [InlineData(6, 2, 2)]
    [InlineData(12345, 0, 12345)]         // shift 0 is the identity
    [InlineData(-12345, 0, -12345)]
    [InlineData(int.MaxValue, 31, 1)]     // shift 31: everything rounds to -1, 0 or 1
    [InlineData(int.MinValue, 31, -1)]
    [InlineData(1 << 30, 31, 1)]          // exactly +0.5
    [InlineData(-(1 << 30), 31, -1)]      // exactly -0.5
    [InlineData((1 << 30) - 1, 31, 0)]
    public void RoundingDivide_Cases(int x, int exponent, int expected)
    {
        Assert.Equal(expected, FixedPoint.RoundingDivideByPowerOfTwo(x, exponent));
        Assert.Equal(ReferenceRoundingDivide(x, exponent), expected);
    }

    [Fact]
    public void Mbqm_ShiftExtremes()
    {
        // shift 0 with the largest multiplier is (almost) the identity; shift -31 leaves -1, 0 or 1.
        Assert.Equal(1000, FixedPoint.MultiplyByQuantizedMultiplier(1000, int.MaxValue, 0));
        Assert.Equal(0, FixedPoint.MultiplyByQuantizedMultiplier(1000, 1 << 30, -31));
        Assert.Equal(2, FixedPoint.MultiplyByQuantizedMultiplier(int.MaxValue, int.MaxValue, -30));
        // A left shift wraps like the int32 reference does, before the multiply.
        Assert.Equal(ReferenceMbqm(int.MaxValue, 1 << 30, 4), FixedPoint.MultiplyByQuantizedMultiplier(int.MaxValue, 1 << 30, 4));
    }

    [Theory]
    [InlineData(0u, 32)]
    [InlineData(1u, 31)]
    [InlineData(0x80000000u, 0)]
    [InlineData(0x00010000u, 15)]
    [InlineData(0x7FFFFFFFu, 1)]
    public void CountLeadingZeros_Cases(uint x, int expected) =>
        Assert.Equal(expected, FixedPoint.CountLeadingZeros(x));

    // ---- properties over millions of cases ----------------------------------------------

    [Fact]
    public void Srdhm_MatchesExactReference() =>
        Gen.Select(EdgeInt, EdgeInt).Sample(
            (a, b) => FixedPoint.SaturatingRoundingDoublingHighMul(a, b) == ReferenceSrdhm(a, b),
            iter: PropertyIterations, threads: 1);

    [Fact]
    public void RoundingDivide_MatchesExactReference() =>
        Gen.Select(EdgeInt, Gen.Int[0, 31]).Sample(
            (x, e) => FixedPoint.RoundingDivideByPowerOfTwo(x, e) == ReferenceRoundingDivide(x, e),
            iter: PropertyIterations, threads: 1);

    [Fact]
    public void Mbqm_MatchesExactReference() =>
        Gen.Select(EdgeInt, Gen.Int[1 << 30, int.MaxValue], Gen.Int[-31, 30]).Sample(
            (x, m, s) => FixedPoint.MultiplyByQuantizedMultiplier(x, m, s) == ReferenceMbqm(x, m, s),
            iter: PropertyIterations, threads: 1);

    /// <summary>Without overflow, double rounding stays within one unit of the exact real product.</summary>
    [Fact]
    public void Mbqm_IsWithinOneOfTheExactProduct() =>
        Gen.Select(Gen.Int[-(1 << 20), 1 << 20], Gen.Int[1 << 30, int.MaxValue], Gen.Int[-31, 10]).Sample(
            (x, m, s) =>
            {
                double exact = x * (m / 2147483648.0) * Math.Pow(2, s);
                return Math.Abs(FixedPoint.MultiplyByQuantizedMultiplier(x, m, s) - exact) <= 1.0;
            },
            iter: PropertyIterations, threads: 1);

    [Fact]
    public void RoundingHalfSum_MatchesExactReference() =>
        Gen.Select(EdgeInt, EdgeInt).Sample(
            (a, b) =>
            {
                BigInteger sum = (BigInteger)a + b;
                BigInteger expected = BigInteger.Divide(sum + (sum >= 0 ? 1 : -1), 2);
                return FixedPoint.RoundingHalfSum(a, b) == (int)expected;
            },
            iter: PropertyIterations, threads: 1);

    /// <summary>The fused output stage equals the composition of the primitives it inlines.</summary>
    [Fact]
    public void OutputStageRequantize_EqualsTheComposedPrimitives() =>
        Gen.Select(EdgeInt, Gen.Int[0, int.MaxValue], Gen.Int[-31, 30], Gen.Int[-128, 127], Gen.Int[-128, 127]).Sample(
            (acc, m, s, zp, bound) =>
            {
                int min = Math.Min(bound, zp), max = Math.Max(bound, zp);
                int expected = Math.Clamp(FixedPoint.MultiplyByQuantizedMultiplier(acc, m, s) + zp, min, max);
                return QuantEdge.Runtime.Kernels.OutputStage.Requantize(acc, m, s, zp, min, max) == expected;
            },
            iter: PropertyIterations, threads: 1);

    /// <summary>
    /// The same on round multipliers and small accumulators, where both roundings meet exact ties (a random
    /// multiplier almost never does): halves of the doubling high multiply and of the rounding divide, either sign.
    /// </summary>
    [Fact]
    public void OutputStageRequantize_EqualsTheComposedPrimitivesOnTies() =>
        Gen.Select(Gen.Int[-70_000, 70_000], Gen.OneOf(0, 1, 1 << 30, 3 << 28, (1 << 30) + 1, int.MaxValue), Gen.Int[-12, 3], Gen.Int[-128, 127]).Sample(
            (acc, m, s, zp) =>
            {
                int expected = Math.Clamp(FixedPoint.MultiplyByQuantizedMultiplier(acc, m, s) + zp, -128, 127);
                return QuantEdge.Runtime.Kernels.OutputStage.Requantize(acc, m, s, zp, -128, 127) == expected;
            },
            iter: PropertyIterations, threads: 1);

    /// <summary>The packed pair's output stage gives each lane what <see cref="QuantEdge.Runtime.Kernels.OutputStage.Requantize"/> gives it, the high lane only when that channel exists.</summary>
    [Fact]
    public void OutputStageRequantizePair_EqualsRequantizeOnEachLane() =>
        Gen.Select(EdgeInt, EdgeInt, Gen.Int[0, int.MaxValue], Gen.Int[-31, 30], Gen.Int[0, int.MaxValue], Gen.Int[-31, 30], Gen.Int[-128, 127], Gen.Bool).Sample(
            (low, high, m0, s0, m1, s1, zp, odd) =>
            {
                long packed = QuantEdge.Runtime.Kernels.Dot.PackLanes(low, high);
                sbyte[] arena = { 7, 7, 7, 7 };
                QuantEdge.Runtime.Kernels.OutputStage.RequantizePair(packed, new[] { 0, m0, m1 }, new[] { 0, s0, s1 }, 1, odd ? 2 : 3, zp, -100, 90, arena, 0);
                return arena[1] == QuantEdge.Runtime.Kernels.OutputStage.Requantize(low, m0, s0, zp, -100, 90)
                    && arena[2] == (odd ? 7 : QuantEdge.Runtime.Kernels.OutputStage.Requantize(high, m1, s1, zp, -100, 90))
                    && arena[0] == 7 && arena[3] == 7;
            },
            iter: PropertyIterations / 4, threads: 1);

    /// <summary>
    /// A compact channel scale expands to a normalised Q31 multiplier and shift whose value is the
    /// base times 2^(−index/32), to within 2^−29 relative (the rounding of two Q31 values).
    /// </summary>
    [Fact]
    public void ChannelScales_ExpandToTheBaseTimesTheGridStep() =>
        Gen.Select(Gen.Int[1 << 30, int.MaxValue], Gen.Int[-20, 30], Gen.Int[0, 255]).Sample(
            (m, s, k) =>
            {
                QuantEdge.Runtime.Format.ChannelScales.Expand(m, s, k, out int multiplier, out int shift);
                double expected = m * Math.Pow(2, s - k / 32.0);
                double actual = multiplier * Math.Pow(2, shift);
                return multiplier >= 1 << 30 && Math.Abs(actual / expected - 1) <= Math.Pow(2, -29);
            },
            iter: 200_000, threads: 1);

    // ---- host-side decomposition of a real scale ----------------------------------------

    [Theory]
    [InlineData(0.5, 1 << 30, 0)]
    [InlineData(1.0, 1 << 30, 1)]
    [InlineData(0.25, 1 << 30, -1)]
    [InlineData(0.0, 0, 0)]
    [InlineData(1e-12, 0, 0)]               // below 2^-32: flushed to zero like TFLite
    public void QuantizeMultiplier_KnownValues(double real, int multiplier, int shift) =>
        Assert.Equal(new QuantizedMultiplier(multiplier, shift), QuantizedMultiplier.FromReal(real));

    [Fact]
    public void QuantizeMultiplier_RoundingToTwoPow31Renormalises()
    {
        // The largest double below 1.0 rounds to 2^31 in Q31 and must come back as 2^30 with shift + 1.
        QuantizedMultiplier q = QuantizedMultiplier.FromReal(Math.BitDecrement(1.0));
        Assert.Equal(new QuantizedMultiplier(1 << 30, 1), q);
    }

    [Fact]
    public void QuantizeMultiplier_IsWithinHalfAnUlpOfQ31() =>
        Gen.Double[1e-9, 1e6].Sample(
            real =>
            {
                QuantizedMultiplier q = QuantizedMultiplier.FromReal(real);
                if (q.Multiplier < (1 << 30)) return false;
                double relative = Math.Abs(q.ToReal() - real) / real;
                return relative <= Math.Pow(2, -31);
            },
            iter: 200_000, threads: 1);

    [Fact]
    public void QuantizeMultiplier_RejectsNegativeAndNaN()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedMultiplier.FromReal(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedMultiplier.FromReal(double.NaN));
    }
}
