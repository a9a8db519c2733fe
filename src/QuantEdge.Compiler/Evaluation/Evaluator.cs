using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Compiler.Quantization.Lowering;
using QuantEdge.Runtime;

namespace QuantEdge.Compiler.Evaluation;

/// <summary>How an int8 model did on labelled rows, and (with a float reference) how it compares to it.</summary>
/// <param name="Confusion">Rows: the float model's class; columns: the int8 model's class (null without a reference).</param>
public sealed record EvaluationResult(
    int Samples, double Int8Accuracy, double? FloatAccuracy, double? Agreement, int[][]? Confusion,
    int BlobBytes, int ArenaBytes, int WeightBytes, long Macs);

/// <summary>Signal-to-quantization-noise ratio of one device tensor against the float model's value.</summary>
public sealed record LayerError(string Value, string Op, double SqnrDb);

/// <summary>
/// Runs the int8 model with the device runtime itself (the same code the chip runs), row by row as
/// a device would, and compares it with the labels and with the float model.
/// </summary>
public static class Evaluator
{
    public static EvaluationResult Evaluate(byte[] blob, Dataset data, ModelGraph? reference, IProgress<ProgressReport>? progress = null)
    {
        // Run on the host's SIMD kernels (the same bytes out); the sizes reported are the stock device's.
        Model model = HostSimd.Load(blob), device = Model.Load(blob);
        data.RequireFeatureCount(model.InputLength, "the model");
        if (data.Labels == null)
        {
            throw new InputFileException($"{data.Source}: no label column, so there is nothing to measure accuracy against");
        }

        FloatExecutor? executor = reference == null ? null : new FloatExecutor(reference);
        int classes = model.OutputTensor.ElementsPerBatch;
        data.RequireLabelsBelow(classes, "the model");
        int[] outputOrder = DevicePlan.NaturalOrder(OutputShape(model));
        int[][]? confusion = executor == null ? null : Enumerable.Range(0, classes).Select(_ => new int[classes]).ToArray();
        int int8Correct = 0, floatCorrect = 0, agree = 0;
        var rows = new DeviceRunner.Rows(model);
        for (int r = 0; r < data.Count; r++)
        {
            rows.Run(data.Features[r]);
            int predicted = model.ArgMax();
            int8Correct += predicted == data.Labels[r] ? 1 : 0;
            if (executor != null)
            {
                int row = r;
                int expected = Quantizer.ArgMax(executor.Run(data.Features[r], (name, _, values) => FloatExecutor.RequireFinite(reference!, name, values, data, row)), outputOrder);
                floatCorrect += expected == data.Labels[r] ? 1 : 0;
                agree += expected == predicted ? 1 : 0;
                confusion![expected][predicted]++;
            }

            if (r % 64 == 63 || r == data.Count - 1)
            {
                progress?.Report(new ProgressReport("evaluating", r + 1, data.Count));
            }
        }

        double n = data.Count;
        return new EvaluationResult(data.Count, int8Correct / n, executor == null ? null : floatCorrect / n, executor == null ? null : agree / n,
            confusion, blob.Length, device.ArenaBytes, device.WeightBytes, device.Macs);
    }

    /// <summary>
    /// SQNR (dB) of every device tensor over the rows: 10·log10(Σ float² / Σ (float − dequantized int8)²),
    /// read from a copy of the model whose tensors each keep their own arena bytes.
    /// </summary>
    public static IReadOnlyList<LayerError> PerLayerError(QuantizationResult quantized, ModelGraph graph, Dataset data)
    {
        DeviceModel device = quantized.Device;
        Model golden = Model.Load(quantized.Blob);
        Model model = HostSimd.Load(BlobWriter.Write(device,
            new GoldenVector(golden.GetGoldenRawInput(), golden.GetGoldenInput(), golden.GetGoldenOutput()), shareArena: false));
        var rows = new DeviceRunner.Rows(model);
        DevicePlan plan = quantized.Plan;
        var executor = new FloatExecutor(graph);
        var signal = new double[device.Tensors.Count];
        var noise = new double[device.Tensors.Count];
        var floatValues = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (int r = 0; r < data.Count; r++)
        {
            executor.Run(data.Features[r], (name, _, values) => floatValues[name] = values.ToArray());
            rows.Run(data.Features[r]);
            for (int t = 0; t < device.Tensors.Count; t++)
            {
                DeviceTensor tensor = device.Tensors[t];
                DeviceValue value = plan.Value(tensor.Name);
                int[] order = value.FlatOrder;
                float[] expected = floatValues[value.Source];
                var q = new sbyte[tensor.Elements];
                model.ReadTensor(t, q);
                for (int j = 0; j < q.Length; j++)
                {
                    (float scale, int zeroPoint, double offset) = t == device.Input ? InputQuantization(device, j) : (tensor.Scale, tensor.ZeroPoint, 0);
                    double f = expected[order[j]];
                    double e = (q[j] - zeroPoint) * (double)scale + offset - f;
                    signal[t] += f * f;
                    noise[t] += e * e;
                }
            }
        }

        var producers = device.Ops.ToDictionary(op => op.OutputTensor, op => op.Kind);
        return device.Tensors.Select((tensor, t) => new LayerError(tensor.Name, producers.GetValueOrDefault(t, "Input"),
            noise[t] == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal[t] / noise[t]))).ToList();
    }

    private static (float Scale, int ZeroPoint, double Offset) InputQuantization(DeviceModel device, int element)
    {
        InputRule rule = device.InputRules[device.InputRules.Count == 1 ? 0 : element % device.InputRules.Count];
        return (rule.Scale, rule.ZeroPoint, rule.RealOffset);
    }

    /// <summary>The model-order (NCHW) shape of the device output: dims [N, H, W, C] read back as [N, C, H, W].</summary>
    private static int[] OutputShape(Model model)
    {
        var t = model.OutputTensor;
        return [t.N, t.C, t.H, t.W];
    }
}
