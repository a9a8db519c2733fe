using QuantEdge.Compiler.Onnx;

namespace QuantEdge.Compiler.Tests;

/// <summary>
/// Small ONNX models built in C# with random weights (fixed seeds), shared by the tests and by the device
/// tests' generator (tools/DeviceTest links this file, so it uses nothing else of the tests).
/// </summary>
public static class TestOnnxModels
{
    /// <summary>Uniform in [low, high): the same values as OnnxReference.Random.</summary>
    private static float[] Uniform(Random random, int count, float low, float high) =>
        Enumerable.Range(0, count).Select(_ => low + (float)random.NextDouble() * (high - low)).ToArray();

    private static float[] Weights(int count, int seed, float range = 1) => Uniform(new Random(seed), count, -range, range);

    public static byte[] Mlp() => new OnnxModelBuilder(13)
        .Input("features", "batch", 16)
        .Initializer("W1", [32, 16], Weights(512, 1, 0.4f))
        .Initializer("b1", [32], Weights(32, 2, 0.1f))
        .Initializer("W2", [32, 16], Weights(512, 3, 0.4f))
        .Initializer("b2", [16], Weights(16, 4, 0.1f))
        .Initializer("W3", [16, 10], Weights(160, 5, 0.5f))
        .Initializer("b3", [10], Weights(10, 6, 0.1f))
        .Node("Gemm", ["features", "W1", "b1"], ["h1"], a => a.Int("transB", 1))
        .Node("Relu", ["h1"], ["a1"])
        .Node("Dropout", ["a1"], ["d1"])
        .Node("MatMul", ["d1", "W2"], ["h2"])
        .Node("Add", ["h2", "b2"], ["h2b"])
        .Node("Relu", ["h2b"], ["a2"])
        .Node("MatMul", ["a2", "W3"], ["h3"])
        .Node("Add", ["h3", "b3"], ["logits"])
        .Node("Softmax", ["logits"], ["probabilities"], a => a.Int("axis", 1))
        .Output("probabilities", "batch", 10)
        .ToBytes();

    /// <summary>
    /// The operators added for issue 14: a constant Pad of the image's plane before a conv, a Split of its
    /// columns into 2 and 4 (each slice checked on its own by the layer-by-layer tests) joined again, a Transpose
    /// of its rows and columns; a Slice taking rows and columns backwards; HardSwish, HardSigmoid → Exp, Neg and Min by a constant
    /// (lookup tables); ReduceMean and ReduceSum over the plane (the global average pool kernel); Sub of the
    /// plane's mean (broadcast), Max and Min of two values (the broadcast kernels); Squeeze → Unsqueeze →
    /// Squeeze (reshapes); then Gemm.
    /// </summary>
    public static byte[] NewerOps() => new OnnxModelBuilder(14)
        .Input("image", 1, 2, 6, 6)
        .Initializer("W", [4, 2, 3, 3], Weights(72, 21, 0.5f))
        .Initializer("B", [4], Weights(4, 22, 0.1f))
        .Initializer("plane", [2], new long[] { 2, 3 })
        .Initializer("first", [1], new long[] { 0 })
        .Initializer("ceiling", [], [1.5f])
        .Initializer("G", [3, 4], Weights(12, 23))
        .Initializer("padding", [8], new long[] { 0, 0, 1, 1, 0, 0, 1, 1 })
        .Initializer("padValue", [], [0.25f])
        .Initializer("halves", [2], new long[] { 2, 4 })
        .Initializer("lasts", [2], new long[] { -1, -1 })
        .Initializer("befores", [2], new long[] { long.MinValue, long.MinValue })
        .Initializer("rowsColumns", [2], new long[] { 2, 3 })
        .Initializer("backwards", [2], new long[] { -1, -1 })
        .Node("Pad", ["image", "padding", "padValue"], ["p"])
        .Node("Conv", ["p", "W", "B"], ["c"], a => a.Ints("kernel_shape", 3, 3))
        .Node("Split", ["c", "halves"], ["c0", "c1"], a => a.Int("axis", 3))
        .Node("Concat", ["c0", "c1"], ["cr"], a => a.Int("axis", 3))
        .Node("Transpose", ["cr"], ["ct"], a => a.Ints("perm", 0, 1, 3, 2))
        .Node("HardSwish", ["ct"], ["h"])
        .Node("HardSigmoid", ["c"], ["g"], a => a.Float("alpha", 0.25f))
        .Node("Exp", ["g"], ["e"])
        .Node("ReduceMean", ["h"], ["m"], a => a.Ints("axes", 2, 3))
        .Node("Sub", ["h", "m"], ["d"])
        .Node("Slice", ["e", "lasts", "befores", "rowsColumns", "backwards"], ["er"])
        .Node("Transpose", ["er"], ["et"], a => a.Ints("perm", 0, 1, 3, 2))
        .Node("Max", ["d", "et"], ["x"])
        .Node("Min", ["x", "ceiling"], ["k"])
        .Node("ReduceSum", ["k", "plane"], ["s"])
        .Node("Min", ["s", "m"], ["a"])
        .Node("Squeeze", ["a", "plane"], ["q"])
        .Node("Unsqueeze", ["q", "first"], ["u"])
        .Node("Squeeze", ["u", "first"], ["v"])
        .Node("Neg", ["v"], ["n"])
        .Node("Gemm", ["n", "G"], ["y"], a => a.Int("transB", 1))
        .Output("y", 1, 3)
        .ToBytes();

    public static byte[] Cnn()
    {
        var random = new Random(7);
        float[] Positive(int n) => Uniform(random, n, 0.5f, 1.5f);
        return new OnnxModelBuilder(13)
            .Input("image", "N", 1, 12, 12)
            .Initializer("c1.W", [8, 1, 3, 3], Weights(72, 8, 0.5f))
            .Initializer("c1.B", [8], Weights(8, 9, 0.1f))
            .Initializer("bn.scale", [8], Positive(8))
            .Initializer("bn.B", [8], Weights(8, 10, 0.2f))
            .Initializer("bn.mean", [8], Weights(8, 11, 0.2f))
            .Initializer("bn.var", [8], Positive(8))
            .Initializer("c2.W", [16, 8, 3, 3], Weights(1152, 12, 0.2f))
            .Initializer("dw.W", [16, 1, 3, 3], Weights(144, 13, 0.5f))
            .Initializer("dw.B", [16], Weights(16, 14, 0.1f))
            .Initializer("zero", [], [0f])
            .Initializer("six", [], [6f])
            .Initializer("fc.W", [10, 16], Weights(160, 15, 0.5f))
            .Initializer("fc.B", [10], Weights(10, 16, 0.1f))
            .Node("Conv", ["image", "c1.W", "c1.B"], ["c1"], a => a.Ints("pads", 1, 1, 1, 1).Ints("kernel_shape", 3, 3))
            .Node("BatchNormalization", ["c1", "bn.scale", "bn.B", "bn.mean", "bn.var"], ["bn"])
            .Node("Relu", ["bn"], ["r1"])
            .Node("MaxPool", ["r1"], ["p1"], a => a.Ints("kernel_shape", 2, 2).Ints("strides", 2, 2))
            .Node("Conv", ["p1", "c2.W"], ["c2"])
            .Node("Clip", ["c2", "zero", "six"], ["r2"])
            .Node("Conv", ["r2", "dw.W", "dw.B"], ["dw"], a => a.Int("group", 16).String("auto_pad", "SAME_UPPER"))
            .Node("GlobalAveragePool", ["dw"], ["gap"])
            .Node("Flatten", ["gap"], ["flat"])
            .Node("Gemm", ["flat", "fc.W", "fc.B"], ["logits"], a => a.Int("transB", 1))
            .Node("Softmax", ["logits"], ["probabilities"])
            .Output("probabilities", "N", 10)
            .ToBytes();
    }

    /// <summary>
    /// Everything else the quantizer lowers: a flatten of a multi-channel image into a dense layer
    /// (NCHW order on the host, NHWC on the device), average pool counting its padding, a standalone
    /// batch norm, sigmoid, tanh, leaky ReLU, add and mul of two tensors, scalar and per-channel
    /// constants, concat.
    /// </summary>
    public static byte[] Branchy()
    {
        var random = new Random(21);
        float[] Positive(int n) => Uniform(random, n, 0.5f, 1.5f);
        return new OnnxModelBuilder(13)
            .Input("image", "N", 2, 6, 6)
            .Initializer("c.W", [4, 2, 3, 3], Weights(72, 22, 0.5f))
            .Initializer("c.B", [4], Weights(4, 23, 0.1f))
            .Initializer("bn.scale", [4], Positive(4))
            .Initializer("bn.B", [4], Weights(4, 24, 0.2f))
            .Initializer("bn.mean", [4], Weights(4, 25, 0.2f))
            .Initializer("bn.var", [4], Positive(4))
            .Initializer("half", [], [0.5f])
            .Initializer("per.channel", [4, 1, 1], Weights(4, 26, 1f))
            .Initializer("fc.W", [5, 288], Weights(1440, 27, 0.1f))
            .Initializer("fc.B", [5], Weights(5, 28, 0.1f))
            .Node("Conv", ["image", "c.W", "c.B"], ["c"], a => a.Ints("pads", 1, 1, 1, 1))
            .Node("BatchNormalization", ["c", "bn.scale", "bn.B", "bn.mean", "bn.var"], ["bn"])
            .Node("Sigmoid", ["c"], ["s"])
            .Node("Tanh", ["bn"], ["t"])
            .Node("LeakyRelu", ["bn"], ["l"], a => a.Float("alpha", 0.1f))
            .Node("Add", ["t", "l"], ["sum"])
            .Node("Mul", ["sum", "half"], ["scaled"])
            .Node("Mul", ["scaled", "per.channel"], ["weighted"])
            .Node("AveragePool", ["weighted"], ["avg"], a => a.Ints("kernel_shape", 3, 3).Ints("pads", 1, 1, 1, 1).Int("count_include_pad", 1))
            .Node("Mul", ["avg", "s"], ["gated"])
            .Node("Concat", ["gated", "s"], ["both"], a => a.Int("axis", 1))
            .Node("Flatten", ["both"], ["flat"])
            .Node("Gemm", ["flat", "fc.W", "fc.B"], ["logits"], a => a.Int("transB", 1))
            .Output("logits", "N", 5)
            .ToBytes();
    }
}
