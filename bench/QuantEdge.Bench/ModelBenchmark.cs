using System.Diagnostics;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Interpreter;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Bench;

/// <summary>Everything measured for one model.</summary>
internal sealed record ModelResult(BenchModel Model, QuantizationCost Cost, Model Quantized, IReadOnlyList<Contender> Contenders,
    IReadOnlyDictionary<string, double> Identical, IReadOnlyList<LayerTime> Layers);

/// <summary>
/// Regenerates docs/benchmarks.md: for each model, single-sample inference with QuantEdge's host
/// runtime, ONNX Runtime on the float model and ONNX Runtime on the QDQ exports, all in this process
/// on the same inputs; the cost of calibrating and quantizing on 10,000 rows (in a child process each);
/// QuantEdge's kernel throughput.
/// </summary>
internal static class ModelBenchmark
{
    public const string QuantEdgeInt8 = "QuantEdge int8: SetInputs + Invoke + GetOutputs";
    public const string QuantEdgeOneSample = "QuantEdge int8, one sample over and over (see the analysis)";
    public const string QuantEdgeRaw = "QuantEdge int8 from raw integers: SetRawInputs + Invoke + GetOutputs";
    public const string QuantEdgeManaged = "QuantEdge int8 on the managed (device) kernels only: SetInputs + Invoke + GetOutputs";
    public const string OrtFloat = "ONNX Runtime, float model";
    public const string OrtDevice = "ONNX Runtime, QDQ export (Device arithmetic)";
    public const string OrtQdq = "ONNX Runtime, QDQ export (Float arithmetic)";
    public const string OrtQdqInt8 = "ONNX Runtime, QDQ export (Float arithmetic), int8 kernels allowed";
    private const int Samples = 64;

    public static readonly IReadOnlyDictionary<string, Func<BenchModel>> Models = new Dictionary<string, Func<BenchModel>>
    {
        ["mlp"] = BenchModel.Mlp,
        ["cnn"] = BenchModel.Cnn,
    };

    public static void Run(string outputPath)
    {
        var total = Stopwatch.StartNew();
        string loadBefore = Report.LoadAverage();
        var results = new List<ModelResult>();
        foreach ((string key, Func<BenchModel> create) in Models)
        {
            BenchModel model = create();
            string blobPath = Path.Combine(Path.GetTempPath(), $"quantedge-bench-{key}-{Environment.ProcessId}.qem");
            Console.WriteLine($"{model.Name}: calibrating and quantizing on {QuantizationCost.CalibrationRows:N0} rows (child process)...");
            QuantizationCost cost = QuantizationCost.MeasureInChildProcess(key, blobPath);
            byte[] blob = File.ReadAllBytes(blobPath);
            File.Delete(blobPath);
            Console.WriteLine($"{model.Name}: timing inference...");
            results.Add(MeasureInference(model, cost, blob));
        }

        Console.WriteLine("kernel throughput...");
        IReadOnlyList<(Contender Contender, long Macs)> kernels = MeasureKernels();
        string markdown = Report.Write(results, kernels, total.Elapsed, loadBefore);
        // The device section is measured on the nanoCLR by tools/device-test --bench: keep it.
        string? device = File.Exists(outputPath) ? BenchmarkDocument.DeviceSection(File.ReadAllText(outputPath)) : null;
        File.WriteAllText(outputPath, device == null ? markdown : BenchmarkDocument.WithDeviceSection(markdown, device));
        Console.WriteLine($"wrote {outputPath} in {total.Elapsed.TotalSeconds:F0} s");
    }

    private static ModelResult MeasureInference(BenchModel model, QuantizationCost cost, byte[] blob)
    {
        // The QuantEdge rows run on the host SIMD kernels (HostSimd.Enabled), one row on the managed kernels alone; the
        // managed model, the object graph a stock device builds, is also what the report describes (weights in RAM).
        Model managed = Model.Load(blob, allowNativeKernels: false);
        HostSimd.Enabled = HostSimd.Supported;
        Model quantized = Model.Load(blob);
        float[][] samples = model.Rows(Samples, seed: 2).Features;
        int[][] raw = samples.Select(s => DeviceRunner.RawInputs(quantized, s)).ToArray();
        sbyte[][] codes = raw.Select(r => { quantized.SetRawInputs(r); return Enumerable.Range(0, quantized.InputLength).Select(quantized.GetInput).ToArray(); }).ToArray();
        sbyte[][] expected = codes.Select(c => { quantized.SetInputs(c); quantized.Invoke(); var o = new sbyte[quantized.OutputLength]; quantized.GetOutputs(o); return o; }).ToArray();
        var output = new sbyte[quantized.OutputLength];

        int outputs = quantized.OutputLength;
        using var ortFloat = new OrtRunner(model.Onnx, model.SampleShape, outputs);
        using var ortDevice = new OrtRunner(QdqExporter.Export(blob, QdqArithmetic.Device), model.SampleShape, outputs);
        using var ortQdq = new OrtRunner(QdqExporter.Export(blob, QdqArithmetic.Float), model.SampleShape, outputs);
        using var ortQdqInt8 = new OrtRunner(QdqExporter.Export(blob, QdqArithmetic.Float), model.SampleShape, outputs,
            o => o.AddSessionConfigEntry("session.qdqisint8allowed", "1"));
        var exports = new Dictionary<string, OrtRunner> { [OrtDevice] = ortDevice, [OrtQdq] = ortQdq, [OrtQdqInt8] = ortQdqInt8 };
        IReadOnlyList<InputRule> rules = BlobReader.Read(blob).Model.InputRules;
        var identical = exports.ToDictionary(e => e.Key, e => IdenticalOutputs(e.Value, quantized, rules, codes, expected));

        var contenders = new List<Contender>
        {
            new(QuantEdgeInt8, i => { quantized.SetInputs(codes[i]); quantized.Invoke(); quantized.GetOutputs(output); }),
            new(QuantEdgeOneSample, _ => { quantized.SetInputs(codes[0]); quantized.Invoke(); quantized.GetOutputs(output); }),
            new(QuantEdgeRaw, i => { quantized.SetRawInputs(raw[i]); quantized.Invoke(); quantized.GetOutputs(output); }),
            new(QuantEdgeManaged, i => { managed.SetInputs(codes[i]); managed.Invoke(); managed.GetOutputs(output); }),
            new(OrtFloat, i => ortFloat.Run(samples[i])),
        };
        contenders.AddRange(exports.Select(e => new Contender(e.Key, i => e.Value.Run(samples[i]))));
        // The layers alone are timed in the same rounds, so that their times compare with the whole model's.
        IReadOnlyList<LayerTime> layers = LayerTiming.Prepare(blob, codes);
        Harness.Measure([.. contenders, .. layers.Select(l => l.Contender)], Samples);
        HostSimd.Enabled = false;
        return new ModelResult(model, cost, managed, contenders, identical, layers);
    }

    /// <summary>
    /// The fraction of int8 outputs an export gives identical to QuantEdge's, fed the dequantized values
    /// of the same int8 inputs (its float output quantized back with the output's scale and zero point).
    /// </summary>
    private static double IdenticalOutputs(OrtRunner runner, Model model, IReadOnlyList<InputRule> rules, sbyte[][] codes, sbyte[][] expected)
    {
        TensorInfo input = model.InputTensor, output = model.OutputTensor;
        int[] inputOrder = DeviceRunner.InputOrder(input), outputOrder = DeviceRunner.InputOrder(output);
        float outputScale = BitConverter.Int32BitsToSingle(output.ScaleBits);
        int same = 0;
        for (int s = 0; s < codes.Length; s++)
        {
            var dequantized = new float[codes[s].Length];
            for (int j = 0; j < dequantized.Length; j++)
            {
                InputRule rule = rules[rules.Count == 1 ? 0 : j];
                dequantized[inputOrder[j]] = (float)((codes[s][j] - rule.ZeroPoint) * rule.Scale + rule.RealOffset);
            }

            runner.Run(dequantized);
            for (int j = 0; j < expected[s].Length; j++)
            {
                same += (int)Math.Round(runner.Output[outputOrder[j]] / (double)outputScale) + output.ZeroPoint == expected[s][j] ? 1 : 0;
            }
        }

        return same / (double)(codes.Length * expected[0].Length);
    }

    /// <summary>The kernels of <see cref="KernelBenchmarks"/>, timed with the same harness.</summary>
    private static IReadOnlyList<(Contender Contender, long Macs)> MeasureKernels()
    {
        var kernels = new List<(Contender, long)>();
        // The layouts in RAM: the host benchmark times kernels, not where their weights are read from (the device benchmark times Streamed).
        foreach (WeightLayout layout in new[] { WeightLayout.Int8Rows, WeightLayout.Int64Pairs })
        {
            var k = new KernelBenchmarks { Layout = layout };
            k.Setup();
            kernels.Add((new Contender($"FullyConnected {KernelBenchmarks.FcDepth}→{KernelBenchmarks.FcOutputs}, {layout}", _ => k.FullyConnected256x64()), KernelBenchmarks.FcMacs));
            kernels.Add((new Contender($"Conv2D {KernelBenchmarks.ConvSize}×{KernelBenchmarks.ConvSize}×{KernelBenchmarks.ConvIn} 3×3 → {KernelBenchmarks.ConvOut}, {layout}", _ => k.Conv2D16x16()), KernelBenchmarks.ConvMacs));
        }

        Harness.Measure(kernels.Select(k => k.Item1).ToList(), 1);
        return kernels;
    }
}
