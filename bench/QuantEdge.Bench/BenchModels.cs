using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Onnx;

namespace QuantEdge.Bench;

/// <summary>A benchmark model: float ONNX with random weights (fixed seeds) and a generator of input rows.</summary>
internal sealed record BenchModel(string Name, string Architecture, byte[] Onnx, int[] SampleShape, Func<Random, float> Feature)
{
    public int Features => SampleShape.Aggregate(1, (a, b) => a * b);

    /// <summary>Dense 64 → 32 (ReLU) → 10 logits.</summary>
    public static BenchModel Mlp()
    {
        var random = new Random(1);
        byte[] onnx = new OnnxModelBuilder(13)
            .Input("features", "N", 64)
            .Initializer("fc1.W", [32, 64], HeUniform(random, 32 * 64, 64))
            .Initializer("fc1.B", [32], Uniform(random, 32, 0.1f))
            .Initializer("fc2.W", [10, 32], HeUniform(random, 10 * 32, 32))
            .Initializer("fc2.B", [10], Uniform(random, 10, 0.1f))
            .Node("Gemm", ["features", "fc1.W", "fc1.B"], ["h"], a => a.Int("transB", 1))
            .Node("Relu", ["h"], ["r"])
            .Node("Gemm", ["r", "fc2.W", "fc2.B"], ["logits"], a => a.Int("transB", 1))
            .Output("logits", "N", 10)
            .ToBytes();
        return new BenchModel("MLP 64-32-10", "Gemm 64→32, ReLU, Gemm 32→10 (logits)", onnx, [1, 64], r => (float)(r.NextDouble() * 2 - 1));
    }

    /// <summary>Two 3×3 convolutions (8 and 16 channels, ReLU, 2×2 max pool each) on 28×28×1, dense to 10.</summary>
    public static BenchModel Cnn()
    {
        var random = new Random(2);
        byte[] onnx = new OnnxModelBuilder(13)
            .Input("image", "N", 1, 28, 28)
            .Initializer("c1.W", [8, 1, 3, 3], HeUniform(random, 72, 9))
            .Initializer("c1.B", [8], Uniform(random, 8, 0.1f))
            .Initializer("c2.W", [16, 8, 3, 3], HeUniform(random, 1152, 72))
            .Initializer("c2.B", [16], Uniform(random, 16, 0.1f))
            .Initializer("fc.W", [10, 784], HeUniform(random, 7840, 784))
            .Initializer("fc.B", [10], Uniform(random, 10, 0.1f))
            .Node("Conv", ["image", "c1.W", "c1.B"], ["c1"], a => a.Ints("kernel_shape", 3, 3).Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["c1"], ["r1"])
            .Node("MaxPool", ["r1"], ["p1"], a => a.Ints("kernel_shape", 2, 2).Ints("strides", 2, 2))
            .Node("Conv", ["p1", "c2.W", "c2.B"], ["c2"], a => a.Ints("kernel_shape", 3, 3).Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["c2"], ["r2"])
            .Node("MaxPool", ["r2"], ["p2"], a => a.Ints("kernel_shape", 2, 2).Ints("strides", 2, 2))
            .Node("Flatten", ["p2"], ["flat"])
            .Node("Gemm", ["flat", "fc.W", "fc.B"], ["logits"], a => a.Int("transB", 1))
            .Output("logits", "N", 10)
            .ToBytes();
        return new BenchModel("CNN 28×28", "Conv 3×3 1→8 (pad 1), ReLU, MaxPool 2 → Conv 3×3 8→16 (pad 1), ReLU, MaxPool 2 → Flatten 784 → Gemm 10 (logits)",
            onnx, [1, 1, 28, 28], r => (float)r.NextDouble());
    }

    /// <summary><paramref name="count"/> rows of generated features (no labels).</summary>
    public Dataset Rows(int count, int seed)
    {
        var random = new Random(seed);
        float[][] rows = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, Features).Select(_ => Feature(random)).ToArray()).ToArray();
        return new Dataset(Enumerable.Range(0, Features).Select(i => $"x{i}").ToArray(), rows, null, $"{Name}, generated");
    }

    private static float[] HeUniform(Random random, int count, int fanIn) => Uniform(random, count, (float)Math.Sqrt(6.0 / fanIn));

    private static float[] Uniform(Random random, int count, float range) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * range)).ToArray();
}
