using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.PreQuantized;
using QuantEdge.Runtime;

namespace QuantEdge.Compiler.Tests.PreQuantized;

/// <summary>
/// Models quantized "elsewhere" (built here in QLinear, integer and QDQ form) run on the device and in
/// ONNX Runtime on the same inputs: the outputs must be identical, bit for bit.
/// </summary>
public class PreQuantizedImporterTests
{
    private static byte[] Bytes(Random random, int count, int low = 0, int high = 256) =>
        Enumerable.Range(0, count).Select(_ => (byte)random.Next(low, high)).ToArray();

    private static sbyte[] SBytes(Random random, int count, int low = -127, int high = 128) =>
        Enumerable.Range(0, count).Select(_ => (sbyte)random.Next(low, high)).ToArray();

    private static int[] Ints(Random random, int count, int range) =>
        Enumerable.Range(0, count).Select(_ => random.Next(-range, range)).ToArray();

    /// <summary>
    /// uint8 input [1,3,9,8] → QLinearConv 3×3 pad 1 stride 2 (5 channels, int8 weights per channel,
    /// int32 bias) → QLinearConv depthwise 3×3 (×2) → MaxPool 2×2 → Flatten → QLinearMatMul (uint8
    /// weights with a zero point) → uint8 output.
    /// </summary>
    private static byte[] QLinearCnn(Random random, bool ceilMode = false) => new OnnxModelBuilder(ceilMode ? 14 : 13)
        .Input("x", OnnxElementType.UInt8, 1, 3, 9, 8)
        .Initializer("x_scale", [], [0.02f]).Initializer("x_zp", [], new byte[] { 120 })
        .Initializer("w1", [5, 3, 3, 3], SBytes(random, 135)).Initializer("w1_scale", [5], [0.004f, 0.003f, 0.005f, 0.0021f, 0.0042f])
        .Initializer("w1_zp", [5], new sbyte[5]).Initializer("b1", [5], Ints(random, 5, 2000))
        .Initializer("y1_scale", [], [0.05f]).Initializer("y1_zp", [], new byte[] { 100 })
        .Initializer("w2", [10, 1, 3, 3], SBytes(random, 90)).Initializer("w2_scale", [], [0.01f]).Initializer("w2_zp", [], new sbyte[] { 0 })
        .Initializer("y2_scale", [], [0.08f]).Initializer("y2_zp", [], new byte[] { 128 })
        .Initializer("w3", [ceilMode ? 60 : 40, 6], Bytes(random, ceilMode ? 360 : 240)).Initializer("w3_scale", [], [0.006f]).Initializer("w3_zp", [], new byte[] { 131 })
        .Initializer("y3_scale", [], [0.3f]).Initializer("y3_zp", [], new byte[] { 90 })
        .Initializer("shape", [2], ceilMode ? new[] { 1L, -1L } : new[] { 1L, 40L })
        .Node("QLinearConv", ["x", "x_scale", "x_zp", "w1", "w1_scale", "w1_zp", "y1_scale", "y1_zp", "b1"], ["y1"],
            a => a.Ints("kernel_shape", 3, 3).Ints("pads", 1, 1, 1, 1).Ints("strides", 2, 2))
        .Node("QLinearConv", ["y1", "y1_scale", "y1_zp", "w2", "w2_scale", "w2_zp", "y2_scale", "y2_zp"], ["y2"],
            a => a.Ints("kernel_shape", 3, 3).Ints("pads", 1, 1, 1, 1).Int("group", 5))
        .Node("MaxPool", ["y2"], ["p"], a => a.Ints("kernel_shape", 2, 2).Ints("strides", 2, 2).Int("ceil_mode", ceilMode ? 1 : 0))
        .Node("Reshape", ["p", "shape"], ["f"], ceilMode ? a => a.Int("allowzero", 1) : null)
        .Node("QLinearMatMul", ["f", "y2_scale", "y2_zp", "w3", "w3_scale", "w3_zp", "y3_scale", "y3_zp"], ["y"])
        .Output("y", OnnxElementType.UInt8, 1, 6)
        .ToBytes();

    /// <summary>
    /// The same kind of network in QDQ form: uint8 input → DequantizeLinear → Conv (int8 weights per
    /// channel, int32 bias) → Relu → QuantizeLinear → DequantizeLinear → MaxPool → QuantizeLinear →
    /// DequantizeLinear → Flatten → QuantizeLinear → DequantizeLinear → Gemm → QuantizeLinear →
    /// DequantizeLinear → float output.
    /// </summary>
    private static byte[] QdqCnn(Random random)
    {
        float[] wScales = [0.004f, 0.003f, 0.005f, 0.0021f];
        const float xScale = 0.02f, yScale = 0.04f, gScale = 0.006f;
        return new OnnxModelBuilder(13)
            .Input("x", OnnxElementType.UInt8, 1, 2, 6, 6)
            .Initializer("x_scale", [], [xScale]).Initializer("x_zp", [], new byte[] { 128 })
            .Initializer("w", [4, 2, 3, 3], SBytes(random, 72)).Initializer("w_scale", [4], wScales).Initializer("w_zp", [4], new sbyte[4])
            .Initializer("b", [4], Ints(random, 4, 3000)).Initializer("b_scale", [4], wScales.Select(s => xScale * s).ToArray()).Initializer("b_zp", [4], new int[4])
            .Initializer("y_scale", [], [yScale]).Initializer("y_zp", [], new byte[] { 0 })
            .Initializer("g", [5, 36], SBytes(random, 180)).Initializer("g_scale", [], [gScale]).Initializer("g_zp", [], new sbyte[] { 0 })
            .Initializer("gb", [5], Ints(random, 5, 500)).Initializer("gb_scale", [], [yScale * gScale]).Initializer("gb_zp", [], new int[1])
            .Initializer("o_scale", [], [0.2f]).Initializer("o_zp", [], new byte[] { 128 })
            .Node("DequantizeLinear", ["x", "x_scale", "x_zp"], ["xf"])
            .Node("DequantizeLinear", ["w", "w_scale", "w_zp"], ["wf"], a => a.Int("axis", 0))
            .Node("DequantizeLinear", ["b", "b_scale", "b_zp"], ["bf"], a => a.Int("axis", 0))
            .Node("Conv", ["xf", "wf", "bf"], ["c"], a => a.Ints("kernel_shape", 3, 3).Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["c"], ["r"])
            .Node("QuantizeLinear", ["r", "y_scale", "y_zp"], ["rq"])
            .Node("DequantizeLinear", ["rq", "y_scale", "y_zp"], ["rf"])
            .Node("MaxPool", ["rf"], ["p"], a => a.Ints("kernel_shape", 2, 2).Ints("strides", 2, 2))
            .Node("QuantizeLinear", ["p", "y_scale", "y_zp"], ["pq"])
            .Node("DequantizeLinear", ["pq", "y_scale", "y_zp"], ["pf"])
            .Node("Flatten", ["pf"], ["f"])
            .Node("QuantizeLinear", ["f", "y_scale", "y_zp"], ["fq"])
            .Node("DequantizeLinear", ["fq", "y_scale", "y_zp"], ["ff"])
            .Node("DequantizeLinear", ["g", "g_scale", "g_zp"], ["gf"])
            .Node("DequantizeLinear", ["gb", "gb_scale", "gb_zp"], ["gbf"])
            .Node("Gemm", ["ff", "gf", "gbf"], ["o"], a => a.Int("transB", 1))
            .Node("QuantizeLinear", ["o", "o_scale", "o_zp"], ["oq"])
            .Node("DequantizeLinear", ["oq", "o_scale", "o_zp"], ["y"])
            .Output("y", 1, 5)
            .ToBytes();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void QLinearNetworkMatchesOnnxRuntimeBitForBit(int seed) => AssertMatchesOnnxRuntime(QLinearCnn(new Random(seed)), seed, expectLayers: 3);

    /// <summary>
    /// The shape rules shared with the float importer (OnnxSemantics) reach models quantized elsewhere
    /// too: MaxPool's ceil_mode (here 5×4 → 3×2) and Reshape's opset-14 allowzero with a −1.
    /// </summary>
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void CeilModeAndAllowZeroMatchOnnxRuntimeBitForBit(int seed) =>
        AssertMatchesOnnxRuntime(QLinearCnn(new Random(seed), ceilMode: true), seed, expectLayers: 3);

    /// <summary>
    /// ONNX Runtime runs QDQ Gemm through float32 requantization (QGemm), which lands a value near a
    /// rounding tie on the other side now and then; the device reproduces ONNX's exact result instead
    /// (checked against exact arithmetic in <see cref="ExactRequantizerTests"/>). So here: every value
    /// within one quantization step of ONNX Runtime's, and nearly all identical.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void QdqNetworkMatchesOnnxRuntimeToTheStep(int seed)
    {
        byte[] model = QdqCnn(new Random(seed));
        PreQuantizedModel imported = PreQuantizedImporter.Load(model);
        Assert.Equal(["Conv_3", "Gemm_15"], imported.Requantizations.Select(r => r.Layer).Distinct());
        Model device = Model.Load(imported.Blob);
        var random = new Random(seed);
        int values = 0, differ = 0;
        for (int trial = 0; trial < 40; trial++)
        {
            double[] input = Enumerable.Range(0, imported.InputOrder.Length).Select(_ => (double)random.Next(0, 256)).ToArray();
            double[] expected = OnnxRuntime(model, input), actual = imported.Run(device, input);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.InRange(Math.Abs(actual[i] - expected[i]), 0, 0.2 * 1.0001);
                values++;
                differ += actual[i] != expected[i] ? 1 : 0;
            }
        }

        Assert.InRange(differ, 0, values / 20);
    }

    /// <summary>MatMulInteger and ConvInteger give the int32 accumulators, read with Model.InvokeAccumulators.</summary>
    [Fact]
    public void IntegerOperatorsGiveOnnxRuntimesAccumulators()
    {
        var random = new Random(4);
        byte[] matMul = new OnnxModelBuilder(13)
            .Input("a", OnnxElementType.UInt8, 3, 7)
            .Initializer("b", [7, 5], Bytes(random, 35)).Initializer("a_zp", [], new byte[] { 3 }).Initializer("b_zp", [], new byte[] { 200 })
            .Node("MatMulInteger", ["a", "b", "a_zp", "b_zp"], ["y"])
            .Output("y", OnnxElementType.Int32, 3, 5)
            .ToBytes();
        byte[] conv = new OnnxModelBuilder(13)
            .Input("x", OnnxElementType.UInt8, 1, 3, 7, 6)
            .Initializer("w", [4, 3, 2, 3], Bytes(random, 72)).Initializer("x_zp", [], new byte[] { 77 }).Initializer("w_zp", [], new byte[] { 140 })
            .Node("ConvInteger", ["x", "w", "x_zp", "w_zp"], ["y"], a => a.Ints("pads", 1, 0, 1, 2).Ints("dilations", 2, 1))
            .Output("y", OnnxElementType.Int32, 1, 4, 7, 6)
            .ToBytes();
        AssertMatchesOnnxRuntime(matMul, 4, expectLayers: 0);
        AssertMatchesOnnxRuntime(conv, 5, expectLayers: 0);
    }

    /// <summary>
    /// A float input through QuantizeLinear becomes input rules whose multiplier reproduces ONNX's
    /// rounding over every raw value that matters (here whole numbers, scale 0.7: no exact ties).
    /// </summary>
    [Fact]
    public void FloatInputIsQuantizedByTheInputRulesAsOnnxDoes()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 40)
            .Initializer("s", [], [0.7f]).Initializer("zp", [], new sbyte[] { -5 })
            .Node("QuantizeLinear", ["x", "s", "zp"], ["q"])
            .Output("q", OnnxElementType.Int8, 1, 40)
            .ToBytes();
        PreQuantizedModel imported = PreQuantizedImporter.Load(model, new PreQuantizedOptions { InputUnitExponent = 0 });
        Assert.True(imported.Requantizations.Single().Fit.Exact);
        var random = new Random(6);
        var input = Enumerable.Range(0, 40).Select(_ => (double)random.Next(-120, 120)).ToArray();
        Assert.Equal(OnnxRuntime(model, input), imported.Run(Model.Load(imported.Blob), input));
    }

    [Fact]
    public void UnsupportedFormsAreRefusedWithTheNode()
    {
        var random = new Random(7);
        byte[] perChannelZeroPoints = new OnnxModelBuilder(13)
            .Input("a", OnnxElementType.UInt8, 1, 4)
            .Initializer("b", [4, 2], Bytes(random, 8)).Initializer("b_zp", [2], new byte[] { 1, 2 })
            .Node("MatMulInteger", ["a", "b", "", "b_zp"], ["y"])
            .Output("y", OnnxElementType.Int32, 1, 2)
            .ToBytes();
        Assert.Contains("(MatMulInteger): per-channel weight zero points that differ", Refusal(perChannelZeroPoints));

        byte[] floatConv = new OnnxModelBuilder(13)
            .Input("x", 1, 1, 3, 3)
            .Initializer("w", [1, 1, 1, 1], [1f])
            .Node("Conv", ["x", "w"], ["y"])
            .Output("y", 1, 1, 3, 3)
            .ToBytes();
        Assert.Contains("its input must come from DequantizeLinear", Refusal(floatConv));
    }

    private static string Refusal(byte[] model) => Assert.Throws<OnnxImportException>(() => PreQuantizedImporter.Load(model)).Message;

    /// <summary>Random inputs through ONNX Runtime and through the device; every value must agree exactly.</summary>
    private static void AssertMatchesOnnxRuntime(byte[] model, int seed, int expectLayers)
    {
        PreQuantizedModel imported = PreQuantizedImporter.Load(model);
        Assert.Equal(expectLayers, imported.Requantizations.Select(r => r.Layer).Distinct().Count());
        Assert.All(imported.Requantizations, r => Assert.True(r.Fit.Exact, $"{r.Layer}[{r.Channel}] mismatches {r.Fit.Mismatches} accumulators"));
        Model device = Model.Load(imported.Blob);
        var random = new Random(seed);
        for (int trial = 0; trial < 20; trial++)
        {
            double[] input = Enumerable.Range(0, imported.InputOrder.Length).Select(_ => (double)random.Next(0, 256)).ToArray();
            Assert.Equal(OnnxRuntime(model, input), imported.Run(device, input));
        }
    }

    /// <summary>ONNX Runtime's output for one input, whose element type is read from the model (float32, uint8).</summary>
    private static double[] OnnxRuntime(byte[] model, double[] input)
    {
        using var session = new InferenceSession(model);
        NodeMetadata meta = session.InputMetadata.Values.Single();
        string name = session.InputMetadata.Keys.Single();
        NamedOnnxValue feed = meta.ElementType == typeof(byte)
            ? NamedOnnxValue.CreateFromTensor(name, new DenseTensor<byte>(input.Select(v => (byte)v).ToArray(), meta.Dimensions))
            : NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(input.Select(v => (float)v).ToArray(), meta.Dimensions));
        using var results = session.Run([feed]);
        DisposableNamedOnnxValue output = results.Single();
        return output.Value switch
        {
            Tensor<byte> t => t.Select(v => (double)v).ToArray(),
            Tensor<sbyte> t => t.Select(v => (double)v).ToArray(),
            Tensor<int> t => t.Select(v => (double)v).ToArray(),
            Tensor<float> t => t.Select(v => (double)v).ToArray(),
            var other => throw new InvalidOperationException($"output of type {other.GetType()}"),
        };
    }
}
