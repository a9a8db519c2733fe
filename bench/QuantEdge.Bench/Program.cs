using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using QuantEdge.Bench;

// Kernel throughput on this host: MACs per second of FullyConnected and Conv2D per weight layout.
IConfig config = DefaultConfig.Instance.AddJob(Job.ShortRun).WithOptions(ConfigOptions.DisableOptimizationsValidator);
Summary summary = BenchmarkRunner.Run<KernelBenchmarks>(config, args);
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
