using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Calibration;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Compiler.Quantization.Lowering;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Kernels;
using Xunit.Abstractions;

namespace QuantEdge.Compiler.Tests.Quantization;

public class QuantizerTests(ITestOutputHelper output)
{
    /// <summary>Rows of random inputs, labelled by the float model's own prediction.</summary>
    internal static Dataset Rows(ModelGraph graph, int count, int seed, Func<Random, int, float>? feature = null)
    {
        var random = new Random(seed);
        int length = FloatTensor.ElementCount(graph.Inputs[0].Shape);
        feature ??= (r, _) => (float)(r.NextDouble() * 2 - 1);
        float[][] rows = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, length).Select(i => feature(random, i)).ToArray()).ToArray();
        var executor = new FloatExecutor(graph);
        int[] labels = rows.Select(r => { float[] y = executor.Run(r); return Array.IndexOf(y, y.Max()); }).ToArray();
        return new Dataset(Enumerable.Range(0, length).Select(i => $"x{i}").ToArray(), rows, labels, "generated");
    }

    /// <summary>
    /// Calibration runs rows side by side, up to 64 at a time; of two rows of one such chunk that overflow float32, the
    /// earlier one is refused, as a run one row at a time would refuse it.
    /// </summary>
    [Fact]
    public void CalibrationRefusesTheFirstRowThatOverflows()
    {
        ModelGraph graph = OnnxImporter.Load(TestOnnxModels.Mlp());
        Dataset rows = Rows(graph, 200, 1);
        foreach (int bad in new[] { 100, 70 })
        {
            Array.Fill(rows.Features[bad], float.MaxValue);
        }

        var e = Assert.Throws<InputFileException>(() => Quantizer.Quantize(graph, rows, new QuantizeOptions()));
        Assert.StartsWith("generated: row 71: the float model's value", e.Message);
    }

    [Theory]
    [InlineData(CalibrationMethod.MinMax)]
    [InlineData(CalibrationMethod.Percentile)]
    [InlineData(CalibrationMethod.Mse)]
    [InlineData(CalibrationMethod.Auto)]
    public void Mlp_AgreesWithFloat(CalibrationMethod method)
    {
        ModelGraph graph = OnnxImporter.Load(TestOnnxModels.Mlp());
        Dataset calibration = Rows(graph, 500, 1);
        Dataset test = Rows(graph, 500, 2);
        QuantizationResult q = Quantizer.Quantize(graph, calibration, new QuantizeOptions { Method = method });
        Assert.True(Model.Load(q.Blob).SelfTest());
        EvaluationResult e = Evaluator.Evaluate(q.Blob, test, graph);
        output.WriteLine($"{method}: agreement {e.Agreement:P1}, blob {e.BlobBytes} B, arena {e.ArenaBytes} B");
        // A random MLP's softmax outputs are close together, so 1/256 output steps tie now and then.
        Assert.True(e.Agreement >= 0.95, $"agreement {e.Agreement}");
    }

    /// <summary>
    /// Every layer of a CNN (conv + folded batch norm + ReLU, max pool, conv + ReLU6, depthwise,
    /// global average pool, flatten, dense, softmax) within 25 dB of its float value: int8 alone
    /// bounds the SQNR near 48 dB for a full-range signal; ranges wider than the signal's RMS and
    /// five requantizations in a row cost some of that, and 25 dB (error below 6% RMS) is the floor
    /// we accept. Agreement is not asserted here: the random model's softmax outputs are nearly
    /// uniform, so 1/256 output steps tie often.
    /// </summary>
    [Fact]
    public void Cnn_EveryLayerStaysCloseToFloat()
    {
        ModelGraph graph = OnnxImporter.Load(TestOnnxModels.Cnn());
        QuantizationResult q = Quantizer.Quantize(graph, Rows(graph, 300, 3), new QuantizeOptions());
        Assert.True(Model.Load(q.Blob).SelfTest());
        foreach (LayerError layer in Evaluator.PerLayerError(q, graph, Rows(graph, 100, 4)))
        {
            output.WriteLine($"{layer.Value} ({layer.Op}): {layer.SqnrDb:F1} dB");
            Assert.True(layer.SqnrDb >= 25, $"{layer.Value}: {layer.SqnrDb:F1} dB");
        }
    }

    /// <summary>
    /// The remaining lowerings (flatten of an NCHW image into a dense layer, padded average pool as a
    /// depthwise convolution, standalone batch norm, lookup tables, add, mul, concat), layer by layer
    /// against float, with the same 25 dB floor and reasoning as the CNN test.
    /// </summary>
    [Fact]
    public void Branchy_EveryLayerStaysCloseToFloat()
    {
        ModelGraph graph = OnnxImporter.Load(TestOnnxModels.Branchy());
        Dataset calibration = Rows(graph, 300, 8);
        QuantizationResult q = Quantizer.Quantize(graph, calibration, new QuantizeOptions());
        Assert.True(Model.Load(q.Blob).SelfTest());
        output.WriteLine(string.Join(", ", q.Layers.Select(l => l.Op)));
        foreach (LayerError layer in Evaluator.PerLayerError(q, graph, Rows(graph, 100, 9)))
        {
            output.WriteLine($"{layer.Value} ({layer.Op}): {layer.SqnrDb:F1} dB");
            Assert.True(layer.SqnrDb >= 25, $"{layer.Value}: {layer.SqnrDb:F1} dB");
        }

        EvaluationResult e = Evaluator.Evaluate(q.Blob, Rows(graph, 300, 10), graph);
        output.WriteLine($"agreement {e.Agreement:P1}");
        Assert.True(e.Agreement >= 0.95, $"agreement {e.Agreement}");
    }

    /// <summary>
    /// A linear model with a scaler folded in sees raw features of very different ranges (an ADC
    /// count, a ratio, a tiny signed signal, a large count, a pressure of 1000–1020 hPa far from
    /// zero). Per-feature input quantization keeps each one's resolution (the pressure through a raw
    /// offset); one scale for all flattens the small ones.
    /// </summary>
    [Fact]
    public void WideRangeFeatures_NeedPerFeatureInputQuantization()
    {
        double[] spans = [4095, 1, 0.002, 90000, 50, 20];
        double[] offsets = [0, 0, -0.001, 10000, -25, 1000];
        var random = new Random(5);
        // Standardize each feature, then a random linear map to 4 classes: folded into one Gemm.
        float[] w = new float[4 * spans.Length];
        float[] b = new float[4];
        for (int o = 0; o < 4; o++)
        {
            for (int f = 0; f < spans.Length; f++)
            {
                double weight = random.NextDouble() * 2 - 1;
                double std = spans[f] / Math.Sqrt(12), mean = offsets[f] + spans[f] / 2;
                w[o * spans.Length + f] = (float)(weight / std);
                b[o] -= (float)(weight * mean / std);
            }
        }

        byte[] onnx = new OnnxModelBuilder(13)
            .Input("x", "batch", spans.Length)
            .Initializer("W", [4, spans.Length], w)
            .Initializer("B", [4], b)
            .Node("Gemm", ["x", "W", "B"], ["logits"], a => a.Int("transB", 1))
            .Output("logits", "batch", 4)
            .ToBytes();
        ModelGraph graph = OnnxImporter.Load(onnx);
        Func<Random, int, float> feature = (r, f) => (float)(offsets[f] + r.NextDouble() * spans[f]);
        Dataset calibration = Rows(graph, 1000, 6, feature);
        Dataset test = Rows(graph, 1000, 7, feature);

        QuantizationResult quantized = Quantizer.Quantize(graph, calibration, new QuantizeOptions());
        double perFeature = Evaluator.Evaluate(quantized.Blob, test, graph).Agreement!.Value;
        InputRule pressure = quantized.Device.InputRules[5];
        Assert.InRange(pressure.RealOffset, 1005, 1015);
        Assert.InRange(pressure.Scale, 0.05, 0.1);  // about 20 hPa / 255, not 1020 / 255
        double perTensor = Evaluator.Evaluate(Quantizer.Quantize(graph, calibration, new QuantizeOptions { PerFeatureInput = false }).Blob, test, graph).Agreement!.Value;
        output.WriteLine($"agreement per feature {perFeature:P1}, one input scale {perTensor:P1}");
        Assert.True(perFeature >= 0.98, $"per feature: {perFeature}");
        Assert.True(perTensor < 0.8, $"one scale: {perTensor}");
    }

    /// <summary>
    /// Feature names cost blob bytes and device RAM and nothing needs them on the device: the blob holds the names the
    /// model's metadata states, or those the options give (the CLI's --feature-names: the calibration file's), else none.
    /// </summary>
    [Fact]
    public void FeatureNames_AreStoredOnlyWhenTheModelStatesThemOrTheOptionsGiveThem()
    {
        ModelGraph graph = OnnxImporter.Load(TestOnnxModels.Mlp());
        Dataset calibration = Rows(graph, 50, 12);
        string[] stated = Enumerable.Range(0, 16).Select(i => $"sensor{i}").ToArray();
        Model Quantize(QuantizeOptions options) => Model.Load(Quantizer.Quantize(graph, calibration, options with { Method = CalibrationMethod.MinMax }).Blob);

        Model unnamed = Quantize(new QuantizeOptions());
        Assert.Null(unnamed.GetFeatureName(0));
        Assert.Equal("x3", Quantize(new QuantizeOptions { FeatureNames = calibration.FeatureNames }).GetFeatureName(3));

        graph.Metadata = new Dictionary<string, string> { ["feature_names"] = System.Text.Json.JsonSerializer.Serialize(stated) };
        Model named = Quantize(new QuantizeOptions());
        Assert.Equal("sensor3", named.GetFeatureName(3));
        Assert.True(unnamed.SelfTest() && named.SelfTest());
    }

    /// <summary>Inputs that share one latent signal (x_i = 0.9·z + 0.1·noise): the case where rounding weight by weight adds up errors.</summary>
    private static Dataset CorrelatedRows(ModelGraph graph, int count, int seed)
    {
        double latent = 0;
        return Rows(graph, count, seed, (r, i) =>
        {
            latent = i == 0 ? r.NextDouble() * 2 - 1 : latent;
            return (float)(0.9 * latent + 0.1 * (r.NextDouble() * 2 - 1));
        });
    }

    /// <summary>
    /// Output-aware rounding lowers the error of the layer that sees correlated inputs (its output's SQNR against float on
    /// held-out rows), and the result names every fully connected layer it rounded; nearest rounding names none.
    /// </summary>
    [Fact]
    public void OutputAwareRounding_LowersTheFirstLayersErrorOnCorrelatedInputs()
    {
        ModelGraph graph = OnnxImporter.Load(TestOnnxModels.Mlp());
        Dataset calibration = CorrelatedRows(graph, 500, 11);
        Dataset test = CorrelatedRows(graph, 300, 12);
        var options = new QuantizeOptions { Method = CalibrationMethod.MinMax };

        QuantizationResult nearest = Quantizer.Quantize(graph, calibration, options with { Rounding = WeightRounding.Nearest });
        QuantizationResult outputAware = Quantizer.Quantize(graph, calibration, options with { Rounding = WeightRounding.OutputAware });

        Assert.Empty(nearest.OutputAwareLayers);
        Assert.Equal(graph.Nodes.OfType<DenseNode>().Select(d => d.Name), outputAware.OutputAwareLayers);
        Assert.True(Model.Load(outputAware.Blob).SelfTest());
        double before = Evaluator.PerLayerError(nearest, graph, test).First(l => l.Op == "FullyConnected").SqnrDb;
        double after = Evaluator.PerLayerError(outputAware, graph, test).First(l => l.Op == "FullyConnected").SqnrDb;
        output.WriteLine($"first layer: nearest {before:F2} dB, output-aware {after:F2} dB"); // 41.80 and 43.43 when written
        Assert.True(after > before, $"nearest {before:F2} dB, output-aware {after:F2} dB");
    }

    /// <summary>
    /// On a CNN, output-aware rounding serves the convolutions (not the depthwise ones: a channel's few taps see one input
    /// channel) and the dense layer, and lowers the summed squared error of those layers' outputs against float.
    /// </summary>
    [Fact]
    public void OutputAwareRounding_ServesConvolutions()
    {
        ModelGraph graph = OnnxImporter.Load(TestOnnxModels.Cnn());
        Dataset calibration = Rows(graph, 200, 3), test = Rows(graph, 100, 4);
        var options = new QuantizeOptions { Method = CalibrationMethod.MinMax };

        QuantizationResult nearest = Quantizer.Quantize(graph, calibration, options with { Rounding = WeightRounding.Nearest });
        QuantizationResult outputAware = Quantizer.Quantize(graph, calibration, options with { Rounding = WeightRounding.OutputAware });

        string[] served = graph.Nodes.Where(n => n is DenseNode || (n is Conv2DNode c && c.Group == 1)).Select(n => n.Name).ToArray();
        Assert.Equal(served, outputAware.OutputAwareLayers);
        Assert.True(Model.Load(outputAware.Blob).SelfTest());
        var layers = Evaluator.PerLayerError(nearest, graph, test).Zip(Evaluator.PerLayerError(outputAware, graph, test))
            .Where(p => p.First.Op is "Conv2D" or "FullyConnected").ToList();
        foreach (var (n, a) in layers)
        {
            output.WriteLine($"{n.Value} ({n.Op}): nearest {n.SqnrDb:F2} dB, output-aware {a.SqnrDb:F2} dB");
        }

        // Noise power relative to signal, summed over the layers: 10^(−SQNR/10).
        Assert.True(layers.Sum(p => Math.Pow(10, -p.Second.SqnrDb / 10)) < layers.Sum(p => Math.Pow(10, -p.First.SqnrDb / 10)));
    }

    /// <summary>Auto rounds output-aware exactly the layers it names: with none named its blob is nearest rounding's, with all named output-aware's.</summary>
    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(14)]
    public void AutoRounding_IsOutputAwareInTheLayersItNames(int seed)
    {
        ModelGraph graph = OnnxImporter.Load(TestOnnxModels.Mlp());
        Dataset calibration = CorrelatedRows(graph, 400, seed);
        var options = new QuantizeOptions { Method = CalibrationMethod.MinMax };

        QuantizationResult auto = Quantizer.Quantize(graph, calibration, options);
        string[] dense = graph.Nodes.OfType<DenseNode>().Select(d => d.Name).ToArray();
        output.WriteLine($"seed {seed}: output-aware in [{string.Join(", ", auto.OutputAwareLayers)}]");
        Assert.Subset(dense.ToHashSet(), auto.OutputAwareLayers.ToHashSet());
        Assert.Equal(auto.OutputAwareLayers.Count > 0,
            !auto.Blob.SequenceEqual(Quantizer.Quantize(graph, calibration, options with { Rounding = WeightRounding.Nearest }).Blob));
        Assert.Equal(auto.OutputAwareLayers.Count == dense.Length,
            auto.Blob.SequenceEqual(Quantizer.Quantize(graph, calibration, options with { Rounding = WeightRounding.OutputAware }).Blob));
    }

    /// <summary>The blob's golden vector is the first calibration row, run by the host exactly as the device runs it.</summary>
    [Fact]
    public void GoldenVector_IsTheHostRunOfTheFirstCalibrationRow()
    {
        ModelGraph graph = OnnxImporter.Load(TestOnnxModels.Branchy());
        Dataset calibration = Rows(graph, 50, 11);
        Model model = Model.Load(Quantizer.Quantize(graph, calibration, new QuantizeOptions { Method = CalibrationMethod.MinMax }).Blob);
        Assert.Equal(DeviceRunner.RawInputs(model, calibration.Features[0]), model.GetGoldenRawInput());
        DeviceRunner.Run(model, calibration.Features[0]);
        var outputs = new sbyte[model.OutputLength];
        model.GetOutputs(outputs);
        Assert.Equal(model.GetGoldenOutput(), outputs);
    }

    [Fact]
    public void LayoutsFollowTheRamBudget()
    {
        ModelGraph graph = OnnxImporter.Load(TestOnnxModels.Cnn());
        Dataset calibration = Rows(graph, 20, 12);
        QuantizationResult Quantize(int budget, WeightPlacement placement = WeightPlacement.Auto) => Quantizer.Quantize(graph, calibration,
            new QuantizeOptions { Method = CalibrationMethod.MinMax, RamBudgetBytes = budget, Weights = placement });
        string Layouts(QuantizationResult result) => string.Join(" ", result.Layers.Where(l => l.Op is "Conv2D" or "FullyConnected").Select(l => l.Layout));
        QuantizationResult tight = Quantize(0), inRam = Quantize(0, WeightPlacement.Ram), roomy = Quantize(1 << 20), streamed = Quantize(1 << 20, WeightPlacement.Streamed);
        // Two convolutions, then one dense layer: only dense layers stream; too little RAM streams it (one row at a time, as
        // eight rows do not fit either), the convolutions stay compact.
        Assert.Equal("Int8Rows Int8Rows StreamedByRow", Layouts(tight));
        Assert.Equal("Int8Rows Int8Rows Int8Rows", Layouts(inRam));
        Assert.Equal("Int64Pairs Int64Pairs Int64Pairs", Layouts(roomy));
        Assert.Equal("Int64Pairs Int64Pairs Streamed", Layouts(streamed));
        foreach (QuantizationResult other in new[] { inRam, roomy, streamed })
        {
            Assert.Equal(Model.Load(tight.Blob).GetGoldenOutput(), Model.Load(other.Blob).GetGoldenOutput());
        }
    }

    /// <summary>
    /// Compact where everything fits, streamed when it does not (the largest layer first, only as many as needed), then
    /// fast for the layers in RAM while the budget allows.
    /// </summary>
    [Fact]
    public void OnlyTheLayersThatDoNotFitStream()
    {
        // A layer's weights cost what the device's heap holds: 512 arrays of 19 bytes as Int8Rows, not 9,728 bytes.
        Assert.Equal(NanoHeap.ReferenceArrayBytes(512, NanoHeap.Esp32BlockBytes) + 512 * NanoHeap.ArrayBytes(19, NanoHeap.Esp32BlockBytes),
            LayoutChooser.WeightBytes(new FullyConnectedRecord(0, 1, [.. new sbyte[512 * 19]], [.. new int[512]], null!, 0, -128, 127)));

        // 256 → 512 → 256 → 10: 131,072 + 131,072 + 2,560 weights (the first two tie; the earlier streams).
        DeviceModel large = QuantEdge.Runtime.Tests.TestModels.Large();
        long others = LayoutChooser.LayoutIndependentBytes(large, null);
        long InRam(int op, WeightLayout layout) => LayoutChooser.WeightBytes((FullyConnectedRecord)large.Ops[op] with { WeightLayout = layout });
        DeviceModel firstStreamed = QuantEdge.Runtime.Tests.TestModels.Large();
        firstStreamed.Ops[0] = (FullyConnectedRecord)firstStreamed.Ops[0] with { WeightLayout = WeightLayout.Streamed };
        // Room for one large layer in RAM, the last layer as Int64Pairs (5 arrays of 256 longs) and the row buffer (8 × 256),
        // beside everything no layout changes (arena, per-channel parameters, objects, golden vector).
        int budget = (int)(others + InRam(1, WeightLayout.Int8Rows) + InRam(2, WeightLayout.Int64Pairs) + LayoutChooser.StreamingBytes(firstStreamed));
        long roomyBudget = others + Enumerable.Range(0, 3).Sum(i => InRam(i, WeightLayout.Int8Rows));
        LayoutChooser.Choose(large, budget);
        Assert.Equal("Streamed Int8Rows Int64Pairs", string.Join(" ", large.Ops.Select(op => op.Layout)));
        Assert.Equal(8 * 256, LayoutChooser.StreamBufferBytes(large));
        Assert.Equal(budget, ModelDescription.Of(BlobWriter.WriteWithGolden(large)).DeviceRamBytes);

        DeviceModel roomy = QuantEdge.Runtime.Tests.TestModels.Large();
        LayoutChooser.Choose(roomy, (int)roomyBudget);
        Assert.Equal("Int8Rows Int8Rows Int8Rows", string.Join(" ", roomy.Ops.Select(op => op.Layout)));
    }

    /// <summary>
    /// The chooser's estimate is inspect's device RAM, whatever the layouts: what it counts as the layouts' part (weights'
    /// heap, streaming's reader objects and buffer) is all that changes with them, so the rest measured once holds for every choice.
    /// </summary>
    [Theory]
    [InlineData(WeightLayout.Int8Rows, WeightLayout.Int8Rows, WeightLayout.Int8Rows)]
    [InlineData(WeightLayout.Int64Pairs, WeightLayout.Int64Pairs, WeightLayout.Int64Pairs)]
    [InlineData(WeightLayout.Streamed, WeightLayout.Int64Pairs, WeightLayout.Int8Rows)]
    [InlineData(WeightLayout.Streamed, WeightLayout.Streamed, WeightLayout.Streamed)]
    [InlineData(WeightLayout.StreamedByRow, WeightLayout.Streamed, WeightLayout.Int64Pairs)]
    [InlineData(WeightLayout.StreamedByRow, WeightLayout.StreamedByRow, WeightLayout.StreamedByRow)]
    public void TheChoosersEstimateIsInspectsDeviceRam(WeightLayout first, WeightLayout second, WeightLayout last)
    {
        DeviceModel rows = QuantEdge.Runtime.Tests.TestModels.Large();
        DeviceModel chosen = QuantEdge.Runtime.Tests.TestModels.Large();
        WeightLayout[] layouts = [first, second, last];
        for (int i = 0; i < 3; i++)
        {
            chosen.Ops[i] = (FullyConnectedRecord)chosen.Ops[i] with { WeightLayout = layouts[i] };
        }

        Assert.Equal(LayoutChooser.LayoutIndependentBytes(rows, null), LayoutChooser.LayoutIndependentBytes(chosen, null));
    }

    /// <summary>
    /// Issue 9: the budget covers the whole device estimate, not weights and arena alone. A 256-512-256-10 MLP within a
    /// lolin-d32's budget (79,000 B of heap less node pack's 25% headroom) had per-channel parameters and objects beyond it.
    /// </summary>
    [Fact]
    public void WhatTheChooserPicksFitsTheBudget()
    {
        foreach (int budget in new[] { 59_250, 40_000, 24_000 })
        {
            DeviceModel large = QuantEdge.Runtime.Tests.TestModels.Large();
            LayoutChooser.Choose(large, budget);
            long ram = ModelDescription.Of(BlobWriter.WriteWithGolden(large)).DeviceRamBytes;
            Assert.InRange(ram, 0, budget);
        }
    }

    /// <summary>
    /// When every dense layer streams and eight rows of the deepest still do not fit, they read one row at a time: the
    /// buffer shrinks from eight rows of 512 to one, and what is left goes to the fast layout where it fits.
    /// </summary>
    [Fact]
    public void StreamedLayersReadOneRowAtATimeWhenEightRowsDoNotFit()
    {
        DeviceModel eightRows = QuantEdge.Runtime.Tests.TestModels.Large();
        for (int i = 0; i < 3; i++)
        {
            eightRows.Ops[i] = (FullyConnectedRecord)eightRows.Ops[i] with { WeightLayout = WeightLayout.Streamed };
        }

        int allStreamed = ModelDescription.Of(BlobWriter.WriteWithGolden(eightRows)).DeviceRamBytes;
        DeviceModel large = QuantEdge.Runtime.Tests.TestModels.Large();
        LayoutChooser.Choose(large, allStreamed - 1);
        Assert.Equal("StreamedByRow StreamedByRow StreamedByRow", string.Join(" ", large.Ops.Select(op => op.Layout)));
        Assert.Equal(512, LayoutChooser.StreamBufferBytes(large));
        Assert.InRange(ModelDescription.Of(BlobWriter.WriteWithGolden(large)).DeviceRamBytes, 0, allStreamed - 1);
    }

    [Fact]
    public void UnsupportedConstructsNameTheNode()
    {
        byte[] grouped = new OnnxModelBuilder(13)
            .Input("x", "N", 4, 5, 5)
            .Initializer("W", [6, 2, 3, 3], new float[108])
            .Node("Conv", ["x", "W"], ["y"], a => a.Int("group", 2), name: "grouped_conv")
            .Output("y", "N", 6, 3, 3)
            .ToBytes();
        ModelGraph graph = OnnxImporter.Load(grouped);
        var error = Assert.Throws<QuantEdge.Compiler.Quantization.Lowering.UnsupportedModelException>(
            () => Quantizer.Quantize(graph, Rows(graph, 5, 13), new QuantizeOptions()));
        Assert.Contains("grouped_conv", error.Message);
        Assert.Contains("group", error.Message);
    }

    [Fact]
    public void CalibrationDataWithTheWrongFeatureCountIsRejected()
    {
        ModelGraph graph = OnnxImporter.Load(TestOnnxModels.Mlp());
        var rows = new Dataset(["a", "b"], [[1f, 2f]], [0], "two-features.csv");
        var error = Assert.Throws<InputFileException>(() => Quantizer.Quantize(graph, rows, new QuantizeOptions()));
        Assert.Contains("two-features.csv", error.Message);
        Assert.Contains("16", error.Message);
    }
}
