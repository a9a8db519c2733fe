using System.Diagnostics;
using QuantEdge.Bench;
using QuantEdge.Compiler.Deployment;
using QuantEdge.DeviceTest.Generation;
using QuantEdge.DeviceTest.Running;

namespace QuantEdge.DeviceTest.Bench;

/// <summary>
/// tools/device-test --bench: builds and converts the device benchmark, runs it on the nanoCLR,
/// prints its tables and writes them as the device section of docs/benchmarks.md; with --native, on the
/// nanoCLR built with the native kernels, beside the same C run on the host, as the native kernels' section.
/// It measures and reports; it fails only when the benchmark itself did not run to its end.
/// </summary>
public static class BenchCommand
{
    public const string NativeHostBench = "bench/QuantEdge.NativeHostBench/QuantEdge.NativeHostBench.csproj";

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

        string document = Path.Combine(root, "docs", "benchmarks.md");
        string existing = File.Exists(document) ? File.ReadAllText(document) : "# Benchmarks\n";
        string section;
        if (native)
        {
            if (!output.Timings.Any(t => t.Kind == "native"))
            {
                Console.Error.WriteLine("device-test: the interpreter ran no native kernel (NativeKernels.Available() was false); see " + Path.GetRelativePath(root, log));
                return 1;
            }

            BenchOutput? host = HostNative(root, artifacts, timeout);
            if (host == null)
            {
                return 1;
            }

            section = BenchReport.NativeMarkdown(output, host, clock.Elapsed);
            existing = BenchmarkDocument.WithNativeSection(existing, section);
        }
        else
        {
            IReadOnlyList<ProbeRow> probes = HeapComparison.ProbeRows(output);
            IReadOnlyList<ModelHeapRow> models = HeapComparison.ModelRows(output, Path.Combine(root, GeneratedFiles.TestsFolder, "Resources"));
            string runtime = app.Project.References.Single(r => Path.GetFileName(r) == "QuantEdge.Runtime.dll");
            IlFloor floor = IlFloor.Count(runtime, app.Project.Assembly, IlFloor.ModelBlobs(Path.Combine(root, GeneratedFiles.TestsFolder, ResxWriter.ResourcesFolder),
                Path.Combine(root, GeneratedFiles.BenchFolder, ResxWriter.ResourcesFolder, SklearnModels.Resource + ".bin")));
            section = BenchReport.Markdown(output, probes, models, clock.Elapsed, floor);
            existing = BenchmarkDocument.WithDeviceSection(existing, section);
        }

        Console.WriteLine();
        Console.WriteLine(section);
        File.WriteAllText(document, existing);
        Console.WriteLine($"device-test: wrote the {(native ? "native kernels'" : "device")} section of {Path.GetRelativePath(root, document)} in {clock.Elapsed.TotalSeconds:F0} s");
        return 0;
    }

    /// <summary>bench/QuantEdge.NativeHostBench's timings: the native workloads over the C compiled for this host; null (reported) when it failed.</summary>
    private static BenchOutput? HostNative(string root, string artifacts, TimeSpan timeout)
    {
        string log = Path.Combine(artifacts, "QuantEdge.NativeHostBench.log");
        ProcessResult run = ProcessRunner.Run("dotnet", ["run", "-c", "Release", "--project", Path.Combine(root, NativeHostBench)], timeout, root);
        File.WriteAllText(log, run.Output);
        BenchOutput host = BenchOutput.Parse(run.StandardOutput.Split('\n').Select(l => l.TrimEnd('\r')));
        if (run.ExitCode != 0 || !host.Complete)
        {
            Console.Error.WriteLine($"device-test: the host-native benchmark failed (exit {run.ExitCode}); see {Path.GetRelativePath(root, log)}");
            return null;
        }

        return host;
    }
}
