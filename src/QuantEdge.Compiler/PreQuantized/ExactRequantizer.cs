using System.Numerics;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.PreQuantized;

/// <summary>
/// How closely a device requantization (Q31 multiplier and shift, <see cref="OutputStage.Requantize"/>)
/// reproduces ONNX's over every accumulator in [<see cref="AccumulatorMin"/>, <see cref="AccumulatorMax"/>].
/// </summary>
/// <param name="Mismatches">Accumulator values in the range whose output differs from ONNX's.</param>
/// <param name="MaxError">The largest difference, in output steps (0 when exact).</param>
/// <param name="Ties">
/// Outputs in the range reached at an exact tie (acc × m = k + ½), which ONNX rounds to even. The device
/// rounds every tie the same way, so ties of both parities are what can make exactness impossible.
/// </param>
public sealed record RequantizationFit(int Multiplier, int Shift, long AccumulatorMin, long AccumulatorMax, long Mismatches, int MaxError, int Ties)
{
    public bool Exact => Mismatches == 0;
}

/// <summary>
/// Chooses the device's requantization for a multiplier given exactly, so that the device computes
/// what ONNX specifies for QuantizeLinear and the QLinear operators: y = saturate(round(acc × m) + zp),
/// rounding half to even, with m the exact product and quotient of the float32 scales.
/// </summary>
/// <remarks>
/// The device computes MultiplyByQuantizedMultiplier: h = ⌊acc × M / 2^31 + ½⌋ (after acc &lt;&lt; shift when
/// the shift is positive), then for a negative shift h / 2^−shift rounded half away from zero. Both ONNX's
/// and the device's results are non-decreasing in acc, so they agree on the whole range exactly when, for
/// each output level, the first accumulator reaching it is the same. Each such condition bounds M from
/// one side; for every shift the multiplier can take (from TFLite's normalised one, M ≥ 2^30, up to 0)
/// the bounds intersect to the set of exact multipliers, so the search is exhaustive: when it finds none,
/// no multiplier and shift the device accepts reproduce ONNX on that range. That happens when the range
/// holds ties that round-half-to-even sends down and others it sends up (a fixed-point multiply rounds
/// every tie the same way), or, rarely, when the Q31 multiplier lacks the precision. Then the multiplier
/// closest to the real one is kept (each mismatch is one step) and the fit says how many accumulators differ.
/// </remarks>
public static class ExactRequantizer
{
    private const long Q31 = 1L << 31;

    /// <summary>ONNX's result: clamp(round_half_to_even(acc × m) + zeroPoint, min, max), computed exactly.</summary>
    public static int Reference(long acc, ExactRatio m, int zeroPoint, int min, int max)
    {
        BigInteger twice = 2 * acc * m.Numerator;
        BigInteger denominator = m.Denominator;
        BigInteger floor = FloorDiv(twice + denominator, 2 * denominator);
        // floor = ⌊acc·m + ½⌋; at an exact tie (acc·m + ½ an integer) go down when that integer is odd.
        if ((twice + denominator) % (2 * denominator) == 0 && !floor.IsEven)
        {
            floor -= 1;
        }

        return (int)BigInteger.Clamp(floor + zeroPoint, min, max);
    }

    /// <summary>
    /// The accumulators over which the result changes: from one below the first that leaves
    /// <paramref name="min"/> to the first that reaches <paramref name="max"/>. Outside it both ONNX and
    /// the device saturate (the device as long as acc × 2^shift does not overflow, see <see cref="Fit"/>).
    /// </summary>
    public static (long Min, long Max) TransitionRange(ExactRatio m, int zeroPoint, int min, int max)
    {
        BigInteger first = ReferenceThreshold(m, min - zeroPoint + 1) - 1;
        BigInteger last = ReferenceThreshold(m, max - zeroPoint);
        return ((long)BigInteger.Clamp(first, int.MinValue, int.MaxValue), (long)BigInteger.Clamp(last, int.MinValue, int.MaxValue));
    }

    /// <summary>
    /// The multiplier and shift that reproduce ONNX's requantization on every accumulator in
    /// [<paramref name="accMin"/>, <paramref name="accMax"/>] when one exists, else the one that
    /// mismatches fewest. A positive shift is only chosen when acc &lt;&lt; shift cannot overflow on the range.
    /// </summary>
    public static RequantizationFit Fit(ExactRatio m, long accMin, long accMax, int zeroPoint, int min = -128, int max = 127)
    {
        if (accMin > accMax || accMin < int.MinValue || accMax > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(accMin), $"accumulator range [{accMin}, {accMax}] is not an int32 range");
        }

        var levels = new List<Level>();
        int ties = 0;
        for (int level = min - zeroPoint + 1; level <= max - zeroPoint; level++)
        {
            BigInteger threshold = ReferenceThreshold(m, level, out bool tie);
            long clipped = (long)BigInteger.Clamp(threshold, accMin, accMax + 1);
            levels.Add(new Level(level, clipped));
            ties += tie && threshold > accMin && threshold <= accMax ? 1 : 0;
        }

        int natural = NormalisedShift(m);
        int[] shifts = Enumerable.Range(natural, Math.Max(0, natural) - natural + 1).Where(s => s is >= -31 and <= 30 && !Overflows(s, accMin, accMax)).ToArray();
        foreach (int shift in shifts)
        {
            if (ExactMultiplier(m, shift, levels, accMin, accMax) is int multiplier)
            {
                return new RequantizationFit(multiplier, shift, accMin, accMax, 0, 0, ties);
            }
        }

        // Single rounding (shift ≥ 0) first: on equal mismatches it wins.
        int[] closest = shifts.Length == 0 ? [Math.Clamp(natural, -31, 30)] : shifts.Where(s => s == natural || s == Math.Max(natural, 0)).Reverse().ToArray();
        return Closest(m, closest, levels, accMin, accMax, ties);
    }

    /// <summary>One output level: the first accumulator at which ONNX's unclamped result reaches <see cref="Value"/>, clipped to the range.</summary>
    private readonly record struct Level(int Value, long Threshold);

    /// <summary>The smallest acc with round_half_to_even(acc × m) ≥ level.</summary>
    private static BigInteger ReferenceThreshold(ExactRatio m, int level) => ReferenceThreshold(m, level, out _);

    private static BigInteger ReferenceThreshold(ExactRatio m, int level, out bool tie)
    {
        // acc·m ≥ level − ½  ⟺  acc·2P ≥ (2·level − 1)·Q; at equality the tie goes up only to an even level.
        BigInteger target = (2 * (BigInteger)level - 1) * m.Denominator;
        BigInteger step = 2 * m.Numerator;
        BigInteger below = FloorDiv(target, step);
        tie = below * step == target;
        return tie ? (level % 2 == 0 ? below : below + 1) : below + 1;
    }

    /// <summary>The shift of TFLite's normalised form: M = m × 2^(31 − shift) in [2^30, 2^31), i.e. 2^(shift−1) ≤ m &lt; 2^shift.</summary>
    private static int NormalisedShift(ExactRatio m)
    {
        int shift = (int)Math.Floor(Math.Log2(m.ToDouble())) + 1;
        while (CompareToPowerOfTwo(m, shift) >= 0)
        {
            shift++;
        }

        while (CompareToPowerOfTwo(m, shift - 1) < 0)
        {
            shift--;
        }

        return shift;
    }

    /// <summary>The sign of m − 2^exponent.</summary>
    private static int CompareToPowerOfTwo(ExactRatio m, int exponent) => exponent >= 0
        ? m.Numerator.CompareTo(m.Denominator << exponent)
        : (m.Numerator << -exponent).CompareTo(m.Denominator);

    /// <summary>A left shift of every accumulator in range must stay within int32 (the device shifts before multiplying).</summary>
    private static bool Overflows(int shift, long accMin, long accMax) =>
        shift > 0 && Math.Max(Math.Abs(accMin), Math.Abs(accMax)) > int.MaxValue >> shift;

    /// <summary>
    /// The accumulator from which the device's result reaches <paramref name="level"/>, for multiplier
    /// M and a shift: acc ≥ ⌈c / divisor⌉ with c and divisor from <see cref="DeviceBound"/>.
    /// </summary>
    private static Int128 DeviceThreshold(long multiplier, int shift, int level)
    {
        (Int128 c, Int128 divisor) = DeviceBound(multiplier, shift, level);
        return CeilDiv(c, divisor);
    }

    /// <summary>
    /// The device's result is ≥ level exactly when acc × divisor ≥ c. The high multiply gives
    /// h = ⌊acc·divisor / 2^31 + ½⌋, so h ≥ H ⟺ acc·divisor ≥ (2H − 1)·2^30; with a right shift k,
    /// round_half_away(h / 2^k) ≥ level ⟺ h ≥ level·2^k − 2^(k−1), plus one for level ≤ 0 (a negative tie rounds down).
    /// </summary>
    private static (Int128 C, Int128 Divisor) DeviceBound(long multiplier, int shift, int level)
    {
        if (shift >= 0)
        {
            return ((2 * (Int128)level - 1) << 30, (Int128)multiplier << shift);
        }

        int k = -shift;
        Int128 h = ((Int128)level << k) - ((Int128)1 << (k - 1)) + (level <= 0 ? 1 : 0);
        return ((2 * h - 1) << 30, multiplier);
    }

    /// <summary>The multiplier for <paramref name="shift"/> closest to the ideal one whose thresholds all match, or null.</summary>
    private static int? ExactMultiplier(ExactRatio m, int shift, List<Level> levels, long accMin, long accMax)
    {
        // With the multiplier as the unknown, "threshold ≤ X" and "threshold ≥ Y" each bound it from one side.
        Int128 low = 1, high = int.MaxValue;
        foreach (Level level in levels)
        {
            (Int128 c, Int128 unit) = DeviceBound(1, shift, level.Value);
            bool atStart = level.Threshold <= accMin, atEnd = level.Threshold > accMax;
            if (!atEnd && !Bound(c, unit, level.Threshold, upper: true, ref low, ref high))
            {
                return null;
            }

            if (!atStart && !Bound(c, unit, level.Threshold, upper: false, ref low, ref high))
            {
                return null;
            }
        }

        if (low > high)
        {
            return null;
        }

        Int128 ideal = (Int128)(long)Math.Clamp(Math.Round(m.ToDouble() * Math.Pow(2, 31 - shift)), 1, int.MaxValue);
        return (int)Int128.Clamp(ideal, low, high);
    }

    /// <summary>
    /// Narrows [low, high] (multipliers M, the divisor being M × unit) so that the device threshold
    /// ⌈c / (M·unit)⌉ is ≤ x (<paramref name="upper"/>) or ≥ x; false when no multiplier can.
    /// </summary>
    private static bool Bound(Int128 c, Int128 unit, long x, bool upper, ref Int128 low, ref Int128 high)
    {
        if (upper)
        {
            // ⌈c/D⌉ ≤ x ⟺ c ≤ x·D.
            if (x > 0)
            {
                low = Int128.Max(low, CeilDiv(CeilDiv(c, x), unit));
            }
            else if (x < 0)
            {
                high = Int128.Min(high, FloorDiv(FloorDiv(c, x), unit));
            }
            else if (c > 0)
            {
                return false;
            }
        }
        else
        {
            // ⌈c/D⌉ ≥ x ⟺ c > (x − 1)·D.
            long z = x - 1;
            if (z > 0)
            {
                high = Int128.Min(high, FloorDiv(CeilDiv(c, z) - 1, unit));
            }
            else if (z < 0)
            {
                low = Int128.Max(low, CeilDiv(FloorDiv(c, z) + 1, unit));
            }
            else if (c <= 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// No exact multiplier: the one closest to the real multiplier (rounded, for TFLite's normalised
    /// shift and for the single-rounding shift), whichever mismatches fewer accumulators. With it the
    /// device rounds exact ties up, as TFLite does; minimising mismatches further would trade ties of one
    /// direction for ties of the other and bias the multiplier for no real gain.
    /// </summary>
    private static RequantizationFit Closest(ExactRatio m, int[] shifts, List<Level> levels, long accMin, long accMax, int ties)
    {
        RequantizationFit? best = null;
        foreach (int shift in shifts)
        {
            long multiplier = (long)Math.Clamp(Math.Round(m.ToDouble() * Math.Pow(2, 31 - shift)), 1, int.MaxValue);
            (long mismatches, int maxError) = Mismatches(multiplier, shift, levels, accMin, accMax);
            if (best == null || mismatches < best.Mismatches)
            {
                best = new RequantizationFit((int)multiplier, shift, accMin, accMax, mismatches, maxError, ties);
            }
        }

        return best!;
    }

    /// <summary>
    /// Between ONNX's and the device's threshold of a level, the two results differ by that level's
    /// step; the accumulators in any such gap mismatch, by as many steps as gaps overlap there.
    /// </summary>
    private static (long Mismatches, int MaxError) Mismatches(long multiplier, int shift, List<Level> levels, long accMin, long accMax)
    {
        long accMaxPlusOne = accMax + 1;
        var events = new List<(long At, int Delta)>();
        foreach (Level level in levels)
        {
            long device = (long)Int128.Clamp(DeviceThreshold(multiplier, shift, level.Value), accMin, accMaxPlusOne);
            if (device != level.Threshold)
            {
                events.Add((Math.Min(device, level.Threshold), 1));
                events.Add((Math.Max(device, level.Threshold), -1));
            }
        }

        long covered = 0;
        int depth = 0, deepest = 0;
        long previous = 0;
        foreach ((long at, int delta) in events.OrderBy(e => e.At).ThenBy(e => e.Delta))
        {
            covered += depth > 0 ? at - previous : 0;
            depth += delta;
            deepest = Math.Max(deepest, depth);
            previous = at;
        }

        return (covered, deepest);
    }

    private static BigInteger FloorDiv(BigInteger a, BigInteger b)
    {
        BigInteger quotient = BigInteger.DivRem(a, b, out BigInteger remainder);
        return remainder != 0 && (remainder.Sign < 0) != (b.Sign < 0) ? quotient - 1 : quotient;
    }

    private static Int128 FloorDiv(Int128 a, Int128 b)
    {
        Int128 quotient = a / b;
        return a % b != 0 && (a < 0) != (b < 0) ? quotient - 1 : quotient;
    }

    private static Int128 CeilDiv(Int128 a, Int128 b) => -FloorDiv(-a, b);
}
