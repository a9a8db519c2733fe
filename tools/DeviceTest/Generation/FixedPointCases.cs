using QuantEdge.Runtime;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.DeviceTest.Generation;

/// <summary>
/// Pseudo-random arguments for every fixed-point primitive (and the kernels' fused output stage),
/// with the results the .NET build of the runtime computes for them: the device must compute the
/// same bits. One record per function, named after it; arguments and results interleaved per case.
/// </summary>
public static class FixedPointCases
{
    public const int CasesPerFunction = 500;

    private static readonly string[] Fields = ["cases", "arguments", "results"];
    private static readonly string[] Arrays = ["arguments", "results"];

    /// <summary>A function under test: how to draw its arguments and what the host computes from them.</summary>
    private sealed record Function(string Name, Func<CasePrng, int[]> Arguments, Func<int[], int[]> Results);

    private static readonly Function[] Functions =
    [
        new("SaturatingRoundingDoublingHighMul", r => [r.EdgeWeighted(), r.EdgeWeighted()],
            a => [FixedPoint.SaturatingRoundingDoublingHighMul(a[0], a[1])]),
        new("RoundingDivideByPowerOfTwo", r => [r.EdgeWeighted(), r.Between(0, 31)],
            a => [FixedPoint.RoundingDivideByPowerOfTwo(a[0], a[1])]),
        new("MultiplyByQuantizedMultiplier", r => [r.EdgeWeighted(), Multiplier(r), r.Between(-31, 30)],
            a => [FixedPoint.MultiplyByQuantizedMultiplier(a[0], a[1], a[2])]),
        new("SaturatingShiftLeft", r => [r.EdgeWeighted(), r.Between(1, 30)],
            a => [FixedPoint.SaturatingShiftLeft(a[0], a[1])]),
        new("RoundingHalfSum", r => [r.EdgeWeighted(), r.EdgeWeighted()],
            a => [FixedPoint.RoundingHalfSum(a[0], a[1])]),
        new("CountLeadingZeros", r => [r.EdgeWeighted() >>> r.Between(0, 31)],
            a => [FixedPoint.CountLeadingZeros((uint)a[0])]),
        // exp on [-1/4, 0) in Q0.31: arguments in [-2^29, -1].
        new("ExpOnIntervalNegativeQuarterToZero", r => [r.Between(-(1 << 29), -1)],
            a => [FixedPoint.ExpOnIntervalNegativeQuarterToZero(a[0])]),
        // exp of any a <= 0 in Q5.26, the small magnitudes (where the result is not 0) more often.
        new("ExpOnNegativeValues", r => [r.Between(0, 1) == 0 ? r.Between(int.MinValue, 0) : -r.Between(0, 1 << r.Between(0, 28))],
            a => [FixedPoint.ExpOnNegativeValues(a[0])]),
        new("OneOverOnePlusX", r => [r.Between(0, int.MaxValue)],
            a => [FixedPoint.OneOverOnePlusX(a[0])]),
        new("Reciprocal", r => [Math.Max(1, r.Between(1, int.MaxValue) >> r.Between(0, 30)), r.Between(0, 20)],
            a => [FixedPoint.Reciprocal(a[0], a[1], out int bitsOverUnit), bitsOverUnit]),
        // The kernels' fused output stage, held to the same bits as the composition of the primitives on the host.
        new("OutputStage.Requantize", RequantizeArguments,
            a => [OutputStage.Requantize(a[0], a[1], a[2], a[3], a[4], a[5])]),
    ];

    public static byte[] Build()
    {
        var file = new DataFileWriter(Fields, Arrays);
        var random = new CasePrng(20261203);
        foreach (Function function in Functions)
        {
            var arguments = new List<int>();
            var results = new List<int>();
            int arity = 0, outputs = 0;
            for (int i = 0; i < CasesPerFunction; i++)
            {
                int[] a = function.Arguments(random);
                int[] r = function.Results(a);
                arity = a.Length;
                outputs = r.Length;
                arguments.AddRange(a);
                results.AddRange(r);
            }

            file.Add(function.Name, [CasesPerFunction, arity, outputs], arguments.ToArray(), results.ToArray());
        }

        return file.ToBytes();
    }

    /// <summary>Names of the functions, in file order (the device tests list them as data rows).</summary>
    public static IEnumerable<string> Names => Functions.Select(f => f.Name);

    /// <summary>A Q31 multiplier as requantization uses them ([2^30, 2^31)), sometimes any non-negative value.</summary>
    private static int Multiplier(CasePrng r) => r.Between(0, 3) == 0 ? r.Between(0, int.MaxValue) : r.Between(1 << 30, int.MaxValue);

    /// <summary>acc, multiplier, shift, zero point, min, max: the output stage's domain (multiplier &gt;= 0, min &lt;= max).</summary>
    private static int[] RequantizeArguments(CasePrng r)
    {
        int low = r.Between(-128, 127), high = r.Between(-128, 127);
        return [r.EdgeWeighted(), Multiplier(r), r.Between(-31, 30), r.Between(-128, 127), Math.Min(low, high), Math.Max(low, high)];
    }
}
