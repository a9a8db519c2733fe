using QuantEdge.Compiler.Training;

namespace QuantEdge.DeviceTest.Generation;

/// <summary>
/// Test cases from the trainer's SplitMix64, whose sequence is fixed by its definition (System.Random's
/// seeded sequence is not promised across .NET versions), so regenerating the device test data on any
/// machine gives the same bytes and the staleness test can compare them.
/// </summary>
public sealed class CasePrng(ulong seed)
{
    private readonly SplitMix64 random = new(seed);

    public ulong NextUInt64() => random.NextUInt64();

    public int NextInt32() => (int)NextUInt64();

    /// <summary>Uniform in [low, high] (inclusive).</summary>
    public int Between(int low, int high) => (int)(low + (long)(NextUInt64() % (ulong)((long)high - low + 1)));

    /// <summary>
    /// An int with extra weight where fixed-point rounding and saturation change: the extremes, ±1,
    /// 0, powers of two and their neighbours, small values; otherwise uniform over all ints.
    /// </summary>
    public int EdgeWeighted()
    {
        switch (Between(0, 9))
        {
            case 0:
                int[] extremes = [int.MinValue, int.MinValue + 1, -1, 0, 1, int.MaxValue - 1, int.MaxValue, 1 << 30, -(1 << 30)];
                return extremes[Between(0, extremes.Length - 1)];
            case 1:
                int power = 1 << Between(0, 30);
                return (Between(0, 1) == 0 ? power : -power) + Between(-1, 1);
            case 2:
            case 3:
                return Between(-1000, 1000);
            default:
                return NextInt32();
        }
    }
}
