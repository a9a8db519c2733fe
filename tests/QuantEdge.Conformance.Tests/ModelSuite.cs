using Onnx;
using QuantEdge.Compiler.Calibration;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Compiler.Quantization.Lowering;
using QuantEdge.Runtime;

namespace QuantEdge.Conformance.Tests;

/// <summary>How one PyTorch-exported model did: float against ONNX's expected output, then int8 on the device.</summary>
/// <param name="FloatMaxAbsError">Largest |float executor − expected| (null when the model could not be imported).</param>
/// <param name="SqnrDb">SQNR of the device's dequantized int8 output against the expected output (null when not quantized).</param>
/// <param name="Why">Why the model was not imported or quantized; empty otherwise.</param>
internal sealed record ModelResult(OnnxCase Case, IReadOnlyList<string> Operators, double? FloatMaxAbsError, double? SqnrDb, string Why)
{
    /// <summary>The first float output outside <see cref="FloatConformance"/>'s tolerance, or null.</summary>
    public string? FloatMismatch { get; init; }

    /// <summary>The quantizer threw something other than its "unsupported model" refusal: a bug, not a limitation.</summary>
    public bool QuantizerFailed { get; init; }
}

/// <summary>
/// ONNX's pytorch-converted and pytorch-operator cases (small models exported from PyTorch modules:
/// Linear, Conv1d/2d with groups, depthwise, padding, stride, dilation; pools; activations; eval-mode
/// BatchNorm, ...) through the whole chain: import, float check, <see cref="Quantizer.Quantize"/>, int8
/// blob, device runtime. Each case has one input; the quantizer is calibrated on that input and
/// <see cref="PerturbedCopies"/> copies of it with Gaussian noise of 10 % of its standard deviation
/// added (seeded), so that the ranges are not fitted to the one example alone but still cover it.
/// </summary>
internal static class ModelSuite
{
    public const int PerturbedCopies = 15;
    public const double NoiseFraction = 0.1;

    /// <summary>
    /// MinMax ranges: on this one-example calibration the output error the auto method minimises is
    /// measured on the same rows, so it would tune to them; MinMax is the plain, reproducible choice.
    /// </summary>
    public static readonly QuantizeOptions Options = new() { Method = CalibrationMethod.MinMax, RamBudgetBytes = 16 << 20 };

    private static readonly Lazy<IReadOnlyList<ModelResult>> Cached = new(() =>
        OnnxTestData.Suite("pytorch-converted").Concat(OnnxTestData.Suite("pytorch-operator")).AsParallel().AsOrdered().Select(Run).ToList());

    public static IReadOnlyList<ModelResult> Results => Cached.Value;

    public static ModelResult Run(OnnxCase c)
    {
        var operators = c.Model.Graph.Node.Select(n => n.OpType).Distinct().ToList();
        DataSet set = c.ReadDataSets()[0];
        (ModelProto model, Dictionary<string, TensorProto> inputs) = ParameterBinding.Bind(c, set);
        ModelGraph graph;
        try
        {
            graph = OnnxImporter.Load(ParameterBinding.Bytes(model));
        }
        catch (OnnxImportException e)
        {
            return new ModelResult(c, operators, null, null, $"not imported: {e.Message}");
        }

        if (graph.Inputs.Count != 1 || graph.Outputs.Count != 1)
        {
            return new ModelResult(c, operators, null, null, $"{graph.Inputs.Count} inputs and {graph.Outputs.Count} outputs; the device runs one of each");
        }

        float[] input = OnnxTensors.Read(inputs[graph.Inputs[0].Name], null, "input").Floats!;
        float[] expected = OnnxTensors.Read(set.Outputs[0], null, "output").Floats!;
        float[] actual = new FloatExecutor(graph).Run(input);
        double floatError = expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
        int outside = Enumerable.Range(0, expected.Length).FirstOrDefault(i =>
            !(Math.Abs((double)actual[i] - expected[i]) <= FloatConformance.AbsoluteTolerance + FloatConformance.RelativeTolerance * Math.Abs(expected[i])), -1);

        string? mismatch = outside < 0 ? null : $"[{outside}] is {actual[outside]:R}, expected {expected[outside]:R}";

        QuantizationResult quantized;
        try
        {
            quantized = Quantizer.Quantize(graph, Calibration(input), Options);
        }
        catch (UnsupportedModelException e)
        {
            return new ModelResult(c, operators, floatError, null, $"not quantized: {e.Message}") { FloatMismatch = mismatch };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new ModelResult(c, operators, floatError, null, $"QUANTIZER FAILED: {e.GetType().Name}: {e.Message} ({Where(e)})") { QuantizerFailed = true, FloatMismatch = mismatch };
        }

        Prediction prediction = DeviceRunner.Run(Model.Load(quantized.Blob), input);
        int[] order = quantized.Plan.Value(quantized.Plan.Output).FlatOrder;
        double signal = 0, noise = 0;
        for (int j = 0; j < order.Length; j++)
        {
            double e = expected[order[j]];
            signal += e * e;
            noise += (prediction.Outputs[j] - e) * (prediction.Outputs[j] - e);
        }

        // An output reproduced exactly (e.g. all zeros) has no noise: infinite SQNR.
        return new ModelResult(c, operators, floatError, noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / noise), "") { FloatMismatch = mismatch };
    }

    /// <summary>The compiler source line an exception came from, as "Lowerer.cs:127" (no machine-specific path).</summary>
    private static string Where(Exception e)
    {
        var frame = new System.Diagnostics.StackTrace(e, fNeedFileInfo: true).GetFrames()
            .FirstOrDefault(f => f.GetFileName() is { } file && file.Contains("QuantEdge.Compiler", StringComparison.Ordinal));
        return frame == null ? "no source line" : $"{Path.GetFileName(frame.GetFileName())}:{frame.GetFileLineNumber()}";
    }

    /// <summary>The example itself, then copies with seeded Gaussian noise (Box–Muller) of <see cref="NoiseFraction"/> of its standard deviation.</summary>
    private static Dataset Calibration(float[] input)
    {
        double mean = input.Average();
        double std = Math.Sqrt(input.Average(v => (v - mean) * (v - mean)));
        var random = new Random(12345);
        var rows = new List<float[]> { input };
        for (int copy = 0; copy < PerturbedCopies; copy++)
        {
            rows.Add(input.Select(v => v + (float)(NoiseFraction * std * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray());
        }

        return new Dataset(Enumerable.Range(0, input.Length).Select(i => $"x{i}").ToArray(), rows.ToArray(), null, "calibration");
    }
}
