using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using QuantEdge.Bench;

// dotnet run -c Release --project bench/QuantEdge.Bench                 regenerates docs/benchmarks.md
// dotnet run -c Release --project bench/QuantEdge.Bench -- kernels      BenchmarkDotNet kernel benchmark (MACs/s per weight layout)
// (internal) quantize <model> <blob path>                               one quantization, in the child process the report starts
switch (args.FirstOrDefault())
{
    case null or "models":
        ModelBenchmark.Run(args.Length > 1 ? args[1] : Path.Combine(RepositoryRoot(), "docs", "benchmarks.md"));
        break;
    case "quantize":
        QuantizationCost.MeasureHere(ModelBenchmark.Models[args[1]](), args[2]);
        break;
    case "kernels":
        RunKernelBenchmarks(args[1..]);
        break;
    default:
        Console.Error.WriteLine("usage: QuantEdge.Bench [models [OUTPUT.md] | kernels [BenchmarkDotNet options]]");
        return 2;
}

return 0;

static string RepositoryRoot()
{
    for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory != null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "QuantEdge.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("run from inside the repository (no QuantEdge.sln above the current directory), or name the output file");
}

// Kernel throughput on this host: MACs per second of FullyConnected and Conv2D per weight layout.
static void RunKernelBenchmarks(string[] options)
{
    IConfig config = DefaultConfig.Instance.AddJob(Job.ShortRun).WithOptions(ConfigOptions.DisableOptimizationsValidator);
    Summary summary = BenchmarkRunner.Run<KernelBenchmarks>(config, options);
    Console.WriteLine();
    Console.WriteLine("| kernel | layout | mean | MACs/s |");
    Console.WriteLine("|---|---|---|---|");
    foreach (BenchmarkReport report in summary.Reports.Where(r => r.ResultStatistics != null))
    {
        string name = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo;
        long macs = name.Contains("FullyConnected") ? KernelBenchmarks.FcMacs : KernelBenchmarks.ConvMacs;
        double seconds = report.ResultStatistics!.Mean / 1e9;
        Console.WriteLine($"| {name} | {report.BenchmarkCase.Parameters["Layout"]} | {seconds * 1e6:F1} µs | {macs / seconds / 1e6:F0} M |");
    }
}
