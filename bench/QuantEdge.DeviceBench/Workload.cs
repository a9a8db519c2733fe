using System;

namespace QuantEdge.DeviceBench
{
    /// <summary>
    /// Something to time: one run does <see cref="Units"/> units of work (multiply-accumulates, pooling
    /// taps or elements), so that its time per unit can be set against a naive loop's time per MAC.
    /// </summary>
    internal abstract class Workload
    {
        protected Workload(string name, string unit, long units)
        {
            Name = name;
            Unit = unit;
            Units = units;
        }

        public string Name { get; }

        public string Unit { get; }

        public long Units { get; }

        public abstract void Run();

        /// <summary><paramref name="first"/>, then <paramref name="second"/>.</summary>
        public static Workload[] Join(Workload[] first, Workload[] second)
        {
            Workload[] all = new Workload[first.Length + second.Length];
            Array.Copy(first, all, first.Length);
            Array.Copy(second, 0, all, first.Length, second.Length);
            return all;
        }
    }

    /// <summary>
    /// Times workloads the way the report needs them: enough runs per round for about 40 ms (the
    /// clock is DateTime.UtcNow, in 100 ns ticks), and the fastest of five rounds (interference on the
    /// host only ever adds time). The rounds go round all workloads in turn, so that a busy spell on the
    /// host is shared out instead of landing on one workload, and ratios between them stay fair.
    /// </summary>
    internal static class Timing
    {
        public const int Rounds = 5;

        /// <summary>Ticks one round of one workload aims at: 40 ms.</summary>
        private const long TargetTicks = 400000;

        /// <summary>Runs per round of each workload, and each one's fastest round in ticks.</summary>
        public static void MeasureAll(Workload[] workloads, int[] runs, long[] bestTicks)
        {
            for (int w = 0; w < workloads.Length; w++)
            {
                runs[w] = RunsPerRound(workloads[w]);
                bestTicks[w] = long.MaxValue;
            }

            for (int round = 0; round < Rounds; round++)
            {
                for (int w = 0; w < workloads.Length; w++)
                {
                    long ticks = Ticks(workloads[w], runs[w]);
                    if (ticks < bestTicks[w]) bestTicks[w] = ticks;
                }
            }
        }

        /// <summary>Doubles the runs until they take a quarter of the target, then scales up.</summary>
        private static int RunsPerRound(Workload workload)
        {
            workload.Run(); // the first call pays for anything done once
            int runs = 1;
            long ticks;
            while ((ticks = Ticks(workload, runs)) < TargetTicks / 4)
            {
                runs *= 2;
            }

            long scaled = runs * TargetTicks / (ticks < 1 ? 1 : ticks);
            return scaled < 1 ? 1 : (int)scaled;
        }

        private static long Ticks(Workload workload, int runs)
        {
            long start = DateTime.UtcNow.Ticks;
            for (int i = 0; i < runs; i++)
            {
                workload.Run();
            }

            return DateTime.UtcNow.Ticks - start;
        }
    }
}
