namespace QuantEdge.Compiler.Training;

/// <summary>
/// A seeded pseudo-random generator (SplitMix64) whose sequence is fixed by its definition, unlike
/// System.Random's, so a seed gives the same model on every .NET version and machine.
/// </summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong state = seed;

    public ulong NextUInt64()
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1), 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, count).</summary>
    public int Next(int count) => (int)(NextUInt64() % (ulong)count);

    /// <summary>Standard normal (Box–Muller; the second value is dropped to keep the sequence simple).</summary>
    public double NextGaussian()
    {
        double u = 1.0 - NextDouble();
        double v = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle(int[] values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
