using System.Diagnostics;

namespace QuantEdge.Bench;

/// <summary>One way of running one inference on sample i (of a fixed set), with what was measured for it.</summary>
internal sealed class Contender(string name, Action<int> infer)
{
    public string Name { get; } = name;

    public Action<int> Infer { get; } = infer;

    /// <summary>Seconds per inference, one value per timed batch.</summary>
    public List<double> Seconds { get; } = [];

    public int BatchSize { get; set; } = 1;

    /// <summary>Managed bytes allocated per inference on the calling thread.</summary>
    public double AllocatedBytes { get; set; }

    public double Median => Percentile(Seconds, 0.5);

    public double Percentile(double p) => Percentile(Seconds, p);

    /// <summary>
    /// How many times faster than <paramref name="reference"/>: the median over rounds of the ratio of
    /// the two batch times of one round, which were taken moments apart, so that load that comes and
    /// goes on the machine falls on both.
    /// </summary>
    public double SpeedRelativeTo(Contender reference) => Percentile(Seconds.Select((s, round) => reference.Seconds[round] / s).ToList(), 0.5);

    private static double Percentile(IReadOnlyList<double> values, double p)
    {
        double[] sorted = [.. values.Order()];
        double index = p * (sorted.Length - 1);
        int low = (int)index;
        return low + 1 < sorted.Length ? sorted[low] + (index - low) * (sorted[low + 1] - sorted[low]) : sorted[low];
    }
}

/// <summary>
/// Times several contenders in one process on the same inputs: warm-up, batches sized to about
/// <see cref="BatchSeconds"/>, then <see cref="Rounds"/> rounds in which every contender times one
/// batch (in a rotating order, so that drift and interference are shared out evenly); the result is
/// the median over rounds of the per-inference time of a batch. The process runs at high priority
/// while it measures, as BenchmarkDotNet does, when the OS allows it.
/// </summary>
internal static class Harness
{
    public const double WarmUpSeconds = 0.3;
    public const double BatchSeconds = 0.005;
    public const int Rounds = 101;
    public const int AllocationRuns = 2000;

    public static void Measure(IReadOnlyList<Contender> contenders, int samples)
    {
        using var self = Process.GetCurrentProcess();
        ProcessPriorityClass priority = self.PriorityClass;
        try
        {
            self.PriorityClass = ProcessPriorityClass.High;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not allowed here: measure at normal priority.
        }

        try
        {
            MeasureAll(contenders, samples);
        }
        finally
        {
            self.PriorityClass = priority;
        }
    }

    private static void MeasureAll(IReadOnlyList<Contender> contenders, int samples)
    {
        foreach (Contender c in contenders)
        {
            long start = Stopwatch.GetTimestamp();
            int runs = 0;
            while (Stopwatch.GetElapsedTime(start).TotalSeconds < WarmUpSeconds)
            {
                c.Infer(runs++ % samples);
            }

            c.BatchSize = Math.Max(1, (int)(BatchSeconds / (Stopwatch.GetElapsedTime(start).TotalSeconds / runs)));
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < AllocationRuns; i++)
            {
                c.Infer(i % samples);
            }

            c.AllocatedBytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)AllocationRuns;
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        for (int round = 0; round < Rounds; round++)
        {
            for (int k = 0; k < contenders.Count; k++)
            {
                Contender c = contenders[(k + round) % contenders.Count];
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < c.BatchSize; i++)
                {
                    c.Infer((round + i) % samples);
                }

                c.Seconds.Add(Stopwatch.GetElapsedTime(start).TotalSeconds / c.BatchSize);
            }
        }
    }
}
