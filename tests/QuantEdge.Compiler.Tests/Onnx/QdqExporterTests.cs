using System.Collections.Immutable;
using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Compiler.Tests.Quantization;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Interpreter;
using Xunit.Abstractions;
using static QuantEdge.Compiler.Tests.OnnxReference;

namespace QuantEdge.Compiler.Tests.Onnx;

/// <summary>How ONNX Runtime is set up to run an export.</summary>
public enum OrtSetup
{
    /// <summary>Graph optimizations off: the graph runs node by node as written.</summary>
    AsWritten,

    /// <summary>ONNX Runtime's defaults (all graph optimizations).</summary>
    Optimized,

    /// <summary>
    /// All optimizations and session.qdqisint8allowed = 1, so that ONNX Runtime fuses QDQ groups with int8
    /// activations into its int8 kernels (QLinearConv, QGemm, ...) on x86-64 too, where it otherwise does
    /// so only for uint8 activations.
    /// </summary>
    OptimizedInt8,
}

/// <summary>
/// ONNX Runtime running the QDQ export of a blob against QuantEdge's int8 runtime running the blob,
/// on the same int8 inputs. The bar for the Device arithmetic: at least 99% of output values
/// identical, none more than 1 LSB apart (it is in fact bit-exact on these models, softmax included;
/// softmax is the one op not emulated to the bit). The Float arithmetic (standard QDQ) rounds once
/// where the device rounds twice, so it is only held to 90%.
/// </summary>
public class QdqExporterTests(ITestOutputHelper output)
{
    private const double RequiredIdentical = 0.99;
    private const double RequiredIdenticalFloat = 0.90;

    /// <summary>
    /// newer-ops chains eleven requantized stages between its input and its output (tables, pools,
    /// broadcasts, a chain of reshapes); each rounds once in standard QDQ and twice on the device, so more
    /// of its outputs land one step off (84% identical, none more than 3 steps, on its 300 rows; 2 steps
    /// before its Split and Concat: the conv output's quantization, which they share, now covers the range
    /// chosen for each of them too, and changed with it).
    /// </summary>
    private const double RequiredIdenticalFloatLongChain = 0.80;

    /// <summary>The most steps an output of newer-ops may differ by in standard QDQ (see above).</summary>
    private const int MaxStepsFloatLongChain = 3;
    private static readonly string[] ModelNames = ["mlp", "cnn", "branchy", "pools", "wide-features", "hand-built", "long-dot", "newer-ops"];
    private static readonly ConcurrentDictionary<string, (byte[] Blob, float[][] Rows)> Quantized = new();

    public static TheoryData<string, QdqArithmetic, OrtSetup> Cases()
    {
        var data = new TheoryData<string, QdqArithmetic, OrtSetup>();
        foreach (string model in ModelNames)
        {
            foreach (QdqArithmetic arithmetic in Enum.GetValues<QdqArithmetic>())
            {
                foreach (OrtSetup setup in Enum.GetValues<OrtSetup>())
                {
                    data.Add(model, arithmetic, setup);
                }
            }
        }

        return data;
    }

    public static TheoryData<string> ModelsOnly() => new(ModelNames);

    /// <summary>
    /// Test models, quantized: an MLP with per-feature input and softmax; a CNN with batch norm,
    /// ReLU/ReLU6, max pool, depthwise, global average pool; a model with every lowering (lookups, add,
    /// mul, concat, flatten of an image); pools with strided, dilated and padded convolutions; features
    /// of very different ranges; and hand-built blobs (<see cref="HandBuiltBlob"/>, <see cref="LongDotBlob"/>).
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void OnnxRuntimeRunsTheExportAsTheInt8RuntimeRunsTheBlob(string name, QdqArithmetic arithmetic, OrtSetup setup)
    {
        (byte[] blob, float[][] rows) = Quantized.GetOrAdd(name, QuantizedModel);

        Agreement agreement = Compare(blob, QdqExporter.Export(blob, arithmetic), rows, setup);

        output.WriteLine($"{name}, {arithmetic}, {setup}: {agreement}");
        Assert.True(agreement.Spread >= 64, $"the outputs should vary; {agreement}");
        if (arithmetic == QdqArithmetic.Device)
        {
            Assert.True(agreement.Identical >= RequiredIdentical * agreement.Values, agreement.ToString());
            Assert.True(agreement.MaxDifference <= 1, agreement.ToString());
        }
        else
        {
            double required = name == "newer-ops" ? RequiredIdenticalFloatLongChain : RequiredIdenticalFloat;
            Assert.True(agreement.Identical >= required * agreement.Values, agreement.ToString());
            Assert.True(agreement.MaxDifference <= MaxStepsFloatLongChain || name != "newer-ops", agreement.ToString());
        }
    }

    /// <summary>
    /// Every tensor, not just the output: the Device export with every tensor as a graph output against
    /// a blob whose tensors keep their own arena bytes. Identical except softmax, within one step.
    /// </summary>
    [Theory]
    [MemberData(nameof(ModelsOnly))]
    public void DeviceArithmeticIsBitExactLayerByLayer(string name)
    {
        (byte[] shared, float[][] rows) = Quantized.GetOrAdd(name, QuantizedModel);
        DeviceModelBlob contents = BlobReader.Read(shared);
        byte[] blob = BlobWriter.Write(contents.Model, contents.Golden, shareArena: false);
        Model model = Model.Load(blob);
        IReadOnlyList<InputRule> rules = contents.Model.InputRules;
        using var session = new InferenceSession(QdqExporter.ExportWithEveryTensor(blob, QdqArithmetic.Device));
        var differences = new int[model.TensorCount];
        var largest = new int[model.TensorCount];
        foreach (float[] row in rows)
        {
            using var results = Run(session, model, rules, row);
            for (int t = 0; t < model.TensorCount; t++)
            {
                TensorInfo tensor = model.GetTensor(t);
                var device = new sbyte[tensor.Elements];
                model.ReadTensor(t, device);
                sbyte[] ort = results.Single(r => r.Name == $"t{t}").AsTensor<sbyte>().ToArray();
                int[] order = DeviceRunner.InputOrder(tensor);
                for (int j = 0; j < device.Length; j++)
                {
                    int difference = Math.Abs(device[j] - ort[order[j]]);
                    differences[t] += difference == 0 ? 0 : 1;
                    largest[t] = Math.Max(largest[t], difference);
                }
            }
        }

        for (int t = 0; t < model.TensorCount; t++)
        {
            DeviceOp? producer = contents.Model.Ops.SingleOrDefault(op => op.OutputTensor == t);
            output.WriteLine($"t{t} ({producer?.GetType().Name ?? "input"}): {differences[t]} values differ, by at most {largest[t]}");
            Assert.True(producer is SoftmaxRecord ? largest[t] <= 1 : differences[t] == 0, $"t{t}: {differences[t]} values differ, by up to {largest[t]}");
        }
    }

    [Fact]
    public void ExportIsAQdqGraphWithInt8WeightsPerChannelScalesAndInt32Bias()
    {
        ModelGraph graph = OnnxImporter.Load(TestOnnxModels.Cnn());
        QuantizationResult q = Quantizer.Quantize(graph, QuantizerTests.Rows(graph, 50, 3), new QuantizeOptions { Method = Calibration.CalibrationMethod.MinMax });
        var onnx = global::Onnx.ModelProto.Parser.ParseFrom(QdqExporter.Export(q.Blob, QdqArithmetic.Float));

        Assert.Equal(QdqExporter.Opset, onnx.OpsetImport.Single(o => o.Domain == "").Version);
        var producers = onnx.Graph.Node.ToDictionary(n => n.Output[0]);
        var initializers = onnx.Graph.Initializer.ToDictionary(i => i.Name);
        var convolutions = onnx.Graph.Node.Where(n => n.OpType is "Conv" or "Gemm").ToList();
        Assert.Equal(["Conv", "Conv", "Conv", "Gemm"], convolutions.Select(n => n.OpType));
        Assert.Equal(16, convolutions[2].Attribute.Single(a => a.Name == "group").I);
        foreach (var node in convolutions)
        {
            var weights = producers[node.Input[1]];
            var bias = producers[node.Input[2]];
            Assert.Equal("DequantizeLinear", weights.OpType);
            Assert.Equal((int)OnnxElementType.Int8, initializers[weights.Input[0]].DataType);
            int outputs = (int)initializers[weights.Input[0]].Dims[0];
            Assert.Equal(new long[] { outputs }, initializers[weights.Input[1]].Dims);
            Assert.Equal(0, weights.Attribute.Single(a => a.Name == "axis").I);
            Assert.Equal("DequantizeLinear", bias.OpType);
            Assert.Equal((int)OnnxElementType.Int32, initializers[bias.Input[0]].DataType);
            Assert.Equal("DequantizeLinear", producers[node.Input[0]].OpType is "Reshape" or "Transpose"
                ? producers[producers[node.Input[0]].Input[0]].OpType
                : producers[node.Input[0]].OpType);
        }
    }

    [Fact]
    public void DeviceArithmeticRunsDotProductsThatCanPass2To24InFloat64()
    {
        var onnx = global::Onnx.ModelProto.Parser.ParseFrom(QdqExporter.Export(LongDotBlob()));
        var producers = onnx.Graph.Node.ToDictionary(n => n.Output[0]);
        var gemm = onnx.Graph.Node.Single(n => n.OpType == "Gemm");
        Assert.All(gemm.Input, input => Assert.Equal(11, producers[input].Attribute.Single(a => a.Name == "to").I));
    }

    [Fact]
    public void LookupTablesBecomeAGatherOnTheInt8Values()
    {
        var model = new DeviceModel();
        int x = model.AddTensor(new DeviceTensor("x", [1, 1, 1, 256], 0.1f, 5));
        int y = model.AddTensor(new DeviceTensor("y", [1, 1, 1, 256], 0.2f, -7));
        var table = Enumerable.Range(0, 256).Select(i => (sbyte)(127 - i)).ToArray();
        model.Ops.Add(new LookupRecord(x, y, [.. table]));
        model.Output = y;
        model.InputRules.Add(InputRule.For(0.1f, 5, -2));
        byte[] blob = BlobWriter.WriteWithGolden(model);
        float[] everyCode = Enumerable.Range(-128, 256).Select(q => (q - 5) * 0.1f).ToArray();

        float[] result = RunOrt(QdqExporter.Export(blob), new Dictionary<string, (int[], float[])> { [QdqExporter.InputName] = ([1, 256], everyCode) })
            .Values.Single();

        Assert.Equal(table.Select(t => (t + 7) * 0.2f), result);
    }

    [Fact]
    public void ABadBlobIsRejectedWithItsReason()
    {
        var error = Assert.Throws<ModelFormatException>(() => QdqExporter.Export(new byte[100]));
        Assert.Equal(ModelError.BadMagic, error.Reason);
    }

    /// <summary>How ONNX Runtime's int8 outputs compare with the device's over all rows.</summary>
    private sealed record Agreement(int Values, int Identical, int MaxDifference, int Spread)
    {
        public override string ToString() =>
            $"{Identical} of {Values} output values identical ({100.0 * Identical / Values:F2}%), max difference {MaxDifference} LSB, {Spread} distinct device outputs";
    }

    /// <summary>
    /// Runs each row through the device and through ONNX Runtime; ONNX Runtime's float output is the
    /// dequantized int8 of the exported graph, quantized back here with the output's scale and zero point.
    /// </summary>
    private static Agreement Compare(byte[] blob, byte[] onnx, float[][] rows, OrtSetup setup)
    {
        Model model = Model.Load(blob);
        IReadOnlyList<InputRule> rules = BlobReader.Read(blob).Model.InputRules;
        TensorInfo result = model.OutputTensor;
        int[] outputOrder = DeviceRunner.InputOrder(result);
        float outputScale = BitConverter.Int32BitsToSingle(result.ScaleBits);
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = setup == OrtSetup.AsWritten ? GraphOptimizationLevel.ORT_DISABLE_ALL : GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (setup == OrtSetup.OptimizedInt8)
        {
            options.AddSessionConfigEntry("session.qdqisint8allowed", "1");
        }

        using var session = new InferenceSession(onnx, options);
        int values = 0, identical = 0, maxDifference = 0;
        var seen = new HashSet<string>();
        var device = new sbyte[model.OutputLength];
        foreach (float[] row in rows)
        {
            using var results = Run(session, model, rules, row);
            model.GetOutputs(device);
            float[] floats = results.Single().AsTensor<float>().ToArray();
            for (int j = 0; j < device.Length; j++)
            {
                int ort = (int)Math.Round(floats[outputOrder[j]] / (double)outputScale) + result.ZeroPoint;
                int difference = Math.Abs(ort - device[j]);
                values++;
                identical += difference == 0 ? 1 : 0;
                maxDifference = Math.Max(maxDifference, difference);
            }

            seen.Add(string.Join(",", device));
        }

        return new Agreement(values, identical, maxDifference, seen.Count);
    }

    /// <summary>
    /// One row through the device (raw inputs quantized by its rules, as DeviceRunner does, then
    /// Invoke) and through ONNX Runtime, fed the dequantized values of exactly the int8 inputs the
    /// device got, so that both start from the same codes.
    /// </summary>
    private static IDisposableReadOnlyCollection<DisposableNamedOnnxValue> Run(InferenceSession session, Model model, IReadOnlyList<InputRule> rules, float[] row)
    {
        TensorInfo input = model.InputTensor;
        int[] inputOrder = DeviceRunner.InputOrder(input);
        int[] inputShape = input.H * input.W == 1 ? [input.N, input.C] : [input.N, input.C, input.H, input.W];
        model.SetRawInputs(DeviceRunner.RawInputs(model, row));
        var dequantized = new float[model.InputLength];
        for (int j = 0; j < dequantized.Length; j++)
        {
            InputRule rule = rules[rules.Count == 1 ? 0 : j];
            dequantized[inputOrder[j]] = (float)((model.GetInput(j) - rule.ZeroPoint) * rule.Scale + rule.RealOffset);
        }

        model.Invoke();
        return session.Run([NamedOnnxValue.CreateFromTensor(QdqExporter.InputName, new DenseTensor<float>(dequantized, inputShape))]);
    }

    /// <summary>A test model's blob (default quantization, 300 random calibration rows) and 300 other rows to compare on.</summary>
    private static (byte[] Blob, float[][] Rows) QuantizedModel(string name)
    {
        if (name is "hand-built" or "long-dot")
        {
            byte[] handBuilt = name == "hand-built" ? HandBuiltBlob() : LongDotBlob();
            Model model = Model.Load(handBuilt);
            float scale = BlobReader.Read(handBuilt).Model.InputRules[0].Scale;
            var random = new Random(3);
            float[][] codes = Enumerable.Range(0, 300).Select(_ => Enumerable.Range(0, model.InputLength)
                .Select(_ => (random.Next(-128, 128) - model.GetInputZeroPoint(0)) * scale).ToArray()).ToArray();
            return (handBuilt, codes);
        }

        (ModelGraph graph, Func<Random, int, float>? feature) = name switch
        {
            "mlp" => (OnnxImporter.Load(TestOnnxModels.Mlp()), null),
            "cnn" => (OnnxImporter.Load(TestOnnxModels.Cnn()), null),
            "branchy" => (OnnxImporter.Load(TestOnnxModels.Branchy()), null),
            "pools" => (OnnxImporter.Load(Pools()), null),
            "newer-ops" => (OnnxImporter.Load(TestOnnxModels.NewerOps()), null),
            "wide-features" => WideFeatures(),
            _ => throw new ArgumentException(name),
        };
        Dataset calibration = QuantizerTests.Rows(graph, 300, 1, feature);
        return (Quantizer.Quantize(graph, calibration, new QuantizeOptions()).Blob, QuantizerTests.Rows(graph, 300, 2, feature).Features);
    }

    /// <summary>
    /// Strided SAME convolution (implicit trailing pad), dilated convolution, a 2×2 average pool (many
    /// exact halves to round), a padded average pool that does not count its padding, a padded max pool.
    /// </summary>
    private static byte[] Pools()
    {
        var random = new Random(31);
        return new OnnxModelBuilder(13)
            .Input("image", "N", 3, 9, 9)
            .Initializer("c1.W", [6, 3, 3, 3], Random(random, 162, -0.5f, 0.5f))
            .Initializer("c1.B", [6], Random(random, 6, -0.1f, 0.1f))
            .Initializer("c2.W", [4, 6, 3, 3], Random(random, 216, -0.3f, 0.3f))
            .Initializer("fc.W", [3, 16], Random(random, 48, -0.5f, 0.5f))
            .Initializer("fc.B", [3], Random(random, 3, -0.1f, 0.1f))
            .Node("Conv", ["image", "c1.W", "c1.B"], ["c1"], a => a.Ints("strides", 2, 2).String("auto_pad", "SAME_UPPER"))
            .Node("Relu", ["c1"], ["r1"])
            .Node("Conv", ["r1", "c2.W"], ["c2"], a => a.Ints("dilations", 2, 2).Ints("pads", 2, 2, 2, 2))
            .Node("AveragePool", ["c2"], ["a1"], a => a.Ints("kernel_shape", 2, 2))
            .Node("AveragePool", ["a1"], ["a2"], a => a.Ints("kernel_shape", 3, 3).Ints("pads", 1, 1, 1, 1))
            .Node("MaxPool", ["a2"], ["m"], a => a.Ints("kernel_shape", 3, 3).Ints("strides", 2, 2).Ints("pads", 1, 1, 1, 1))
            .Node("Flatten", ["m"], ["flat"])
            .Node("Gemm", ["flat", "fc.W", "fc.B"], ["logits"], a => a.Int("transB", 1))
            .Output("logits", "N", 3)
            .ToBytes();
    }

    /// <summary>Features spanning 4095, 1, 0.002 and 90000 (per-feature input quantization compensated in the first layer).</summary>
    private static (ModelGraph, Func<Random, int, float>) WideFeatures()
    {
        double[] spans = [4095, 1, 0.002, 90000];
        double[] offsets = [0, 0, -0.001, 10000];
        var random = new Random(5);
        var w = new float[8 * spans.Length];
        var b = new float[8];
        for (int o = 0; o < 8; o++)
        {
            for (int f = 0; f < spans.Length; f++)
            {
                double weight = random.NextDouble() * 2 - 1;
                w[o * spans.Length + f] = (float)(weight * 3.5 / spans[f]);
                b[o] -= (float)(weight * 3.5 * (offsets[f] + spans[f] / 2) / spans[f]);
            }
        }

        byte[] onnx = new OnnxModelBuilder(13)
            .Input("x", "batch", spans.Length)
            .Initializer("W1", [8, spans.Length], w)
            .Initializer("B1", [8], b)
            .Initializer("W2", [3, 8], Random(random, 24, -1, 1))
            .Initializer("B2", [3], Random(random, 3, -0.1f, 0.1f))
            .Node("Gemm", ["x", "W1", "B1"], ["h"], a => a.Int("transB", 1))
            .Node("Tanh", ["h"], ["t"])
            .Node("Gemm", ["t", "W2", "B2"], ["logits"], a => a.Int("transB", 1))
            .Output("logits", "batch", 3)
            .ToBytes();
        return (OnnxImporter.Load(onnx), (r, f) => (float)(offsets[f] + r.NextDouble() * spans[f]));
    }

    /// <summary>
    /// Layouts and parameters the quantizer does not produce but a blob may hold, with random weights:
    /// a convolution whose output is smaller than ONNX's (sliced), a fully connected layer over several
    /// pixels, reshapes that reorder NHWC against NCHW, a lookup and an add that change dims, concat
    /// along H, a depthwise convolution with multiplier 2, an average pool with implicit trailing
    /// padding, a nonzero weight zero point, clamps that are neither ReLU nor the full range, and a
    /// softmax with beta ≠ 1. Fed random int8 codes.
    /// </summary>
    private static byte[] HandBuiltBlob()
    {
        var random = new Random(17);
        var model = new DeviceModel { Name = "hand-built" };
        int Tensor(int n, int h, int w, int c, float scale, int zeroPoint) => model.AddTensor(new DeviceTensor($"t{model.Tensors.Count}", [n, h, w, c], scale, zeroPoint));
        ImmutableArray<sbyte> Weights(int count) => [.. Enumerable.Range(0, count).Select(_ => (sbyte)random.Next(-127, 128))];
        ImmutableArray<int> Biases(int count) => [.. Enumerable.Range(0, count).Select(_ => random.Next(-2000, 2000))];

        int input = Tensor(1, 5, 5, 3, 0.05f, -3);
        model.Input = input;
        model.InputRules.Add(InputRule.For(0.05f, -3, -3));

        int conv = Tensor(1, 1, 2, 4, 0.1f, 2);
        model.Ops.Add(new Conv2DRecord(input, conv, new DeviceWindow(3, 3, 2, 2), -3, Weights(4 * 27), Biases(4), RandomRequantization(random, 4, 27), 2, -100, 90));

        int dense = Tensor(1, 1, 2, 6, 0.08f, -5);
        model.Ops.Add(new FullyConnectedRecord(conv, dense, Weights(24), Biases(6), RandomRequantization(random, 6, 4), -5, -128, 127, WeightZeroPoint: 3));

        int reshaped = Tensor(1, 3, 2, 2, 0.08f, -5);
        model.Ops.Add(new ReshapeRecord(dense, reshaped));

        int looked = Tensor(1, 1, 1, 12, 0.07f, 1);
        model.Ops.Add(new LookupRecord(reshaped, looked, [.. Enumerable.Range(-128, 256).Select(q => (sbyte)Math.Clamp((int)Math.Round(100 * Math.Sin(q / 40.0)), -128, 127))]));

        int sum = Tensor(1, 2, 3, 2, 0.1f, 4);
        model.Ops.Add(new AddRecord(looked, reshaped, sum, AddQuantization.Create(12, 0.07, 1, 0.08, -5, 0.1, 4, -120, 127)));

        int concatenated = Tensor(1, 4, 3, 2, 0.1f, 4);
        model.Ops.Add(new ConcatRecord([sum, sum], concatenated, 1));

        int depthwise = Tensor(1, 4, 3, 4, 0.12f, 0);
        model.Ops.Add(new DepthwiseConv2DRecord(concatenated, depthwise, new DeviceWindow(3, 3, PadTop: 1, PadLeft: 1), 4, 2, Weights(36), Biases(4), RandomRequantization(random, 4, 9), 0, 0, 127));

        int pooled = Tensor(1, 2, 2, 4, 0.12f, 0);
        model.Ops.Add(new Pool2DRecord(depthwise, pooled, new DeviceWindow(2, 2, 2, 2), Average: true));

        int mean = Tensor(1, 1, 1, 4, 0.05f, -20);
        var gap = GlobalAveragePoolQuantization.Create(1, 2, 2, 4, 0.12, 0, 0.05, -20);
        model.Ops.Add(new GlobalAveragePoolRecord(pooled, mean, gap.Multiplier, gap.Shift));

        int product = Tensor(1, 1, 1, 4, 0.2f, -10);
        model.Ops.Add(new MulRecord(mean, mean, product, MulQuantization.Create(4, 0.05, -20, 0.05, -20, 0.2, -10)));

        int probabilities = Tensor(1, 1, 1, 4, 1f / 256, -128);
        var softmax = SoftmaxQuantization.Create(1, 4, 0.6, 0.2);
        model.Ops.Add(new SoftmaxRecord(product, probabilities, softmax.InputMultiplier, softmax.InputLeftShift, softmax.DiffMin));
        model.Output = probabilities;
        return BlobWriter.WriteWithGolden(model);
    }

    /// <summary>
    /// A fully connected layer over 2048 inputs with full-range weights: its accumulator can pass 2^24,
    /// where float32 sums stop being exact, so the Device export runs it in float64.
    /// </summary>
    private static byte[] LongDotBlob()
    {
        const int Depth = 2048, Outputs = 6;
        var random = new Random(23);
        var model = new DeviceModel { Name = "long-dot" };
        int input = model.AddTensor(new DeviceTensor("x", [1, 1, 1, Depth], 0.02f, 10));
        int output = model.AddTensor(new DeviceTensor("y", [1, 1, 1, Outputs], 0.1f, -3));
        sbyte[] weights = Enumerable.Range(0, Depth * Outputs).Select(_ => (sbyte)(random.Next(2) == 0 ? random.Next(-127, -100) : random.Next(100, 128))).ToArray();
        model.Ops.Add(new FullyConnectedRecord(input, output, [.. weights], [.. new int[Outputs]], RandomRequantization(random, Outputs, Depth), -3, -128, 127));
        model.Input = input;
        model.Output = output;
        model.InputRules.Add(InputRule.For(0.02f, 10, -4));
        return BlobWriter.WriteWithGolden(model);
    }

    /// <summary>
    /// Multipliers that keep outputs near the middle of the int8 range: an accumulator of `taps` random
    /// products has a standard deviation of about 75 × 75 × √taps.
    /// </summary>
    private static Requantization RandomRequantization(Random random, int channels, int taps)
    {
        var m = Enumerable.Range(0, channels).Select(_ => QuantizedMultiplier.FromReal(40 / (75.0 * 75 * Math.Sqrt(taps)) * (0.7 + 0.6 * random.NextDouble()))).ToArray();
        return Requantization.Explicit(m.Select(q => q.Multiplier).ToArray(), m.Select(q => q.Shift).ToArray());
    }
}
