using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using QuantEdge.Bench;
using QuantEdge.Compiler.Blob;
using QuantEdge.DeviceTest.Generation;

namespace QuantEdge.DeviceTest.Bench;

/// <summary>The device section of docs/benchmarks.md (and the console tables) from one benchmark run.</summary>
public static class BenchReport
{
    public const string Command = "tools/device-test --bench";

    public static string Markdown(BenchOutput output, IReadOnlyList<ProbeRow> probes, IReadOnlyList<ModelHeapRow> models, TimeSpan elapsed)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        Line(BenchmarkDocument.DeviceHeading);
        Line();
        Line($"Generated from the repository root by `{Command}` (it needs the nanoFramework kit at `../shared/nanoframework`; the run took " +
            $"{elapsed.TotalSeconds:F0} s): `bench/QuantEdge.DeviceBench`, converted by the real MetadataProcessor, runs on the real nanoCLR " +
            "interpreter (nf-interpreter's POSIX build) on the machine above. Do not edit by hand: rerun it. The interpreter runs one thread " +
            "and the host is shared, so absolute times move by tens of percent between runs; read the ratios to the naive loop, which are " +
            "measured in the same run. An ESP32 at 240 MHz is many times slower than this host, but like this interpreter it spends its " +
            "time per IL instruction executed (`tools/nfcheck --il` counts them for the kernels' inner loops).");
        Line();
        Line("### Time per unit of work, against a naive int8 loop");
        Line();
        Line("Each workload runs enough times per round for about 40 ms (`DateTime.UtcNow`, 100 ns ticks); the table gives the fastest of " +
            "5 rounds, taken in turns across all workloads so that a busy spell on the host is shared out. A unit is a multiply-accumulate " +
            "(MAC; a convolution counts its whole 3×3 window, padding included, as the host benchmark does), a pooling tap or an element. " +
            "*× naive* is the time per unit divided by the naive loop's time per MAC (below 1 is faster); *speed-up* is its inverse. " +
            "A model's run is `SetInputs` + `Invoke` of its golden input. The node's unit is one wake: its *× naive* is how " +
            "many naive-loop MACs take as long as a wake.");
        Line();
        Line("| workload | units per run | time per run | time per unit | × naive | speed-up |");
        Line("|---|---|---|---|---|---|");
        double naive = output.Naive.NanosecondsPerUnit;
        foreach (Timing t in output.Timings)
        {
            string name = t.Kind switch
            {
                "naive" => "naive int8 loop `acc += x[i] * w[b + i]` over sbyte arrays, 256 × 64",
                "model" => $"model {t.Name}: {ModelCases.Descriptions.GetValueOrDefault(t.Name, "")}",
                "node" => "a wake of the firmware's sample node (iris MLP): node.bin, the model loaded in pieces, self-test, pins, one cycle (compute only: the fakes' sampling waits take no time)",
                _ => Pretty(t.Name),
            };
            double ratio = t.NanosecondsPerUnit / naive;
            Line($"| {name} | {t.Units.ToString("N0", CultureInfo.InvariantCulture)} {t.Unit}{(t.Units == 1 ? "" : "s")} | {Duration(t.NanosecondsPerRun)} | " +
                $"{t.NanosecondsPerUnit:F1} ns | {ratio:F2} | {1 / ratio:F2}× |");
        }

        Line();
        Line("### Heap of a loaded model");
        Line();
        Line("Free heap from `nanoFramework.Runtime.Native.GC.Run(false)` before and after `Model.Load` (the blob already allocated, and " +
            "one load done beforehand so that nothing the interpreter sets up once is counted). Heap blocks are 24 bytes on this 64-bit " +
            "interpreter and 12 on an ESP32: element bytes are the same on both, but object headers, fields, array headers and references " +
            "are block-sized, so a measurement here cannot be halved into an ESP32 figure. Instead `NanoHeap` models nanoCLR's heap with " +
            "the block size as a parameter (an object: one block plus one per field; an array: one block plus 8 bytes of header, then its " +
            "elements, a reference being a block; a string: one block plus its UTF-8 bytes and a zero; each rounded up to whole blocks), " +
            "checked here at 24-byte blocks against probes of known shapes and against every loaded model, then evaluated at 12-byte " +
            "blocks. That ESP32 figure is what `quantedge inspect --json` reports as `device_ram_bytes` (weights as laid out, arena, and " +
            "`runtime_objects_bytes`, the runtime's own objects); it has not been measured on an ESP32 itself.");
        Line();
        Line("| probe | measured here | heap model, 24-byte blocks | heap model, 12-byte blocks (ESP32) |");
        Line("|---|---|---|---|");
        foreach (ProbeRow p in probes)
        {
            Line($"| `{p.Name}` | {Bytes(p.Measured)} | {Bytes(p.Model24)} | {Bytes(p.Esp32)} |");
        }

        Line();
        Line("| model | blob | measured here (24-byte blocks) | heap blocks | heap model, 24-byte blocks | model − measured | ESP32: `device_ram_bytes` | = weights | + arena | + `runtime_objects_bytes` |");
        Line("|---|---|---|---|---|---|---|---|---|---|");
        foreach (ModelHeapRow m in models)
        {
            ModelDescription d = m.Description;
            Line($"| {m.Name} | {Bytes(m.BlobBytes)} | {Bytes(m.Measured)} | {(m.Measured / NanoHeap.Host64BlockBytes).ToString("N0", CultureInfo.InvariantCulture)} | " +
                $"{Bytes(m.Model24)} | {m.Error:+0.0%;-0.0%;0.0%} | {Bytes(d.DeviceRamBytes)} | {Bytes(d.WeightsBytes)} | {Bytes(d.ArenaBytes)} | {Bytes(d.RuntimeObjectBytes)} |");
        }

        return md.ToString();
    }

    /// <summary>The device prints ASCII; the report uses the arrows and times signs of the host tables.</summary>
    private static string Pretty(string name) =>
        Regex.Replace(name.Replace(" -> ", " → "), @"(\d)x(\d)", "$1×$2").Replace("256-64", "256→64");

    private static string Duration(double nanoseconds) =>
        nanoseconds >= 1e6 ? $"{nanoseconds / 1e6:F2} ms" : $"{nanoseconds / 1e3:F1} µs";

    private static string Bytes(long? bytes) => bytes == null ? "?" : bytes.Value.ToString("N0", CultureInfo.InvariantCulture) + " B";
}
