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

    public static string Markdown(BenchOutput output, IReadOnlyList<ProbeRow> probes, IReadOnlyList<ModelHeapRow> models, TimeSpan elapsed, IlFloor? floor = null)
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
            "15 rounds, taken in turns across all workloads so that a busy spell on the host is shared out. A unit is a multiply-accumulate " +
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
                "model" => ModelName(t.Name),
                "node" => "a wake of the firmware's sample node (iris MLP): node.bin, the model loaded in pieces, self-test, pins, one cycle (compute only: the fakes' sampling waits take no time)",
                _ => Pretty(t.Name),
            };
            double ratio = t.NanosecondsPerUnit / naive;
            Line($"| {name} | {t.Units.ToString("N0", CultureInfo.InvariantCulture)} {t.Unit}{(t.Units == 1 ? "" : "s")} | {Duration(t.NanosecondsPerRun)} | " +
                $"{t.NanosecondsPerUnit:F1} ns | {ratio:F2} | {1 / ratio:F2}× |");
        }

        Line();
        Line("### Against issue 9's targets");
        Line();
        Line("The same run beside the managed kernels before issue 9 (× naive from the device section regenerated on a quiet machine at " +
            "commit a37a61e; the ratios of one run move by up to ±30 % on this shared host, more when it is busy) and the issue's targets, " +
            "as time per unit ÷ the naive loop's time per MAC. An elementwise op's or pool's own naive loop is the kernel as it was before " +
            "(the reference computation per element, the fixed-point helpers called): its target is half that time.");
        if (floor != null)
        {
            Line();
            Line(floor.Legend());
        }

        Line();
        Line("| workload | before: × naive | now: × naive | now vs before | target | met | what stands in the way |");
        Line("|---|---|---|---|---|---|---|");
        foreach (Timing t in output.Timings.Where(t => t.Kind is "kernel" or "model"))
        {
            double now = t.NanosecondsPerUnit / naive;
            double? before = Issue9Targets.Before.TryGetValue(t.Name, out double b) ? b : null;
            var target = Issue9Targets.Target(t, before);
            string name = t.Kind == "model" ? $"model {t.Name} ({t.Units.ToString("N0", CultureInfo.InvariantCulture)} MACs)" : Pretty(t.Name);
            Line($"| {name} | {(before == null ? "" : before.Value.ToString("F2", CultureInfo.InvariantCulture))} | {now:F2} | " +
                $"{(before == null ? "" : (before.Value / now).ToString("F2", CultureInfo.InvariantCulture) + "× faster")} | " +
                $"{(target == null ? "—" : $"{target.Value.Text}: ≤ {target.Value.Limit:F2}")} | {(target == null ? "" : now <= target.Value.Limit ? "yes" : "no")} | " +
                $"{(target == null || now <= target.Value.Limit ? "" : floor?.Explain(t, now, target.Value.Limit) ?? "?")} |");
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
        Line("*`device_ram_bytes` ÷ measured* sets the ESP32 estimate beside this interpreter's measurement as they are: what it falls short " +
            "by is the block size (headers, fields and references at 12 bytes instead of 24), not an error of the model, which the column " +
            "*model − measured* checks at this interpreter's block size.");
        Line();
        Line("| model | blob | measured here (24-byte blocks) | heap blocks | heap model, 24-byte blocks | model − measured | ESP32: `device_ram_bytes` | `device_ram_bytes` ÷ measured | = weights | + arena | + `runtime_objects_bytes` |");
        Line("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (ModelHeapRow m in models)
        {
            ModelDescription d = m.Description;
            Line($"| {m.Name} | {Bytes(m.BlobBytes)} | {Bytes(m.Measured)} | {(m.Measured / NanoHeap.Host64BlockBytes).ToString("N0", CultureInfo.InvariantCulture)} | " +
                $"{Bytes(m.Model24)} | {m.Error:+0.0%;-0.0%;0.0%} | {Bytes(d.DeviceRamBytes)} | {d.DeviceRamBytes / (double)m.Measured:F2} | {Bytes(d.WeightsBytes)} | {Bytes(d.ArenaBytes)} | {Bytes(d.RuntimeObjectBytes)} |");
        }

        return md.ToString();
    }

    public const string NativeCommand = "tools/device-test --bench --native";

    /// <summary>
    /// The native kernels' section: from one run of the benchmark on the nanoCLR built with them (<paramref name="device"/>:
    /// the naive loop, the managed kernels and models, and the same on the native kernels) and the same C on the host
    /// (<paramref name="host"/>, bench/QuantEdge.NativeHostBench).
    /// </summary>
    public static string NativeMarkdown(BenchOutput device, BenchOutput host, TimeSpan elapsed)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        double naive = device.Naive.NanosecondsPerUnit;
        Dictionary<string, Timing> native = device.Timings.Where(t => t.Kind is "native" or "native-model").ToDictionary(t => Subject(t.Name));
        Dictionary<string, Timing> onHost = host.Timings.ToDictionary(t => Subject(t.Name));
        Line(BenchmarkDocument.NativeHeading);
        Line();
        Line($"Generated from the repository root by `{NativeCommand}` (it needs the nanoFramework kit at `../shared/nanoframework`, and gcc; " +
            $"the run took {elapsed.TotalSeconds:F0} s, the interpreter's build included when it was not already built): the same " +
            "`bench/QuantEdge.DeviceBench` on the nanoCLR that `tools/build-native-nanoclr` builds with `QuantEdge.Runtime.Interop` " +
            "(the kit's POSIX interpreter plus the C kernels of `src/QuantEdge.Native`, `-O3`). Do not edit by hand: rerun it. In one run " +
            "on that interpreter it times the naive loop, the managed kernels and models (a model loaded with `Model.Load(blob, false)`) " +
            "and the same layers and models on the native kernels (a layer's extern method called as a loaded model calls it, once per " +
            "layer; a model loaded with `Model.Load(blob)`, which takes them). *Host C* is `bench/QuantEdge.NativeHostBench`: the same " +
            "native workloads over the same C compiled for this machine (gcc `-O3`) and called from .NET 10 through P/Invoke: what the " +
            "C costs here with no interpreter around it, the limit for these kernels on this machine. For large layers the interpreter " +
            "and the host agree within the run-to-run noise of this shared 2-core host (either may come out ahead); for small layers and " +
            "models the interpreter's cost per call and the managed `SetInputs`/`Invoke` around the calls show in the last ratio. That " +
            "both paths give the same bytes is what `tools/device-test --native` tests; this section only measures. Speed-ups are the naive loop's time per MAC divided by the workload's time per unit " +
            $"(the naive loop took {naive:F1} ns per MAC in this run; the units are those of the section above). The native kernel takes " +
            "int8 rows whatever the blob's weight layout (Int64Pairs only packs weights for the interpreter), so a layer's two layouts " +
            "share one native measurement. Done-when targets (issue 16): fully connected, convolution and depthwise layers of at least " +
            "4k MACs ≥ 50× the naive loop, the demo model and the CNN ≥ 20×.");
        Line();
        Line("| workload | units per run | managed: time per unit | managed: speed-up | native: time per unit | native: speed-up | native vs managed | host C: time per unit | host C: speed-up | native time ÷ host C time | target |");
        Line("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (Timing managed in device.Timings.Where(t => t.Kind is "kernel" or "model"))
        {
            string subject = Subject(managed.Name);
            Timing? n = native.GetValueOrDefault(subject), h = onHost.GetValueOrDefault(subject);
            string name = managed.Kind == "model" ? ModelName(managed.Name) : Pretty(managed.Name);
            Line($"| {name} | {managed.Units.ToString("N0", CultureInfo.InvariantCulture)} {managed.Unit}{(managed.Units == 1 ? "" : "s")} | " +
                $"{PerUnit(managed)} | {SpeedUp(naive, managed)} | {PerUnit(n)} | {SpeedUp(naive, n)} | " +
                $"{(n == null ? "?" : $"{managed.NanosecondsPerUnit / n.NanosecondsPerUnit:F0}×")} | {PerUnit(h)} | {SpeedUp(naive, h)} | " +
                $"{(n == null || h == null ? "?" : $"{n.NanosecondsPerUnit / h.NanosecondsPerUnit:F1}×")} | {TargetCell(managed, n, naive)} |");
        }

        return md.ToString();
    }

    /// <summary>The speed-up over the naive loop issue 16 asks of a native workload, or null where it sets none.</summary>
    public static int? Target(Timing managed) => managed switch
    {
        { Kind: "model", Name: "DemoMlp" or "Cnn" } => 20,
        { Kind: "kernel", Unit: "MAC", Units: >= 4096 } when Regex.IsMatch(managed.Name, "^(FullyConnected|Conv2D|DepthwiseConv2D) ") => 50,
        _ => null,
    };

    private static string TargetCell(Timing managed, Timing? native, double naive) =>
        Target(managed) is not int target ? "—"
        : native == null ? $"≥ {target}×: not measured"
        : $"≥ {target}×: {(naive / native.NanosecondsPerUnit >= target ? "met" : "**not met**")}";

    /// <summary>What a workload runs on, without its path: "FullyConnected 256-64 Int8Rows" and "FullyConnected 256-64 native" are one layer.</summary>
    public static string Subject(string name) => Regex.Replace(name, " (native|Int8Rows|Int64Pairs)$", "");

    private static string PerUnit(Timing? t) => t == null ? "?" : t.NanosecondsPerUnit >= 10 ? $"{t.NanosecondsPerUnit:F1} ns" : $"{t.NanosecondsPerUnit:F3} ns";

    private static string SpeedUp(double naive, Timing? t) =>
        t == null ? "?" : naive / t.NanosecondsPerUnit < 1 ? $"{naive / t.NanosecondsPerUnit:F2}×" : $"{naive / t.NanosecondsPerUnit:F1}×";

    /// <summary>A model's table cell: its name and description, a '|' in it escaped.</summary>
    private static string ModelName(string name) =>
        $"model {name}: {(name.StartsWith(SklearnModels.Prefix, StringComparison.Ordinal) ? SklearnModels.Description(name) : ModelCases.Descriptions.GetValueOrDefault(name, ""))}".Replace("|", "\\|");

    /// <summary>The device prints ASCII; the report uses the arrows and times signs of the host tables.</summary>
    private static string Pretty(string name) =>
        Regex.Replace(name.Replace(" -> ", " → "), @"(\d)x(\d)", "$1×$2").Replace("256-64", "256→64").Replace("16-8", "16→8");

    private static string Duration(double nanoseconds) =>
        nanoseconds >= 1e6 ? $"{nanoseconds / 1e6:F2} ms" : $"{nanoseconds / 1e3:F1} µs";

    private static string Bytes(long? bytes) => bytes == null ? "?" : bytes.Value.ToString("N0", CultureInfo.InvariantCulture) + " B";
}
