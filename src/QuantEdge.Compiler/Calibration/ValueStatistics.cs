namespace QuantEdge.Compiler.Calibration;

/// <summary>
/// What calibration saw of one tensor: exact minimum and maximum, the mean per element (for bias
/// correction), and a uniform sample of its values (reservoir sampling, fixed seed) from which
/// percentiles and quantization errors are measured.
/// </summary>
public sealed class ValueStatistics
{
    public const int SampleCapacity = 1 << 16;

    private readonly float[] sample = new float[SampleCapacity];
    private readonly double[] sum;
    private readonly float[] elementMin;
    private readonly float[] elementMax;
    private readonly bool[] elementIntegral;
    private readonly Random random;
    private long seen;
    private int rows;
    private float[]? sortedSample;

    public ValueStatistics(string name, int elements, int seed = 1)
    {
        Name = name;
        sum = new double[elements];
        elementMin = Enumerable.Repeat(float.PositiveInfinity, elements).ToArray();
        elementMax = Enumerable.Repeat(float.NegativeInfinity, elements).ToArray();
        elementIntegral = Enumerable.Repeat(true, elements).ToArray();
        random = new Random(seed);
    }

    public string Name { get; }

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    /// <summary>Lowest second-largest value of a row (+∞ until a row of two or more values is seen).</summary>
    public double RunnerUpMin { get; private set; } = double.PositiveInfinity;

    /// <summary>Highest second-largest value of a row.</summary>
    public double RunnerUpMax { get; private set; } = double.NegativeInfinity;

    /// <summary>Number of values observed.</summary>
    public long Count => seen;

    /// <summary>Mean of each element over the observed rows.</summary>
    public double[] Mean => sum.Select(s => rows == 0 ? 0 : s / rows).ToArray();

    /// <summary>Minimum of each element (a model input's per-feature range).</summary>
    public IReadOnlyList<float> ElementMin => elementMin;

    /// <summary>Maximum of each element.</summary>
    public IReadOnlyList<float> ElementMax => elementMax;

    /// <summary>Whether each element only ever held whole numbers (ADC counts, pixel values, ...).</summary>
    public IReadOnlyList<bool> ElementIsIntegral => elementIntegral;

    /// <summary>The sampled values (all of them while fewer than <see cref="SampleCapacity"/> were seen).</summary>
    public ReadOnlySpan<float> Sample => sample.AsSpan(0, (int)Math.Min(seen, SampleCapacity));

    /// <summary>The sampled values in ascending order: sorted once after the last row observed, shared (do not write to it).</summary>
    internal float[] SortedSample
    {
        get
        {
            if (sortedSample is null)
            {
                sortedSample = Sample.ToArray();
                Array.Sort(sortedSample);
            }

            return sortedSample;
        }
    }

    /// <summary>Observes one row's values of the tensor.</summary>
    public void Observe(ReadOnlySpan<float> values)
    {
        sortedSample = null;
        rows++;
        if (values.Length >= 2)
        {
            float best = float.NegativeInfinity, second = float.NegativeInfinity;
            foreach (float v in values)
            {
                if (v > best)
                {
                    (best, second) = (v, best);
                }
                else if (v > second)
                {
                    second = v;
                }
            }

            RunnerUpMin = Math.Min(RunnerUpMin, second);
            RunnerUpMax = Math.Max(RunnerUpMax, second);
        }

        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            Min = Math.Min(Min, v);
            Max = Math.Max(Max, v);
            sum[i] += v;
            elementMin[i] = Math.Min(elementMin[i], v);
            elementMax[i] = Math.Max(elementMax[i], v);
            elementIntegral[i] &= v == MathF.Round(v);
            if (seen < SampleCapacity)
            {
                sample[seen] = v;
            }
            else
            {
                long slot = random.NextInt64(seen + 1);
                if (slot < SampleCapacity)
                {
                    sample[slot] = v;
                }
            }

            seen++;
        }
    }

    /// <summary>The q-quantile (0..1) of the sample, by linear interpolation.</summary>
    public double Quantile(double q) => QuantileOfSorted(SortedSample, q);

    internal static double QuantileOfSorted(float[] sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        double position = q * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }
}
