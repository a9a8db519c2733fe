using System.Globalization;

namespace QuantEdge.DeviceTest.Bench;

/// <summary>One timed workload: <see cref="Units"/> units of work per run, <see cref="Runs"/> runs in its fastest round of <see cref="Ticks"/> (100 ns).</summary>
public sealed record Timing(string Kind, string Name, string Unit, long Units, int Runs, long Ticks)
{
    /// <summary>Nanoseconds per run.</summary>
    public double NanosecondsPerRun => Ticks * 100.0 / Runs;

    /// <summary>Nanoseconds per unit of work (MAC, tap or element).</summary>
    public double NanosecondsPerUnit => NanosecondsPerRun / Units;
}

/// <summary>Heap bytes that one probe object or one loaded model kept alive on the interpreter.</summary>
public sealed record HeapReading(string Kind, string Name, int BlobBytes, long Bytes);

/// <summary>
/// What the device benchmark (bench/QuantEdge.DeviceBench) printed: lines "bench,naive|kernel|model,name,unit,units,runs,ticks",
/// "heap,probe,what,bytes", "heap,model,name,blob bytes,bytes" and a last "bench,done".
/// </summary>
public sealed record BenchOutput(IReadOnlyList<Timing> Timings, IReadOnlyList<HeapReading> Heap, bool Complete)
{
    public Timing Naive => Timings.Single(t => t.Kind == "naive");

    public static BenchOutput Parse(IEnumerable<string> lines)
    {
        var timings = new List<Timing>();
        var heap = new List<HeapReading>();
        bool complete = false;
        foreach (string line in lines)
        {
            string[] f = line.Split(',');
            switch (f)
            {
                case ["bench", "done"]:
                    complete = true;
                    break;
                case ["bench", var kind, var name, var unit, var units, var runs, var ticks]:
                    timings.Add(new Timing(kind, name, unit, long.Parse(units, CultureInfo.InvariantCulture),
                        int.Parse(runs, CultureInfo.InvariantCulture), long.Parse(ticks, CultureInfo.InvariantCulture)));
                    break;
                case ["heap", "probe", var what, var bytes]:
                    heap.Add(new HeapReading("probe", what, 0, long.Parse(bytes, CultureInfo.InvariantCulture)));
                    break;
                case ["heap", "model", var name, var blob, var bytes]:
                    heap.Add(new HeapReading("model", name, int.Parse(blob, CultureInfo.InvariantCulture), long.Parse(bytes, CultureInfo.InvariantCulture)));
                    break;
            }
        }

        return new BenchOutput(timings, heap, complete);
    }
}
