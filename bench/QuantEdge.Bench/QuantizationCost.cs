using System.Diagnostics;
using System.Text.Json;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Quantization;

namespace QuantEdge.Bench;

/// <summary>
/// What calibrating and quantizing a model on <see cref="Rows"/> rows costs: wall time, the process's
/// peak working set (with the working set just before, which holds the runtime and the rows), and the
/// bytes the GC allocated in between. Calibration (the float model over every row) and the automatic
/// range choice are timed from the quantizer's progress reports; the rest is lowering and the blob.
/// The float executor alone is timed afterwards on <see cref="ExecutorRows"/> rows, to split calibration
/// into running the model and collecting statistics.
/// </summary>
internal sealed record QuantizationCost(int Rows, int Features, double Seconds, double CalibrationSeconds, double RangeChoiceSeconds,
    double ExecutorSecondsPerRow, long WorkingSetBefore, long PeakWorkingSet, long AllocatedBytes, int BlobBytes)
{
    public const int CalibrationRows = 10_000;
    public const int ExecutorRows = 1000;

    /// <summary>The rows as float32 in memory.</summary>
    public long DatasetBytes => (long)Rows * Features * sizeof(float);

    /// <summary>
    /// Quantizes in a fresh child process (this program with "quantize"), so that the peak working set
    /// is this quantization's alone; the blob comes back through <paramref name="blobPath"/>.
    /// </summary>
    public static QuantizationCost MeasureInChildProcess(string model, string blobPath)
    {
        string program = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(program) == "dotnet")
        {
            start.ArgumentList.Add(typeof(QuantizationCost).Assembly.Location);
        }

        foreach (string argument in new[] { "quantize", model, blobPath })
        {
            start.ArgumentList.Add(argument);
        }

        using Process child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"quantizing {model} failed (exit code {child.ExitCode}): {output}");
        }

        return JsonSerializer.Deserialize<QuantizationCost>(output.Trim().Split('\n')[^1])!;
    }

    /// <summary>The child process's side: quantize with the default options, write the blob, print the cost as JSON.</summary>
    public static void MeasureHere(BenchModel model, string blobPath)
    {
        Dataset rows = model.Rows(CalibrationRows, seed: 1);
        ModelGraph graph = OnnxImporter.Load(model.Onnx);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using Process self = Process.GetCurrentProcess();
        long before = self.WorkingSet64;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var stages = new StageClock(watch);
        QuantizationResult result = Quantizer.Quantize(graph, rows, new QuantizeOptions(), stages);
        watch.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        self.Refresh();
        long peak = self.PeakWorkingSet64;
        File.WriteAllBytes(blobPath, result.Blob);
        var executor = new FloatExecutor(graph);
        var executorWatch = Stopwatch.StartNew();
        foreach (float[] row in rows.Features.Take(ExecutorRows))
        {
            executor.Run(row);
        }

        double executorPerRow = executorWatch.Elapsed.TotalSeconds / ExecutorRows;
        double calibrated = stages.LastReport("calibrating");
        double rangesChosen = stages.LastReport("choosing ranges");
        var cost = new QuantizationCost(rows.Count, model.Features, watch.Elapsed.TotalSeconds, calibrated, rangesChosen > 0 ? rangesChosen - calibrated : 0,
            executorPerRow, before, peak, allocated, result.Blob.Length);
        Console.WriteLine(JsonSerializer.Serialize(cost));
    }

    /// <summary>When each stage last reported progress, in seconds since the quantization started (reported synchronously).</summary>
    private sealed class StageClock(Stopwatch watch) : IProgress<ProgressReport>
    {
        private readonly Dictionary<string, double> last = [];

        public void Report(ProgressReport value) => last[value.Stage] = watch.Elapsed.TotalSeconds;

        public double LastReport(string stage) => last.GetValueOrDefault(stage);
    }
}
