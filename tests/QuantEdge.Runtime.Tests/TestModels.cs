using System.Collections.Immutable;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Tests;

/// <summary>Small device models built directly (no ONNX), with random weights from a fixed seed.</summary>
public static class TestModels
{
    /// <summary>features → FC(hidden, ReLU) → reshape → FC(classes): a sensor-node MLP with per-feature input rules.</summary>
    /// <param name="scaleGrid">Store the requantization compactly (a base and a scale index per channel), as the quantizer does.</param>
    public static DeviceModel Mlp(int features = 7, int hidden = 9, int classes = 3, WeightLayout layout = WeightLayout.Int8Rows, int seed = 1, bool scaleGrid = false)
    {
        var random = new Random(seed);
        var model = new DeviceModel { Name = "test-mlp" };
        int input = model.AddTensor(DeviceTensor.Of("x", [features], 0.05f, -3));
        int h = model.AddTensor(DeviceTensor.Of("h", [hidden], 0.1f, -128));
        int flat = model.AddTensor(DeviceTensor.Of("h_flat", [1, hidden], 0.1f, -128));
        int output = model.AddTensor(DeviceTensor.Of("y", [classes], 0.2f, 5));
        model.Input = input;
        model.Output = output;
        model.Ops.Add(Dense(random, input, h, features, hidden, -128, 0, 127, layout, scaleGrid));
        model.Ops.Add(new ReshapeRecord(h, flat));
        model.Ops.Add(Dense(random, flat, output, hidden, classes, 5, -128, 127, layout, scaleGrid));
        for (int f = 0; f < features; f++)
        {
            // Features of very different ranges, each with its own unit (raw counts, thousandths, ...),
            // some centred away from zero by a raw offset.
            model.InputRules.Add(InputRule.For(0.05f * (f + 1), -3, f % 3 == 0 ? 0 : -3, rawOffset: f % 2 == 1 ? 1000 * f : 0));
        }

        model.FeatureNames = Enumerable.Range(0, features).Select(f => $"f{f}").ToArray();
        model.OutputNames = Enumerable.Range(0, classes).Select(c => $"class{c}").ToArray();
        return model;
    }

    /// <summary>
    /// image [1,8,7,2] → Conv2D 3×3 pad 1 (5 channels, ReLU) → depthwise 3×3 stride 2 (×2) → reshape → FC(4):
    /// every convolution path of the runtime in one model, with odd sizes.
    /// </summary>
    public static DeviceModel Cnn(WeightLayout layout = WeightLayout.Int8Rows, int seed = 3)
    {
        var random = new Random(seed);
        var model = new DeviceModel { Name = "test-cnn" };
        int image = model.AddTensor(DeviceTensor.Of("image", [1, 8, 7, 2], 0.02f, 10));
        int conv = model.AddTensor(DeviceTensor.Of("conv", [1, 8, 7, 5], 0.05f, -128));
        int depthwise = model.AddTensor(DeviceTensor.Of("dw", [1, 4, 4, 10], 0.08f, -7));
        int flat = model.AddTensor(DeviceTensor.Of("flat", [1, 160], 0.08f, -7));
        int output = model.AddTensor(DeviceTensor.Of("y", [4], 0.25f, 0));
        model.Input = image;
        model.Output = output;
        Requantization requantization = RandomRequantization(random, 5);
        model.Ops.Add(new Conv2DRecord(image, conv, new DeviceWindow(3, 3, PadTop: 1, PadLeft: 1), 10, Int8s(random, 5 * 3 * 3 * 2),
            Biases(random, 5), requantization, -128, -128, 127, layout));
        requantization = RandomRequantization(random, 10);
        model.Ops.Add(new DepthwiseConv2DRecord(conv, depthwise, new DeviceWindow(3, 3, 2, 2, PadTop: 1, PadLeft: 1), -128, 2,
            Int8s(random, 3 * 3 * 10), Biases(random, 10), requantization, -7, -128, 127));
        model.Ops.Add(new ReshapeRecord(depthwise, flat));
        model.Ops.Add(Dense(random, flat, output, 160, 4, 0, -128, 127, layout));
        model.InputRules.Add(InputRule.For(0.02f, 10, -3));
        return model;
    }

    /// <summary>
    /// Every op the runtime has, in one model: conv → max pool, avg pool → add, mul → sigmoid and a
    /// second table → concat → global average pool → reshape → FC → softmax.
    /// </summary>
    public static DeviceModel EveryOp(WeightLayout layout = WeightLayout.Int8Rows, int seed = 4)
    {
        var random = new Random(seed);
        var model = new DeviceModel { Name = "every-op" };
        int image = model.AddTensor(DeviceTensor.Of("image", [1, 9, 9, 3], 0.02f, 5));
        int conv = model.AddTensor(DeviceTensor.Of("conv", [1, 9, 9, 6], 0.04f, -128));
        int max = model.AddTensor(DeviceTensor.Of("max", [1, 4, 4, 6], 0.04f, -128));
        int avg = model.AddTensor(DeviceTensor.Of("avg", [1, 4, 4, 6], 0.04f, -128));
        int sum = model.AddTensor(DeviceTensor.Of("sum", [1, 4, 4, 6], 0.07f, -120));
        int product = model.AddTensor(DeviceTensor.Of("product", [1, 4, 4, 6], 0.3f, -110));
        int sigmoid = model.AddTensor(DeviceTensor.Of("sigmoid", [1, 4, 4, 6], 1f / 256, -128));
        int table = model.AddTensor(DeviceTensor.Of("table", [1, 4, 4, 6], 1f / 256, -128));
        int concat = model.AddTensor(DeviceTensor.Of("concat", [1, 4, 4, 12], 1f / 256, -128));
        int pooled = model.AddTensor(DeviceTensor.Of("pooled", [1, 1, 1, 12], 1f / 512, -100));
        int flat = model.AddTensor(DeviceTensor.Of("flat", [1, 12], 1f / 512, -100));
        int logits = model.AddTensor(DeviceTensor.Of("logits", [5], 0.1f, 3));
        int probabilities = model.AddTensor(DeviceTensor.Of("probabilities", [5], 1f / 256, -128));
        model.Input = image;
        model.Output = probabilities;
        Requantization requantization = RandomRequantization(random, 6);
        model.Ops.Add(new Conv2DRecord(image, conv, new DeviceWindow(3, 3, PadTop: 1, PadLeft: 1), 5, Int8s(random, 6 * 3 * 3 * 3),
            Biases(random, 6), requantization, -128, -128, 127, layout));
        model.Ops.Add(new Pool2DRecord(conv, max, new DeviceWindow(2, 2, 2, 2), Average: false));
        model.Ops.Add(new Pool2DRecord(max, avg, new DeviceWindow(3, 3, PadTop: 1, PadLeft: 1), Average: true));
        model.Ops.Add(new AddRecord(max, avg, sum, AddQuantization.Create(96, 0.04, -128, 0.04, -128, 0.07, -120)));
        model.Ops.Add(new MulRecord(sum, max, product, MulQuantization.Create(96, 0.07, -120, 0.04, -128, 0.3, -110)));
        model.Ops.Add(new LookupRecord(product, sigmoid, [.. LookupTable.Sigmoid(0.3, -110)]));
        model.Ops.Add(new LookupRecord(sum, table, [.. LookupTable.Build(x => x * x / 8, 0.07, -120, 1.0 / 256, -128)]));
        model.Ops.Add(new ConcatRecord([sigmoid, table], concat, Axis: 3));
        var pool = GlobalAveragePoolQuantization.Create(1, 4, 4, 12, 1.0 / 256, -128, 1.0 / 512, -100);
        model.Ops.Add(new GlobalAveragePoolRecord(concat, pooled, pool.Multiplier, pool.Shift));
        model.Ops.Add(new ReshapeRecord(pooled, flat));
        model.Ops.Add(Dense(random, flat, logits, 12, 5, 3, -128, 127, layout));
        var softmax = SoftmaxQuantization.Create(1, 5, 1.0, 0.1);
        model.Ops.Add(new SoftmaxRecord(logits, probabilities, softmax.InputMultiplier, softmax.InputLeftShift, softmax.DiffMin));
        model.InputRules.Add(InputRule.For(0.02f, 5, -3));
        model.OutputNames = ["a", "b", "c", "d", "e"];
        return model;
    }

    /// <summary>
    /// 256 features → FC 512 (ReLU) → FC 256 (ReLU) → FC 10: 264,704 bytes of int8 weights, to measure
    /// what loading holds when the weights dwarf everything else in the blob.
    /// </summary>
    public static DeviceModel Large(int seed = 6)
    {
        var random = new Random(seed);
        var model = new DeviceModel { Name = "large-mlp" };
        int input = model.AddTensor(DeviceTensor.Of("x", [256], 0.05f, 0));
        int first = model.AddTensor(DeviceTensor.Of("h1", [512], 0.1f, -128));
        int second = model.AddTensor(DeviceTensor.Of("h2", [256], 0.1f, -128));
        int output = model.AddTensor(DeviceTensor.Of("y", [10], 0.2f, 0));
        model.Input = input;
        model.Output = output;
        model.Ops.Add(Dense(random, input, first, 256, 512, -128, -128, 127, WeightLayout.Int8Rows));
        model.Ops.Add(Dense(random, first, second, 512, 256, -128, -128, 127, WeightLayout.Int8Rows));
        model.Ops.Add(Dense(random, second, output, 256, 10, 0, -128, 127, WeightLayout.Int8Rows));
        model.InputRules.Add(InputRule.For(0.05f, 0, -3));
        return model;
    }

    private static ImmutableArray<sbyte> Int8s(Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => (sbyte)random.Next(-127, 128))];

    private static ImmutableArray<int> Biases(Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => random.Next(-3000, 3000))];

    private static Requantization RandomRequantization(Random random, int channels)
    {
        var scales = Enumerable.Range(0, channels).Select(_ => QuantizedMultiplier.FromReal(0.001 + random.NextDouble() * 0.004)).ToArray();
        return Requantization.Explicit(scales.Select(q => q.Multiplier).ToArray(), scales.Select(q => q.Shift).ToArray());
    }

    public static FullyConnectedRecord Dense(Random random, int input, int output, int depth, int outputs,
        int outputZeroPoint, int min, int max, WeightLayout layout, bool scaleGrid = false)
    {
        sbyte[] weights = Enumerable.Range(0, depth * outputs).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
        int[] bias = Enumerable.Range(0, outputs).Select(_ => random.Next(-5000, 5000)).ToArray();
        Requantization requantization = scaleGrid
            ? new ScaleGridRequantization(1_300_000_000 + random.Next(1 << 28), -9, [.. Enumerable.Range(0, outputs).Select(_ => (byte)random.Next(48))])
            : RandomRequantization(random, outputs);
        return new FullyConnectedRecord(input, output, [.. weights], [.. bias], requantization, outputZeroPoint, min, max, 0, layout);
    }

    /// <summary>The blob of a test model, its golden vector made from <see cref="RawInput"/>.</summary>
    public static byte[] Blob(DeviceModel model) =>
        BlobWriter.WriteWithGolden(model, rawInput: RawInput(model.Tensors[model.Input].Elements));

    /// <summary>Raw input values for the MLP's features, spanning their ranges.</summary>
    public static int[] RawInput(int features, int seed = 2)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, features).Select(f => random.Next(-2000, 2000)).ToArray();
    }
}
