using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Calibration;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Quantization.Lowering;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Quantization;

/// <summary>How to quantize.</summary>
public sealed record QuantizeOptions
{
    /// <summary>How each activation's range is chosen from the calibration data.</summary>
    public CalibrationMethod Method { get; init; } = CalibrationMethod.Auto;

    /// <summary>One weight scale per layer instead of one per output channel (to compare; per-channel is better).</summary>
    public bool PerTensorWeights { get; init; }

    /// <summary>Calibrate on the first N rows only (all when null).</summary>
    public int? Samples { get; init; }

    /// <summary>
    /// Quantize a feature-vector input per feature (each its own scale and zero point, compensated in
    /// the first layer) rather than with one scale for all. Off only to compare: with features of
    /// different ranges (an ADC count beside a ratio) one scale destroys the small ones.
    /// </summary>
    public bool PerFeatureInput { get; init; } = true;

    /// <summary>Correct each layer's bias for the expected error its weight rounding adds.</summary>
    public bool BiasCorrection { get; init; } = true;

    /// <summary>
    /// RAM the device may spend on weights and activations. Layers get the faster Int64Pairs weight
    /// layout (4 bytes per weight), the most MACs per byte first, while the total stays within this.
    /// An ESP32 WROOM leaves about 79 KB of managed heap; the default keeps room for the application.
    /// </summary>
    public int RamBudgetBytes { get; init; } = 48 * 1024;

    public string? ModelName { get; init; }

    public string[]? ClassLabels { get; init; }
}

/// <summary>One device layer as quantized.</summary>
public sealed record LayerSummary(string Name, string Op, int[] InputDims, int[] OutputDims, long Macs, WeightLayout Layout, int WeightBytes);

/// <summary>The quantized model: its blob, the device model behind it, the ranges chosen and the layers.</summary>
public sealed record QuantizationResult(byte[] Blob, DeviceModel Device, IReadOnlyList<ChosenRange> Ranges, IReadOnlyList<LayerSummary> Layers)
{
    internal DevicePlan Plan { get; init; } = null!;
}

/// <summary>
/// Float ONNX graph + calibration rows → int8 device model, in the TFLite int8 scheme: per-channel
/// symmetric weights, asymmetric int8 activations, int32 bias, integer-only requantization. Steps:
/// plan the device ops (fusing activations), run the float model over the calibration rows observing
/// every tensor the device will hold, choose each tensor's range, quantize weights and biases (with
/// bias correction) and lower to NHWC device ops, choose weight layouts within the RAM budget, and
/// write the blob with a golden vector computed by the device runtime itself.
/// </summary>
public static class Quantizer
{
    /// <summary>Rows the auto method evaluates each candidate range on.</summary>
    private const int AutoEvaluationRows = 256;

    public static QuantizationResult Quantize(ModelGraph graph, Dataset calibration, QuantizeOptions options, IProgress<ProgressReport>? progress = null)
    {
        DevicePlan plan = DevicePlan.Build(graph, options.PerFeatureInput);
        Dataset rows = calibration.Take(options.Samples);
        rows.RequireFeatureCount(plan.Value(plan.Input).Length, "the model");
        Dictionary<string, ValueStatistics> statistics = Calibrate(plan, rows, progress);

        var ranges = new RangeSelection(plan, statistics);
        if (options.Method == CalibrationMethod.Auto)
        {
            ChooseAutomatically(plan, ranges, statistics, rows, options, progress);
        }
        else
        {
            ranges.UseEverywhere(options.Method);
        }

        DeviceModel device = Lowerer.Lower(plan, ranges.Resolve(), statistics, options);
        LayoutChooser.Choose(device, options.RamBudgetBytes);
        byte[] blob = BlobWriter.WriteWithGolden(device, rawInput: GoldenRawInput(device, plan, rows));
        return new QuantizationResult(blob, device, ranges.Chosen, Summaries(device)) { Plan = plan };
    }

    /// <summary>Runs the float model over every row, observing each value the device will hold as a tensor.</summary>
    private static Dictionary<string, ValueStatistics> Calibrate(DevicePlan plan, Dataset rows, IProgress<ProgressReport>? progress)
    {
        var statistics = plan.Values.DistinctBy(v => v.Source).ToDictionary(v => v.Source, v => new ValueStatistics(v.Source, v.Length), StringComparer.Ordinal);
        var executor = new FloatExecutor(plan.Graph);
        for (int r = 0; r < rows.Count; r++)
        {
            executor.Run(rows.Features[r], (name, _, values) =>
            {
                if (statistics.TryGetValue(name, out ValueStatistics? stats))
                {
                    stats.Observe(values);
                }
            });
            if (r % 64 == 63 || r == rows.Count - 1)
            {
                progress?.Report(new ProgressReport("calibrating", r + 1, rows.Count));
            }
        }

        return statistics;
    }

    /// <summary>
    /// Greedy, one tensor (or tied group) at a time in graph order: try each method's range and keep
    /// the one whose quantized model agrees best with the float model on calibration rows (fewest
    /// changed predictions, then the smallest output error).
    /// </summary>
    private static void ChooseAutomatically(DevicePlan plan, RangeSelection ranges, Dictionary<string, ValueStatistics> statistics,
        Dataset rows, QuantizeOptions options, IProgress<ProgressReport>? progress)
    {
        ranges.UseEverywhere(CalibrationMethod.Mse);
        Dataset sample = rows.Take(AutoEvaluationRows);
        var executor = new FloatExecutor(plan.Graph);
        float[][] reference = sample.Features.Select(f => executor.Run(f)).ToArray();
        int[] outputOrder = plan.Value(plan.Output).FlatOrder;
        var candidates = new[] { CalibrationMethod.Mse, CalibrationMethod.MinMax, CalibrationMethod.Percentile };
        IReadOnlyList<string> choices = ranges.Choosable;
        for (int i = 0; i < choices.Count; i++)
        {
            CalibrationMethod best = CalibrationMethod.Mse;
            (int Disagreements, double Error) bestScore = (int.MaxValue, double.PositiveInfinity);
            foreach (CalibrationMethod method in candidates)
            {
                ranges.Use(choices[i], method);
                DeviceModel device = Lowerer.Lower(plan, ranges.Resolve(), statistics, options);
                var score = Score(device, sample, reference, outputOrder);
                if (score.Disagreements < bestScore.Disagreements || (score.Disagreements == bestScore.Disagreements && score.Error < bestScore.Error))
                {
                    (best, bestScore) = (method, score);
                }
            }

            ranges.Use(choices[i], best, auto: true);
            progress?.Report(new ProgressReport("choosing ranges", i + 1, choices.Count));
        }
    }

    /// <summary>How far a candidate device model is from the float model: changed predictions, then mean squared output error.</summary>
    private static (int Disagreements, double Error) Score(DeviceModel device, Dataset rows, float[][] reference, int[] outputOrder)
    {
        sbyte[] placeholderInput = new sbyte[device.Tensors[device.Input].Elements];
        sbyte[] placeholderOutput = new sbyte[device.Tensors[device.Output].Elements];
        Model model = Model.Load(BlobWriter.Write(device, new GoldenVector(null, placeholderInput, placeholderOutput)));
        int disagreements = 0;
        double error = 0;
        for (int r = 0; r < rows.Count; r++)
        {
            Prediction prediction = DeviceRunner.Run(model, rows.Features[r]);
            float[] expected = reference[r];
            if (ArgMax(expected, outputOrder) != prediction.Class)
            {
                disagreements++;
            }

            for (int j = 0; j < prediction.Outputs.Length; j++)
            {
                double e = prediction.Outputs[j] - expected[outputOrder[j]];
                error += e * e;
            }
        }

        return (disagreements, error);
    }

    /// <summary>The device-order argmax of a float output (lowest index wins a tie, as on the device).</summary>
    internal static int ArgMax(float[] values, int[] deviceOrder)
    {
        int best = 0;
        for (int j = 1; j < deviceOrder.Length; j++)
        {
            if (values[deviceOrder[j]] > values[deviceOrder[best]])
            {
                best = j;
            }
        }

        return best;
    }

    private static int[] GoldenRawInput(DeviceModel device, DevicePlan plan, Dataset rows)
    {
        Model model = Model.Load(BlobWriter.Write(device, new GoldenVector(null,
            new sbyte[device.Tensors[device.Input].Elements], new sbyte[device.Tensors[device.Output].Elements])));
        return DeviceRunner.RawInputs(model, rows.Features[0]);
    }

    private static List<LayerSummary> Summaries(DeviceModel device)
    {
        Model model = Model.Load(BlobWriter.Write(device, new GoldenVector(null,
            new sbyte[device.Tensors[device.Input].Elements], new sbyte[device.Tensors[device.Output].Elements])));
        return device.Ops.Select((op, i) =>
        {
            var loaded = model.GetOp(i);
            DeviceTensor input = device.Tensors[op.InputTensors[0]];
            DeviceTensor output = device.Tensors[op.OutputTensor];
            return new LayerSummary(output.Name, op.GetType().Name.Replace("Op", ""), input.Dims, output.Dims, loaded.Macs, op.Layout, loaded.WeightBytes);
        }).ToList();
    }
}
