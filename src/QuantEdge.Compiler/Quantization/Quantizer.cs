using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Calibration;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Quantization.Lowering;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Format;
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

    /// <summary>How each fully connected and convolution layer's weights are rounded to int8 (<see cref="WeightRounding"/>).</summary>
    public WeightRounding Rounding { get; init; } = WeightRounding.Auto;

    /// <summary>The layers (node names) <see cref="WeightRounding.Auto"/> rounds output-aware; the quantizer fills it.</summary>
    internal IReadOnlySet<string> OutputAwareLayers { get; init; } = new HashSet<string>();

    internal bool RoundsOutputAware(string layer) =>
        Rounding == WeightRounding.OutputAware || (Rounding == WeightRounding.Auto && OutputAwareLayers.Contains(layer));

    /// <summary>Correct each layer's bias for the expected error its weight rounding adds.</summary>
    public bool BiasCorrection { get; init; } = true;

    /// <summary>
    /// RAM the device may spend on weights and activations. Fully connected layers stream their weights
    /// from flash, the largest first, while the model would not fit otherwise (<see cref="Weights"/>); then
    /// layers get the faster Int64Pairs weight layout (4 bytes per weight), the most MACs per byte first,
    /// while the total stays within this (<see cref="LayoutChooser"/>).
    /// An ESP32 WROOM leaves about 79 KB of managed heap; the default keeps room for the application.
    /// </summary>
    public int RamBudgetBytes { get; init; } = 48 * 1024;

    /// <summary>
    /// Whether fully connected weights may stay in flash, read during Invoke (the Streamed layout): when the
    /// model would not fit <see cref="RamBudgetBytes"/> otherwise (auto), never, or always.
    /// </summary>
    public WeightPlacement Weights { get; init; } = WeightPlacement.Auto;

    public string? ModelName { get; init; }

    /// <summary>
    /// The output names the blob records: a classifier's class labels (<c>--classes</c>), a regressor's values.
    /// </summary>
    public string[]? OutputNames { get; init; }

    /// <summary>What the outputs mean; null: inferred from the graph (<see cref="ModelTasks.Infer"/>).</summary>
    public ModelTask? Task { get; init; }

    /// <summary>
    /// Input feature names the blob stores, in the model's input order; null: the names the model's metadata states, if
    /// any. A blob without names costs no bytes or device RAM for them; the device then knows a feature by its index.
    /// </summary>
    public string[]? FeatureNames { get; init; }
}

/// <summary>How a fully connected or convolution layer's weights are rounded to int8 codes (a depthwise convolution's always to nearest).</summary>
public enum WeightRounding
{
    /// <summary>Output-aware on each layer where it makes the int8 model agree better with the float one on the calibration rows, nearest elsewhere.</summary>
    Auto,

    /// <summary>Each weight to its nearest code.</summary>
    Nearest,

    /// <summary>Each output channel's codes chosen together for the least output error on the calibration inputs (<see cref="OutputAwareRounding"/>).</summary>
    OutputAware,
}

/// <summary>One device layer as quantized.</summary>
public sealed record LayerSummary(string Name, string Op, int[] InputDims, int[] OutputDims, long Macs, WeightLayout Layout, int WeightBytes);

/// <summary>The quantized model: its blob, the device model behind it, the ranges chosen and the layers.</summary>
public sealed record QuantizationResult(byte[] Blob, DeviceModel Device, IReadOnlyList<ChosenRange> Ranges, IReadOnlyList<LayerSummary> Layers)
{
    internal DevicePlan Plan { get; init; } = null!;

    /// <summary>The calibration method used everywhere when <see cref="CalibrationMethod.Auto"/> fell back to another (see <see cref="Note"/>).</summary>
    public CalibrationMethod? FallbackMethod { get; init; }

    /// <summary>Why the quantizer did something other than asked (the auto method's fallback), in words; null otherwise.</summary>
    public string? Note { get; init; }

    /// <summary>The layers (node names) whose weights were rounded output-aware; the others were rounded to nearest.</summary>
    public IReadOnlyList<string> OutputAwareLayers { get; init; } = [];
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
    /// <summary>
    /// Rows the auto method evaluates each candidate range on: at least this many, more for small
    /// models (up to <see cref="AutoEvaluationMacs"/> MACs per candidate), all when there are fewer.
    /// </summary>
    private const int AutoEvaluationRows = 256;

    private const long AutoEvaluationMacs = 4_000_000;

    /// <summary>At most this many rows judge an anomaly score's candidates: ranking them compares every pair.</summary>
    private const int AutoRankedRows = 1024;

    public static QuantizationResult Quantize(ModelGraph graph, Dataset calibration, QuantizeOptions options, IProgress<ProgressReport>? progress = null)
    {
        // Sizes first, from the shapes alone: nothing below allocates per element before these pass.
        HostLimits.CheckModel(graph, "the model");
        Dataset rows = calibration.Take(options.Samples);
        if (graph.Inputs.Count == 1)
        {
            rows.RequireFeatureCount(FloatTensor.ElementCount(graph.Inputs[0].Shape), "the model");
        }

        DevicePlan plan = DevicePlan.Build(graph, options.PerFeatureInput);
        CheckDeviceCounts(plan);
        options = options with { FeatureNames = options.FeatureNames ?? ModelTasks.StatedFeatureNames(graph), Task = options.Task ?? ModelTasks.Infer(graph) };
        rows.RequireFeatureCount(plan.Value(plan.Input).Length, "the model");
        (Dictionary<string, ValueStatistics> statistics, Dictionary<string, InputCovariance> covariances) = Calibrate(plan, rows, options.Rounding, progress);
        var ranges = new RangeSelection(plan, statistics, FeatureStatistics(plan, rows));
        string? note = null;
        CalibrationMethod? fallback = null;
        if (options.Method == CalibrationMethod.Auto)
        {
            note = ChooseAutomatically(plan, ranges, statistics, rows, options, progress);
            fallback = note is null ? null : CalibrationMethod.Mse;
        }
        else
        {
            ranges.UseEverywhere(options.Method);
        }

        options = options with
        {
            OutputAwareLayers = options.Rounding == WeightRounding.Auto ? ChooseRounding(plan, ranges, statistics, covariances, rows, options, progress) : [],
        };
        DeviceModel device = Lowerer.Lower(plan, ranges.Resolve(), statistics, options, covariances);
        // The chooser loads the model to measure its RAM, so the device's refusal is reported from there too.
        int[] goldenRawInput = DeviceAccepts(() => GoldenRawInput(device, rows));
        DeviceAccepts(() => { LayoutChooser.Choose(device, options.RamBudgetBytes, options.Weights, goldenRawInput); return 0; });
        byte[] blob = DeviceAccepts(() => BlobWriter.WriteWithGolden(device, rawInput: goldenRawInput));
        return new QuantizationResult(blob, device, ranges.Chosen, Summaries(device))
        {
            Plan = plan,
            Note = note,
            FallbackMethod = fallback,
            OutputAwareLayers = covariances.Keys.Where(options.RoundsOutputAware).ToList(),
        };
    }

    /// <summary>
    /// Greedy, layer by layer in graph order: round a fully connected or convolution layer output-aware when the model then agrees
    /// better with the float model on the calibration sample as the task judges it (<see cref="Judge.Score"/>); nearest otherwise. A
    /// classifier must change fewer predictions: a smaller margin error alone did not carry over to held-out rows (on the accuracy
    /// table's models it flipped as many test rows one way as the other).
    /// </summary>
    private static HashSet<string> ChooseRounding(DevicePlan plan, RangeSelection ranges, Dictionary<string, ValueStatistics> statistics,
        Dictionary<string, InputCovariance> covariances, Dataset rows, QuantizeOptions options, IProgress<ProgressReport>? progress)
    {
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        string[] candidates = covariances.Keys.ToArray();
        if (candidates.Length == 0)
        {
            return chosen;
        }

        ActivationQuantization quantization = ranges.Resolve();
        DeviceModel nearest = Lowerer.Lower(plan, quantization, statistics, options with { OutputAwareLayers = chosen }, covariances);
        var judge = Judge.For(plan, rows.Take(SampleSize(LoadWithoutGolden(nearest).Macs, rows, options)), options);
        var best = judge.Score(nearest);
        for (int i = 0; i < candidates.Length; i++)
        {
            var trial = new HashSet<string>(chosen, StringComparer.Ordinal) { candidates[i] };
            var score = judge.Score(Lowerer.Lower(plan, quantization, statistics, options with { OutputAwareLayers = trial }, covariances));
            if (judge.Classifier ? score.Disagreements < best.Disagreements : Judge.IsBetter(score, best))
            {
                (chosen, best) = (trial, score);
            }

            progress?.Report(new ProgressReport("choosing weight rounding", i + 1, candidates.Length));
        }

        return chosen;
    }

    /// <summary>A device model holds at most <see cref="BlobFormat.MaxOps"/> ops and <see cref="BlobFormat.MaxTensors"/> tensors.</summary>
    private static void CheckDeviceCounts(DevicePlan plan)
    {
        int values = plan.Values.Count();
        if (plan.Steps.Count > BlobFormat.MaxOps || values > BlobFormat.MaxTensors)
        {
            throw new UnsupportedModelException($"the model needs {HostLimits.Count(plan.Steps.Count)} device ops and {HostLimits.Count(values)} tensors; " +
                $"a device model holds at most {HostLimits.Count(BlobFormat.MaxOps)} ops and {HostLimits.Count(BlobFormat.MaxTensors)} tensors");
        }
    }

    /// <summary>
    /// Runs the float model over every row, observing each value the device will hold as a tensor and, unless rounding is
    /// nearest, the input covariance of each layer output-aware rounding can serve (keyed by node name, in graph order). A
    /// row that makes any value non-finite (float32 overflow) is refused, naming the row and the value.
    /// </summary>
    private static (Dictionary<string, ValueStatistics>, Dictionary<string, InputCovariance>) Calibrate(DevicePlan plan, Dataset rows,
        WeightRounding rounding, IProgress<ProgressReport>? progress)
    {
        var statistics = plan.Values.DistinctBy(v => v.Source).ToDictionary(v => v.Source, v => new ValueStatistics(v.Source, v.Length), StringComparer.Ordinal);
        var covariances = new Dictionary<string, InputCovariance>(StringComparer.Ordinal);
        var readers = new List<(string Source, Node Layer, InputCovariance Covariance)>();
        foreach (Step step in plan.Steps.Where(s => rounding != WeightRounding.Nearest && s.Kind is StepKind.FullyConnected or StepKind.Conv2D))
        {
            int length = step.Node is Conv2DNode conv ? conv.Weights.Shape[1] * conv.Kernel.Height * conv.Kernel.Width : plan.Value(step.Inputs[0]).Length;
            if (length <= InputCovariance.MaxLength && !covariances.ContainsKey(step.Node.Name))
            {
                covariances[step.Node.Name] = new InputCovariance(length);
                readers.Add((plan.Value(step.Inputs[0]).Source, step.Node, covariances[step.Node.Name]));
            }
        }

        var observers = statistics.Values.Select(stats => new CalibrationObserver(stats.Name, stats, null, null))
            .Concat(readers.Select(reader => new CalibrationObserver(reader.Source, null, reader.Layer, reader.Covariance)))
            .ToArray();

        // Rows in chunks: the float model runs a chunk's rows side by side (an executor per row, each keeping all
        // of its row's values), then each tensor's statistics observe the chunk's rows in row order, tensors side by
        // side. Every tensor sees the rows in the same order as one row at a time would show them, so the statistics
        // (reservoir samples included: each tensor draws from its own seeded generator) and the blob are the same.
        var executor = new FloatExecutor(plan.Graph);
        int chunk = (int)Math.Clamp(CalibrationChunkBytes / Math.Max(executor.BufferBytes, 1), 1, CalibrationChunkRows);
        var executors = new FloatExecutor[chunk];
        executors[0] = executor;
        for (int start = 0; start < rows.Count; start += chunk)
        {
            int count = Math.Min(chunk, rows.Count - start);
            var failures = new InputFileException?[count];
            Parallel.For(0, count, i =>
            {
                int row = start + i;
                executors[i] ??= new FloatExecutor(plan.Graph);
                try
                {
                    executors[i].Run(rows.Features[row], (name, _, values) => FloatExecutor.RequireFinite(plan.Graph, name, values, rows, row));
                }
                catch (InputFileException failure)
                {
                    failures[i] = failure;
                }
            });

            // The first row that overflowed, as a run one row at a time would have refused it.
            if (failures.FirstOrDefault(f => f is not null) is { } first)
            {
                throw first;
            }

            Parallel.ForEach(observers, observer =>
            {
                for (int i = 0; i < count; i++)
                {
                    observer.Observe(plan.Graph, executors[i], start + i);
                }
            });
            progress?.Report(new ProgressReport("calibrating", start + count, rows.Count));
        }

        return (statistics, covariances);
    }

    /// <summary>At most this many calibration rows run side by side (an executor each).</summary>
    private const int CalibrationChunkRows = 64;

    /// <summary>...and their executors' buffers take at most this many bytes (one row at a time past it).</summary>
    private const long CalibrationChunkBytes = 32L << 20;

    /// <summary>What calibration gathers from one value: its statistics, or a layer's input covariance.</summary>
    private sealed record CalibrationObserver(string Value, ValueStatistics? Statistics, Node? Layer, InputCovariance? Covariance)
    {
        public void Observe(ModelGraph graph, FloatExecutor executor, int row)
        {
            ReadOnlySpan<float> values = executor.Value(Value);
            Statistics?.Observe(values);
            if (Covariance is null || row >= InputCovariance.MaxRows)
            {
                return;
            }

            if (Layer is Conv2DNode conv)
            {
                Covariance.ObservePatches(conv, graph.ShapeOf(Value), values);
            }
            else
            {
                Covariance.Observe(values);
            }
        }
    }

    /// <summary>Each input feature's values on its own (device order), when the input is quantized per feature.</summary>
    private static List<ValueStatistics> FeatureStatistics(DevicePlan plan, Dataset rows)
    {
        if (!plan.PerFeatureInput)
        {
            return [];
        }

        int[] order = plan.Value(plan.Input).FlatOrder;
        var features = order.Select(f => new ValueStatistics($"{plan.Input}[{rows.FeatureNames[f]}]", 1)).ToList();
        foreach (float[] row in rows.Features)
        {
            for (int j = 0; j < order.Length; j++)
            {
                features[j].Observe([row[order[j]]]);
            }
        }

        return features;
    }

    /// <summary>
    /// Greedy, one tensor (or tied group) at a time in graph order: try each method's range and keep
    /// the one whose quantized model agrees best with the float model on calibration rows, as the task
    /// judges it (<see cref="Judge.Score"/>): a classifier's changed predictions, an anomaly score's changed
    /// order, then the output error.
    /// </summary>
    /// <remarks>
    /// Each candidate is judged on the whole device model, so the search costs tensors × candidates × rows × the
    /// model's work per row. Within <see cref="HostLimits.AutoSearchWork"/> the sample of rows shrinks to fit;
    /// when even <see cref="HostLimits.AutoSearchMinRows"/> rows would not fit, every tensor keeps the mse range
    /// and the returned note says so (null when the search ran).
    /// </remarks>
    private static string? ChooseAutomatically(DevicePlan plan, RangeSelection ranges, Dictionary<string, ValueStatistics> statistics,
        Dataset rows, QuantizeOptions options, IProgress<ProgressReport>? progress)
    {
        ranges.UseEverywhere(CalibrationMethod.Mse);
        long macs = Math.Max(1, LoadWithoutGolden(Lowerer.Lower(plan, ranges.Resolve(), statistics, options)).Macs);
        long perRow = macs + HostLimits.AutoSearchOpCost * (long)plan.Steps.Count;
        long trials = (long)ranges.Choosable.Count * (AutoCandidates + 1);
        long affordable = HostLimits.AutoSearchWork / Math.Max(1, trials * perRow);
        if (affordable < Math.Min(HostLimits.AutoSearchMinRows, rows.Count))
        {
            return $"method auto: {HostLimits.Count(ranges.Choosable.Count)} tensors over {HostLimits.Count(plan.Steps.Count)} device ops are too many to " +
                "search one by one within the host's budget; every tensor uses the mse range";
        }

        var judge = Judge.For(plan, rows.Take((int)Math.Min(SampleSize(macs, rows, options), affordable)), options);
        CalibrationMethod[] candidates = [CalibrationMethod.Mse, CalibrationMethod.MinMax, CalibrationMethod.Percentile];
        IReadOnlyList<string> choices = ranges.Choosable;

        for (int i = 0; i < choices.Count; i++)
        {
            CalibrationMethod best = CalibrationMethod.Mse;
            (double Disagreements, double Error) bestScore = (double.PositiveInfinity, double.PositiveInfinity);
            // A classifier's output only feeds the argmax: one more candidate spends its codes on the
            // range where the top two scores meet.
            bool decides = judge.Classifier && ranges.IsOutputGroup(choices[i]);
            foreach (CalibrationMethod method in decides ? [.. candidates, CalibrationMethod.Decision] : candidates)
            {
                ranges.Use(choices[i], method);
                DeviceModel device = Lowerer.Lower(plan, ranges.Resolve(), statistics, options);
                var score = judge.Score(device);
                if (Judge.IsBetter(score, bestScore))
                {
                    (best, bestScore) = (method, score);
                }
            }

            ranges.Use(choices[i], best, auto: true);
            progress?.Report(new ProgressReport("choosing ranges", i + 1, choices.Count));
        }

        return null;
    }

    /// <summary>
    /// Rows a candidate is judged on: at least <see cref="AutoEvaluationRows"/>, more for small models (up to
    /// <see cref="AutoEvaluationMacs"/> MACs per candidate), at most <see cref="AutoRankedRows"/> for an anomaly score.
    /// </summary>
    private static int SampleSize(long macs, Dataset rows, QuantizeOptions options)
    {
        int wanted = (int)Math.Max(AutoEvaluationRows, Math.Min(rows.Count, AutoEvaluationMacs / Math.Max(1, macs)));
        return options.Task == ModelTask.Anomaly ? Math.Min(wanted, AutoRankedRows) : wanted;
    }

    /// <summary>Candidate methods per tensor (mse, minmax, percentile), and one more for a classifier's output.</summary>
    private const int AutoCandidates = 3;

    /// <summary>A device model as the stock device loads it (its work, sizes and inputs), with an empty golden vector (it is not self-tested).</summary>
    private static Model LoadWithoutGolden(DeviceModel device) => DeviceAccepts(() => Model.Load(WithoutGolden(device)));

    /// <summary>A device model's blob with an empty golden vector (the model is not self-tested).</summary>
    internal static byte[] WithoutGolden(DeviceModel device) =>
        BlobWriter.Write(device, new GoldenVector(null, new sbyte[device.Tensors[device.Input].Elements], new sbyte[device.Tensors[device.Output].Elements]));

    /// <summary>
    /// The device's loader checks every blob the quantizer writes; what it refuses is a model whose numbers int8
    /// with int32 sums cannot hold (a bias of 1e38, a range no scale spans): bad input, not a crash.
    /// </summary>
    internal static T DeviceAccepts<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (ModelFormatException e)
        {
            throw new UnsupportedModelException($"the device would refuse the quantized model ({e.Message}): the model's weights, biases or values are too large for int8 with int32 sums");
        }
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

    private static int[] GoldenRawInput(DeviceModel device, Dataset rows) =>
        DeviceRunner.RawInputs(LoadWithoutGolden(device), rows.Features[0]);

    private static List<LayerSummary> Summaries(DeviceModel device)
    {
        Model model = LoadWithoutGolden(device);
        return device.Ops.Select((op, i) =>
        {
            var loaded = model.GetOp(i);
            DeviceTensor input = device.Tensors[op.InputTensors[0]];
            DeviceTensor output = device.Tensors[op.OutputTensor];
            return new LayerSummary(output.Name, op.Kind, [.. input.Dims], [.. output.Dims], loaded.Macs, op.Layout, loaded.WeightBytes);
        }).ToList();
    }
}
