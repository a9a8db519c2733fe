using System.Diagnostics;
using QuantEdge.Bench;
using QuantEdge.DeviceTest.Generation;
using QuantEdge.DeviceTest.Running;

namespace QuantEdge.DeviceTest.Bench;

/// <summary>
/// tools/device-test --bench: builds and converts the device benchmark, runs it on the nanoCLR,
/// prints its tables and writes them as the device section of docs/benchmarks.md. It measures and
/// reports; it fails only when the benchmark itself did not run to its end.
/// </summary>
public static class BenchCommand
{
    public static int Run(string root, Kit kit, TimeSpan timeout, bool native = false)
    {
        var clock = Stopwatch.StartNew();
        string artifacts = Path.Combine(root, "artifacts", "device-test");
        string name = Path.GetFileNameWithoutExtension(DeviceProjects.Bench);
        DeviceApp app = DeviceBuild.Prepare(root, kit, DeviceProjects.Bench, [], Path.Combine(artifacts, name));
        string log = Path.Combine(artifacts, name + ".log");
        ProcessResult run = NanoClr.Run(kit, app.PeFiles, timeout, log);
        BenchOutput output = BenchOutput.Parse(NanoClr.ProgramLines(run.Output));
        string? abnormal = NanoClr.AbnormalEnd(run);
        if (abnormal != null || !output.Complete || output.Timings.Count(t => t.Kind == "naive") != 1)
        {
            Console.Error.WriteLine($"device-test: the benchmark did not run to its end ({abnormal ?? "no \"bench,done\" line"}); see {Path.GetRelativePath(root, log)}");
            return 1;
        }

        IReadOnlyList<ProbeRow> probes = HeapComparison.ProbeRows(output);
        IReadOnlyList<ModelHeapRow> models = HeapComparison.ModelRows(output, Path.Combine(root, GeneratedFiles.TestsFolder, "Resources"));
        string section = BenchReport.Markdown(output, probes, models, clock.Elapsed);
        Console.WriteLine();
        Console.WriteLine(section);

        string document = Path.Combine(root, "docs", "benchmarks.md");
        string existing = File.Exists(document) ? File.ReadAllText(document) : "# Benchmarks\n";
        File.WriteAllText(document, BenchmarkDocument.WithDeviceSection(existing, section));
        Console.WriteLine($"device-test: wrote the device section of {Path.GetRelativePath(root, document)} in {clock.Elapsed.TotalSeconds:F0} s");
        return 0;
    }
}
