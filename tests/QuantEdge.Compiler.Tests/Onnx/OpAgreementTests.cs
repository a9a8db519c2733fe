using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Compiler.Tests.Quantization;
using QuantEdge.Runtime;
using static QuantEdge.Compiler.Tests.OnnxReference;

namespace QuantEdge.Compiler.Tests.Onnx;

/// <summary>
/// One small model per supported op and attribute variant, built with OnnxModelBuilder, run by ONNX
/// Runtime and by the importer + float executor (tolerance: see <see cref="OnnxReference"/>).
/// </summary>
public class OpAgreementTests
{
    private static float[] Weights(int count, int seed) => Random(new Random(seed), count, -1, 1);

    private static float[] Positive(int count, int seed) => Random(new Random(seed), count, 0.5f, 1.5f);

    [Theory]
    [InlineData(0, 1f, 1f, "vector")]
    [InlineData(1, 1f, 1f, "vector")]
    [InlineData(1, 0.5f, 2f, "row")]
    [InlineData(0, -1.5f, 0.25f, "scalar")]
    [InlineData(1, 2f, 1f, "none")]
    public void Gemm(int transB, float alpha, float beta, string bias)
    {
        int[] bShape = transB == 1 ? [3, 5] : [5, 3];
        var builder = new OnnxModelBuilder(13)
            .Input("x", 1, 5)
            .Initializer("B", bShape, Weights(15, 1));
        string[] inputs = ["x", "B"];
        if (bias != "none")
        {
            int[] cShape = bias switch { "vector" => [3], "row" => [1, 3], _ => [] };
            builder.Initializer("C", cShape, Weights(FloatTensor.ElementCount(cShape), 2));
            inputs = ["x", "B", "C"];
        }

        byte[] model = builder
            .Node("Gemm", inputs, ["y"], a => a.Int("transB", transB).Float("alpha", alpha).Float("beta", beta))
            .Output("y", 1, 3)
            .ToBytes();

        ModelGraph graph = AssertAgrees(model);
        Assert.IsType<DenseNode>(Assert.Single(graph.Nodes));
    }

    [Fact]
    public void MatMulThenAddOfAConstantVectorBecomesOneDense()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 6)
            .Initializer("W", [6, 4], Weights(24, 3))
            .Initializer("b", [4], Weights(4, 4))
            .Node("MatMul", ["x", "W"], ["xw"])
            .Node("Add", ["b", "xw"], ["y"])
            .Output("y", 1, 4)
            .ToBytes();

        DenseNode dense = Assert.IsType<DenseNode>(Assert.Single(AssertAgrees(model).Nodes));
        Assert.Equal("y", dense.Output);
        Assert.Equal([4, 6], dense.Weights.Shape);
    }

    /// <summary>
    /// A scaler exported in the graph ((x − mean) / scale, or a BatchNormalization on the features) before the
    /// first dense layer folds into it, so the raw features meet the dense layer (and get a scale each on the
    /// device); features from ~1,000 down to ~0.001, as a scikit-learn pipeline on raw data has them.
    /// </summary>
    [Theory]
    [InlineData("Sub then Div")]
    [InlineData("Div then Sub")]
    [InlineData("Mul by a scalar")]
    [InlineData("BatchNormalization")]
    public void AFeatureScalerBeforeADenseLayerFoldsIntoIt(string scaler)
    {
        float[] mean = [1000f, 0.05f, -3f, 20f], scale = [300f, 0.01f, 2f, 0.5f];
        var builder = new OnnxModelBuilder(13)
            .Input("x", 1, 4)
            .Initializer("mean", [1, 4], mean)
            .Initializer("scale", [4], scale)
            .Initializer("two", [], [2f])
            .Initializer("W", [4, 3], Weights(12, 40))
            .Initializer("b", [3], Weights(3, 41));
        builder = scaler switch
        {
            "Sub then Div" => builder.Node("Sub", ["x", "mean"], ["c"]).Node("Div", ["c", "scale"], ["s"]),
            "Div then Sub" => builder.Node("Div", ["x", "scale"], ["c"]).Node("Sub", ["c", "mean"], ["s"]),
            "Mul by a scalar" => builder.Node("Mul", ["two", "x"], ["s"]),
            _ => builder.Initializer("bn_mean", [4], mean).Initializer("bn_var", [4], scale.Select(v => v * v).ToArray())
                .Initializer("bn_scale", [4], Positive(4, 42)).Initializer("bn_bias", [4], Weights(4, 43))
                .Node("BatchNormalization", ["x", "bn_scale", "bn_bias", "bn_mean", "bn_var"], ["s"]),
        };
        byte[] model = builder
            .Node("MatMul", ["s", "W"], ["xw"])
            .Node("Add", ["xw", "b"], ["y"])
            .Output("y", 1, 3)
            .ToBytes();

        DenseNode dense = Assert.IsType<DenseNode>(Assert.Single(AssertAgrees(model).Nodes));
        Assert.Equal("x", dense.Input);
    }

    [Fact]
    public void AScalerAlsoReadByAnotherNodeStays()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 2)
            .Initializer("mean", [2], [5f, -1f])
            .Initializer("W", [2, 2], Weights(4, 44))
            .Node("Sub", ["x", "mean"], ["c"])
            .Node("MatMul", ["c", "W"], ["xw"])
            .Node("Add", ["xw", "c"], ["y"])
            .Output("y", 1, 2)
            .ToBytes();

        Assert.Equal(["Add", "Dense", "Add"], AssertAgrees(model).Nodes.Select(n => n.OpName));
    }

    [Fact]
    public void MatMulWithoutBias()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 6)
            .Initializer("W", [6, 2], Weights(12, 5))
            .Node("MatMul", ["x", "W"], ["y"])
            .Output("y", 1, 2)
            .ToBytes();

        Assert.IsType<DenseNode>(Assert.Single(AssertAgrees(model).Nodes));
    }

    /// <summary>A constant on the left (a fixed mixing matrix over a window of readings): transpose, dense, transpose.</summary>
    [Fact]
    public void MatMulWithAConstantLeftOperand()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 5, 3)
            .Initializer("A", [4, 5], Weights(20, 6))
            .Node("MatMul", ["A", "x"], ["y"])
            .Output("y", 4, 3)
            .ToBytes();

        ModelGraph graph = AssertAgrees(model);
        Assert.Equal(["Transpose", "Dense", "Transpose"], graph.Nodes.Select(n => n.OpName));

        // And on the device: the int8 model passes its self-test and every layer stays within 25 dB of float (QuantizerTests'
        // floor). A regression: as a classifier's, the output's range would be the decision range, whose SQNR is low by design.
        QuantizationResult q = Quantizer.Quantize(graph, QuantizerTests.Rows(graph, 300, 7), new QuantizeOptions { Task = ModelTask.Regression });
        Assert.True(Model.Load(q.Blob).SelfTest());
        Assert.All(Evaluator.PerLayerError(q, graph, QuantizerTests.Rows(graph, 100, 8)), l => Assert.True(l.SqnrDb >= 25, $"{l.Value}: {l.SqnrDb:F1} dB"));
    }

    public static TheoryData<string, int[], int[], int[], string, int, int> Conv2DCases => new()
    {
        // name, strides, pads (t, l, b, r), dilations, auto_pad, group, out channels
        { "plain", [1, 1], [0, 0, 0, 0], [1, 1], "NOTSET", 1, 4 },
        { "symmetric pads", [1, 1], [1, 1, 1, 1], [1, 1], "NOTSET", 1, 4 },
        { "asymmetric pads", [1, 1], [0, 1, 2, 0], [1, 1], "NOTSET", 1, 4 },
        { "strides", [2, 3], [1, 1, 1, 1], [1, 1], "NOTSET", 1, 3 },
        { "dilations", [1, 1], [2, 2, 2, 2], [2, 2], "NOTSET", 1, 2 },
        { "same upper, stride 2", [2, 2], [], [1, 1], "SAME_UPPER", 1, 4 },
        { "same lower, stride 2", [2, 2], [], [1, 1], "SAME_LOWER", 1, 4 },
        { "valid", [2, 1], [], [1, 1], "VALID", 1, 4 },
        { "groups", [1, 1], [1, 1, 1, 1], [1, 1], "NOTSET", 2, 4 },
        { "depthwise", [1, 1], [1, 1, 1, 1], [1, 1], "NOTSET", 4, 4 },
        { "depthwise multiplier 2, same upper", [2, 2], [], [1, 1], "SAME_UPPER", 4, 8 },
    };

    [Theory]
    [MemberData(nameof(Conv2DCases))]
    public void Conv2DVariants(string name, int[] strides, int[] pads, int[] dilations, string autoPad, int group, int outChannels)
    {
        const int channels = 4;
        int inPerGroup = channels / group;
        var builder = new OnnxModelBuilder(13)
            .Input("x", 1, channels, 7, 8)
            .Initializer("W", [outChannels, inPerGroup, 3, 3], Weights(outChannels * inPerGroup * 9, 6))
            .Initializer("B", [outChannels], Weights(outChannels, 7))
            .Node("Conv", ["x", "W", "B"], ["y"], a =>
            {
                a.Ints("strides", [.. strides.Select(s => (long)s)]).Ints("dilations", [.. dilations.Select(d => (long)d)]).Int("group", group).Ints("kernel_shape", 3, 3);
                if (autoPad == "NOTSET")
                {
                    a.Ints("pads", [.. pads.Select(p => (long)p)]);
                }
                else
                {
                    a.String("auto_pad", autoPad);
                }
            });

        byte[] model = builder.Output("y", Dim.Unknown, Dim.Unknown, Dim.Unknown, Dim.Unknown).ToBytes();
        Conv2DNode conv = Assert.IsType<Conv2DNode>(Assert.Single(AssertAgrees(model).Nodes));
        Assert.Equal(group, conv.Group);
        Assert.True(conv.OutputShape[1] == outChannels, name);
    }

    [Theory]
    [InlineData(1, 0, 0, "NOTSET")]
    [InlineData(2, 1, 2, "NOTSET")]
    [InlineData(2, 0, 0, "SAME_UPPER")]
    [InlineData(1, 0, 0, "SAME_LOWER")]
    public void Conv1DIsA2DConvolutionOfHeightOne(int stride, int padBegin, int padEnd, string autoPad)
    {
        var builder = new OnnxModelBuilder(13)
            .Input("x", 1, 3, 11)
            .Initializer("W", [5, 3, 4], Weights(60, 8))
            .Node("Conv", ["x", "W"], ["y"], a =>
            {
                a.Ints("strides", stride);
                if (autoPad == "NOTSET")
                {
                    a.Ints("pads", padBegin, padEnd);
                }
                else
                {
                    a.String("auto_pad", autoPad);
                }
            })
            .Output("y", Dim.Unknown, Dim.Unknown, Dim.Unknown);

        Conv2DNode conv = Assert.IsType<Conv2DNode>(Assert.Single(AssertAgrees(builder.ToBytes()).Nodes));
        Assert.Equal([5, 3, 1, 4], conv.Weights.Shape);
        Assert.Equal(new Size2D(1, stride), conv.Strides);
        Assert.Equal(3, conv.OutputShape.Length);
    }

    [Fact]
    public void BatchNormalizationFoldsIntoThePrecedingConv()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 2, 5, 5)
            .Initializer("W", [3, 2, 3, 3], Weights(54, 9))
            .Initializer("B", [3], Weights(3, 10))
            .Initializer("scale", [3], Positive(3, 11))
            .Initializer("shift", [3], Weights(3, 12))
            .Initializer("mean", [3], Weights(3, 13))
            .Initializer("var", [3], Positive(3, 14))
            .Node("Conv", ["x", "W", "B"], ["c"], a => a.Ints("pads", 1, 1, 1, 1))
            .Node("BatchNormalization", ["c", "scale", "shift", "mean", "var"], ["y"], a => a.Float("epsilon", 1e-3f))
            .Output("y", 1, 3, 5, 5)
            .ToBytes();

        Assert.Equal("y", Assert.IsType<Conv2DNode>(Assert.Single(AssertAgrees(model).Nodes)).Output);
    }

    [Fact]
    public void BatchNormalizationFoldsIntoThePrecedingGemmWithoutBias()
    {
        byte[] model = new OnnxModelBuilder(11)
            .Input("x", 1, 4)
            .Initializer("W", [3, 4], Weights(12, 15))
            .Initializer("scale", [3], Positive(3, 16))
            .Initializer("shift", [3], Weights(3, 17))
            .Initializer("mean", [3], Weights(3, 18))
            .Initializer("var", [3], Positive(3, 19))
            .Node("Gemm", ["x", "W"], ["h"], a => a.Int("transB", 1))
            .Node("BatchNormalization", ["h", "scale", "shift", "mean", "var"], ["y"])
            .Output("y", 1, 3)
            .ToBytes();

        Assert.IsType<DenseNode>(Assert.Single(AssertAgrees(model).Nodes));
    }

    [Theory]
    [InlineData(new[] { 1, 3, 4, 4 })]
    [InlineData(new[] { 1, 3 })]
    public void BatchNormalizationWithoutAConvBeforeItIsAChannelAffine(int[] shape)
    {
        byte[] model = new OnnxModelBuilder(15)
            .Input("x", [.. shape.Select(d => (Dim)d)])
            .Initializer("scale", [3], Positive(3, 20))
            .Initializer("shift", [3], Weights(3, 21))
            .Initializer("mean", [3], Weights(3, 22))
            .Initializer("var", [3], Positive(3, 23))
            .Node("Relu", ["x"], ["r"])
            .Node("BatchNormalization", ["r", "scale", "shift", "mean", "var"], ["y"])
            .Output("y", [.. shape.Select(d => (Dim)d)])
            .ToBytes();

        Assert.IsType<ChannelAffineNode>(AssertAgrees(model).Nodes[1]);
    }

    [Fact]
    public void BatchNormalizationIsNotFoldedIntoAConvWhoseOutputIsAlsoReadElsewhere()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 2, 4, 4)
            .Initializer("W", [2, 2, 1, 1], Weights(4, 24))
            .Initializer("scale", [2], Positive(2, 25))
            .Initializer("shift", [2], Weights(2, 26))
            .Initializer("mean", [2], Weights(2, 27))
            .Initializer("var", [2], Positive(2, 28))
            .Node("Conv", ["x", "W"], ["c"])
            .Node("BatchNormalization", ["c", "scale", "shift", "mean", "var"], ["bn"])
            .Node("Add", ["c", "bn"], ["y"])
            .Output("y", 1, 2, 4, 4)
            .ToBytes();

        Assert.Equal(["Conv2D", "ChannelAffine", "Add"], AssertAgrees(model).Nodes.Select(n => n.OpName));
    }

    [Fact]
    public void ClipWithAttributesBeforeOpset11()
    {
        byte[] model = new OnnxModelBuilder(10)
            .Input("x", 1, 8)
            .Node("Clip", ["x"], ["y"], a => a.Float("min", -0.5f).Float("max", 1.25f))
            .Output("y", 1, 8)
            .ToBytes();

        ClipNode clip = Assert.IsType<ClipNode>(Assert.Single(AssertAgrees(model).Nodes));
        Assert.Equal((-0.5f, 1.25f), (clip.Min, clip.Max));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void ClipWithConstantInputsFromOpset11(bool hasMin, bool hasMax)
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 8)
            .Initializer("lo", [], [-0.75f])
            .Node("Constant", [], ["hi"], a => a.Tensor("value", [], [0.5f]))
            .Node("Clip", ["x", hasMin ? "lo" : "", hasMax ? "hi" : ""], ["y"])
            .Output("y", 1, 8)
            .ToBytes();

        ClipNode clip = Assert.IsType<ClipNode>(Assert.Single(AssertAgrees(model).Nodes));
        Assert.Equal(hasMin ? -0.75f : float.MinValue, clip.Min);
        Assert.Equal(hasMax ? 0.5f : float.MaxValue, clip.Max);
    }

    [Fact]
    public void Relu6IsClipZeroToSix()
    {
        byte[] model = new OnnxModelBuilder(11)
            .Input("x", 1, 16)
            .Initializer("zero", [], [0f])
            .Initializer("six", [], [6f])
            .Node("Mul", ["x", "x"], ["sq"])
            .Node("Clip", ["sq", "zero", "six"], ["y"])
            .Output("y", 1, 16)
            .ToBytes();

        ClipNode clip = Assert.IsType<ClipNode>(AssertAgrees(model).Nodes[1]);
        Assert.Equal((0f, 6f), (clip.Min, clip.Max));
    }

    [Theory]
    [InlineData("Relu")]
    [InlineData("Sigmoid")]
    [InlineData("Tanh")]
    [InlineData("LeakyRelu")]
    [InlineData("Neg")]
    [InlineData("Exp")]
    [InlineData("HardSigmoid")]
    [InlineData("HardSwish")]
    public void Activations(string op)
    {
        byte[] model = new OnnxModelBuilder(op == "HardSwish" ? 14 : 13)
            .Input("x", 1, 3, 2, 5)
            .Node(op, ["x"], ["y"], op switch
            {
                "LeakyRelu" => a => a.Float("alpha", 0.2f),
                "HardSigmoid" => a => a.Float("alpha", 0.3f).Float("beta", 0.4f),
                _ => null,
            })
            .Output("y", 1, 3, 2, 5)
            .ToBytes();

        Assert.Equal(op, Assert.Single(AssertAgrees(model).Nodes).OpName);
    }

    [Fact]
    public void LeakyReluDefaultAlpha()
    {
        byte[] model = new OnnxModelBuilder(13).Input("x", 1, 9).Node("LeakyRelu", ["x"], ["y"]).Output("y", 1, 9).ToBytes();
        Assert.Equal(0.01f, Assert.IsType<LeakyReluNode>(Assert.Single(AssertAgrees(model).Nodes)).Alpha);
    }

    [Theory]
    [InlineData(11, null, 1, 3)] // default axis 1 flattens [3, 4] together: reshape, softmax, reshape
    [InlineData(11, 2L, 1, 1)] // last axis: same as opset 13
    [InlineData(11, 0L, 1, 3)]
    [InlineData(12, -2L, 1, 3)]
    [InlineData(13, null, 1, 1)] // default axis −1
    [InlineData(13, 1L, 1, 1)]
    [InlineData(13, 0L, 1, 1)]
    [InlineData(13, -2L, 1, 1)]
    public void SoftmaxAxisSemanticsBeforeAndFromOpset13(int opset, long? axis, int softmaxCount, int nodeCount)
    {
        byte[] model = new OnnxModelBuilder(opset)
            .Input("x", 2, 3, 4)
            .Node("Softmax", ["x"], ["y"], axis is long a ? attrs => attrs.Int("axis", a) : null)
            .Output("y", 2, 3, 4)
            .ToBytes();

        ModelGraph graph = AssertAgrees(model);
        Assert.Equal(softmaxCount, graph.Nodes.OfType<SoftmaxNode>().Count());
        Assert.Equal(nodeCount, graph.Nodes.Count);
    }

    public static TheoryData<string, int[], int[], int[], string, int, int> PoolCases => new()
    {
        // op, kernel, strides, pads (t, l, b, r), auto_pad, ceil_mode, count_include_pad
        { "MaxPool", [2, 2], [2, 2], [0, 0, 0, 0], "NOTSET", 0, 0 },
        { "MaxPool", [3, 3], [1, 1], [1, 1, 1, 1], "NOTSET", 0, 0 },
        { "MaxPool", [3, 2], [2, 1], [1, 0, 2, 1], "NOTSET", 0, 0 },
        { "MaxPool", [3, 3], [2, 2], [], "SAME_UPPER", 0, 0 },
        { "MaxPool", [2, 2], [2, 2], [], "SAME_LOWER", 0, 0 },
        { "MaxPool", [3, 3], [2, 2], [0, 0, 0, 0], "NOTSET", 1, 0 },
        { "MaxPool", [2, 2], [2, 2], [1, 1, 0, 0], "NOTSET", 1, 0 },
        { "AveragePool", [2, 2], [2, 2], [0, 0, 0, 0], "NOTSET", 0, 0 },
        { "AveragePool", [3, 3], [1, 1], [1, 1, 1, 1], "NOTSET", 0, 0 },
        { "AveragePool", [3, 3], [1, 1], [1, 1, 1, 1], "NOTSET", 0, 1 },
        { "AveragePool", [3, 2], [2, 1], [1, 0, 2, 1], "NOTSET", 0, 1 },
        { "AveragePool", [3, 3], [2, 2], [], "SAME_UPPER", 0, 0 },
        { "AveragePool", [3, 3], [2, 2], [], "SAME_LOWER", 0, 1 },
        { "AveragePool", [3, 3], [2, 2], [0, 0, 0, 0], "NOTSET", 1, 0 },
    };

    [Theory]
    [MemberData(nameof(PoolCases))]
    public void Pools(string op, int[] kernel, int[] strides, int[] pads, string autoPad, int ceilMode, int countIncludePad)
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 2, 8, 7)
            .Node(op, ["x"], ["y"], a =>
            {
                a.Ints("kernel_shape", [.. kernel.Select(k => (long)k)]).Ints("strides", [.. strides.Select(s => (long)s)]).Int("ceil_mode", ceilMode);
                if (autoPad == "NOTSET")
                {
                    a.Ints("pads", [.. pads.Select(p => (long)p)]);
                }
                else
                {
                    a.String("auto_pad", autoPad);
                }

                if (op == "AveragePool")
                {
                    a.Int("count_include_pad", countIncludePad);
                }
            })
            .Output("y", Dim.Unknown, Dim.Unknown, Dim.Unknown, Dim.Unknown)
            .ToBytes();

        Assert.Equal(op, Assert.Single(AssertAgrees(model).Nodes).OpName);
    }

    [Theory]
    [InlineData("MaxPool")]
    [InlineData("AveragePool")]
    public void Pool1D(string op)
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 3, 10)
            .Node(op, ["x"], ["y"], a => a.Ints("kernel_shape", 3).Ints("strides", 2).Ints("pads", 1, 1))
            .Output("y", 1, 3, 5)
            .ToBytes();

        Pool2DNode pool = Assert.IsAssignableFrom<Pool2DNode>(Assert.Single(AssertAgrees(model).Nodes));
        Assert.Equal(new Size2D(1, 3), pool.Kernel);
    }

    [Theory]
    [InlineData(new[] { 1, 3, 5, 6 })]
    [InlineData(new[] { 1, 4, 9 })]
    public void GlobalAveragePool(int[] shape)
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", [.. shape.Select(d => (Dim)d)])
            .Node("GlobalAveragePool", ["x"], ["y"])
            .Output("y", [.. shape.Select((d, i) => (Dim)(i < 2 ? d : 1))])
            .ToBytes();

        AssertAgrees(model);
    }

    [Theory]
    [InlineData("ReduceMean", 13, new long[] { 2, 3 }, 1, new[] { 1, 3, 1, 1 })]
    [InlineData("ReduceMean", 13, new long[] { -1 }, 0, new[] { 1, 3, 4 })]
    [InlineData("ReduceMean", 18, new long[] { 1 }, 1, new[] { 1, 1, 4, 5 })]
    [InlineData("ReduceSum", 11, new long[] { 0, 2 }, 0, new[] { 3, 5 })]
    [InlineData("ReduceSum", 13, new long[] { 2, 3 }, 1, new[] { 1, 3, 1, 1 })]
    [InlineData("ReduceSum", 13, new long[0], 1, new[] { 1, 1, 1, 1 })]
    public void Reductions(string op, int opset, long[] axes, int keepDims, int[] expected)
    {
        bool axesInput = opset >= (op == "ReduceMean" ? 18 : 13);
        var builder = new OnnxModelBuilder(opset).Input("x", 1, 3, 4, 5);
        if (axesInput && axes.Length > 0)
        {
            builder.Initializer("axes", [axes.Length], axes);
        }

        byte[] model = builder
            .Node(op, axesInput && axes.Length > 0 ? ["x", "axes"] : ["x"], ["y"],
                a =>
                {
                    a.Int("keepdims", keepDims);
                    if (!axesInput && axes.Length > 0)
                    {
                        a.Ints("axes", axes);
                    }
                })
            .Output("y", [.. expected.Select(d => (Dim)d)])
            .ToBytes();

        Assert.Equal(expected, Assert.Single(AssertAgrees(model).Nodes).OutputShape);
    }

    [Theory]
    [InlineData("Sub", new[] { 1, 3, 4, 5 }, new[] { 1, 3, 4, 5 })]
    [InlineData("Sub", new[] { 1, 3, 4, 5 }, new[] { 1, 3, 1, 1 })]
    [InlineData("Sub", new[] { 2, 5 }, new[] { 5 })]
    [InlineData("Max", new[] { 1, 3, 4, 5 }, new[] { 1, 1, 4, 5 })]
    [InlineData("Min", new[] { 2, 5 }, new[] { 2, 1 })]
    public void BinaryOfTwoValuesBroadcasts(string op, int[] left, int[] right)
    {
        int[] output = Shapes.Broadcast(left, right);
        byte[] model = new OnnxModelBuilder(13)
            .Input("a", [.. left.Select(d => (Dim)d)])
            .Input("b", [.. right.Select(d => (Dim)d)])
            .Node(op, ["a", "b"], ["y"])
            .Output("y", [.. output.Select(d => (Dim)d)])
            .ToBytes();

        Assert.Equal(op, Assert.Single(AssertAgrees(model).Nodes).OpName);
    }

    [Theory]
    [InlineData("Max", 1, 0)]
    [InlineData("Max", 3, 2)]
    [InlineData("Min", 4, 3)]
    public void MaxAndMinOfAnyNumberOfOperandsAreChainsOfPairs(string op, int operands, int nodes)
    {
        var builder = new OnnxModelBuilder(13);
        foreach (int i in Enumerable.Range(0, operands))
        {
            builder.Input($"x{i}", 2, 3);
        }

        byte[] model = builder.Node(op, [.. Enumerable.Range(0, operands).Select(i => $"x{i}")], ["y"]).Output("y", 2, 3).ToBytes();
        ModelGraph graph = AssertAgrees(model);
        Assert.Equal(Math.Max(nodes, 1), graph.Nodes.Count);
        Assert.Equal(nodes, graph.Nodes.Count(n => n.OpName == op));
    }

    [Fact]
    public void MaxWithAConstantIsAPairWithThatConstant()
    {
        byte[] model = new OnnxModelBuilder(13).Input("x", 1, 6).Initializer("floor", [], [0.25f])
            .Node("Max", ["floor", "x"], ["y"]).Output("y", 1, 6).ToBytes();
        MaxNode max = Assert.IsType<MaxNode>(Assert.Single(AssertAgrees(model).Nodes));
        Assert.Equal([0.25f], max.Constant!.Data);
    }

    [Theory]
    [InlineData(11, new long[] { 0, 0, 1, 2, 0, 1, 0, 3 }, 0.5f)]
    [InlineData(13, new long[] { 0, 0, 0, 0, 0, 0, 0, 0 }, 0f)]
    [InlineData(2, new long[] { 0, 2, 0, 1, 0, 0, 3, 0 }, -1.5f)]
    public void ConstantPad(int opset, long[] pads, float value)
    {
        int[] output = [1, 3, 4, 5];
        output = output.Select((d, a) => d + (int)pads[a] + (int)pads[4 + a]).ToArray();
        var builder = new OnnxModelBuilder(opset).Input("x", 1, 3, 4, 5);
        if (opset >= 11)
        {
            builder.Initializer("pads", [8], pads).Initializer("value", [], [value]);
        }

        byte[] model = builder
            .Node("Pad", opset >= 11 ? ["x", "pads", "value"] : ["x"], ["y"], opset >= 11 ? null : a => a.Ints("pads", pads).Float("value", value))
            .Output("y", [.. output.Select(d => (Dim)d)])
            .ToBytes();

        Assert.Equal(output, Assert.IsType<PadNode>(Assert.Single(AssertAgrees(model).Nodes)).OutputShape);
    }

    [Theory]
    [InlineData(new[] { 1, 3, 4, 5 }, new long[] { 0, 2, 3, 1 })]
    [InlineData(new[] { 1, 3, 4, 5 }, new long[] { 0, 1, 3, 2 })]
    [InlineData(new[] { 2, 3, 4 }, null)]
    [InlineData(new[] { 6, 5 }, new long[] { 1, 0 })]
    public void TransposePermutesTheAxes(int[] shape, long[]? perm)
    {
        int[] order = perm?.Select(a => (int)a).ToArray() ?? Enumerable.Range(0, shape.Length).Reverse().ToArray();
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", [.. shape.Select(d => (Dim)d)])
            .Node("Transpose", ["x"], ["y"], perm is null ? null : a => a.Ints("perm", perm))
            .Output("y", [.. order.Select(a => (Dim)shape[a])])
            .ToBytes();

        Assert.Equal(order, Assert.IsType<TransposeNode>(Assert.Single(AssertAgrees(model).Nodes)).Perm);
    }

    /// <summary>Slice: bounds past the axis and from its end, steps back and longer than one, default axes, a 3-D value, opset 1's attributes.</summary>
    [Theory]
    [InlineData(13, new[] { 1, 3, 4, 5 }, new long[] { 1, 0 }, new long[] { 3, 100 }, new long[] { 1, 3 }, null)]
    [InlineData(13, new[] { 1, 3, 4, 5 }, new long[] { -1, 3 }, new long[] { long.MinValue, 0 }, new long[] { 2, 3 }, new long[] { -2, -1 })]
    [InlineData(13, new[] { 2, 6 }, new long[] { 0, 5 }, new long[] { 2, 0 }, null, new long[] { 1, -2 })]
    [InlineData(10, new[] { 1, 4, 7 }, new long[] { 1 }, new long[] { 7 }, new long[] { -1 }, new long[] { 3 })]
    [InlineData(13, new[] { 1, 4, 7 }, new long[] { 2 }, new long[] { 3 }, new long[] { 2 }, new long[] { 9 })]
    [InlineData(1, new[] { 1, 3, 4, 5 }, new long[] { 0, 1 }, new long[] { 1, 3 }, new long[] { 0, 2 }, null)]
    public void SliceTakesTheStridedElements(int opset, int[] shape, long[] starts, long[] ends, long[]? axes, long[]? steps)
    {
        var builder = new OnnxModelBuilder(opset).Input("x", [.. shape.Select(d => (Dim)d)]);
        string[] inputs = ["x"];
        if (opset >= 10)
        {
            builder.Initializer("starts", [starts.Length], starts).Initializer("ends", [ends.Length], ends);
            inputs = ["x", "starts", "ends", axes is null ? "" : "axes", steps is null ? "" : "steps"];
            if (axes is not null)
            {
                builder.Initializer("axes", [axes.Length], axes);
            }

            if (steps is not null)
            {
                builder.Initializer("steps", [steps.Length], steps);
            }
        }

        byte[] model = builder
            .Node("Slice", inputs, ["y"], opset >= 10 ? null : a => a.Ints("starts", starts).Ints("ends", ends).Ints("axes", axes!))
            .Output("y", [.. shape.Select(_ => Dim.Unknown)])
            .ToBytes();

        Assert.IsType<SliceNode>(Assert.Single(AssertAgrees(model).Nodes));
    }

    /// <summary>Split: by sizes given as an input or (before opset 13) an attribute, in equal parts, and (opset 18) by num_outputs with a smaller last part.</summary>
    [Theory]
    [InlineData(13, new[] { 1, 6, 2, 3 }, 1, new long[] { 1, 2, 3 }, 3)]
    [InlineData(11, new[] { 1, 4, 6 }, 2, new long[] { 4, 2 }, 2)]
    [InlineData(13, new[] { 2, 6 }, -1, null, 3)]
    [InlineData(18, new[] { 1, 3, 5 }, 2, null, 2)]
    public void SplitIsOneSlicePerOutput(int opset, int[] shape, int axis, long[]? split, int parts)
    {
        var builder = new OnnxModelBuilder(opset).Input("x", [.. shape.Select(d => (Dim)d)]);
        bool splitInput = opset >= 13 && split is not null;
        if (splitInput)
        {
            builder.Initializer("split", [split!.Length], split);
        }

        string[] outputs = [.. Enumerable.Range(0, parts).Select(i => $"y{i}")];
        builder.Node("Split", splitInput ? ["x", "split"] : ["x"], outputs, a =>
        {
            a.Int("axis", axis);
            if (opset < 13 && split is not null)
            {
                a.Ints("split", split);
            }
            else if (opset >= 18)
            {
                a.Int("num_outputs", parts);
            }
        });
        foreach (string output in outputs)
        {
            builder.Output(output, [.. shape.Select(_ => Dim.Unknown)]);
        }

        Assert.All(AssertAgrees(builder.ToBytes()).Nodes, n => Assert.IsType<SliceNode>(n));
    }

    /// <summary>
    /// A vector of readings split and joined the other way round, a backwards slice of it added on: on the device too, where a
    /// rank-1 value's one axis is its channels (a concatenation along it used to go along the batch axis and fail to load).
    /// </summary>
    [Fact]
    public void AVectorSplitRotatedAndReversedRunsOnTheDevice()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 6)
            .Initializer("sizes", [2], new long[] { 2, 4 })
            .Initializer("last", [1], new long[] { -1 })
            .Initializer("before", [1], new long[] { long.MinValue })
            .Initializer("back", [1], new long[] { -1 })
            .Node("Split", ["x", "sizes"], ["a", "b"], a => a.Int("axis", 0))
            .Node("Concat", ["b", "a"], ["rotated"], a => a.Int("axis", 0))
            .Node("Slice", ["x", "last", "before", "", "back"], ["reversed"])
            .Node("Add", ["rotated", "reversed"], ["y"])
            .Output("y", 6)
            .ToBytes();

        ModelGraph graph = AssertAgrees(model);
        QuantizationResult q = Quantizer.Quantize(graph, QuantizerTests.Rows(graph, 300, 9), new QuantizeOptions { Task = ModelTask.Regression });
        Assert.True(Model.Load(q.Blob).SelfTest());
        Assert.All(Evaluator.PerLayerError(q, graph, QuantizerTests.Rows(graph, 100, 10)), l => Assert.True(l.SqnrDb >= 25, $"{l.Value}: {l.SqnrDb:F1} dB"));
    }

    [Theory]
    [InlineData("Slice", "takes no element of input [1, 3, 4, 5]: the device has no empty tensors")]
    [InlineData("Split", "does not split into 2 equal parts")]
    public void SliceAndSplitRefuseEmptyOrUnevenParts(string op, string message)
    {
        var builder = new OnnxModelBuilder(13).Input("x", 1, 3, 4, 5).Initializer("starts", [1], new long[] { 5 }).Initializer("ends", [1], new long[] { 9 });
        builder = op == "Slice"
            ? builder.Node("Slice", ["x", "starts", "ends"], ["y"]).Output("y", Dim.Unknown)
            : builder.Node("Split", ["x"], ["y0", "y1"], a => a.Int("axis", 1)).Output("y0", Dim.Unknown).Output("y1", Dim.Unknown);
        Assert.Contains(message, Assert.Throws<OnnxImportException>(() => OnnxImporter.Load(builder.ToBytes())).Message);
    }

    [Theory]
    [InlineData("reflect", new long[] { 0, 0, 1, 1, 0, 0, 1, 1 }, "mode 'reflect' is not supported")]
    [InlineData("constant", new long[] { 0, 0, -1, 0, 0, 0, 0, 0 }, "negative pads crop")]
    [InlineData("constant", new long[] { 0, 1 }, "must be 8 non-negative values")]
    public void PadRefusesWhatItDoesNotTake(string mode, long[] pads, string message)
    {
        byte[] model = new OnnxModelBuilder(13).Input("x", 1, 3, 4, 5).Initializer("pads", [pads.Length], pads)
            .Node("Pad", ["x", "pads"], ["y"], a => a.String("mode", mode)).Output("y", Dim.Unknown).ToBytes();
        Assert.Contains(message, Assert.Throws<OnnxImportException>(() => OnnxImporter.Load(model)).Message);
    }

    [Theory]
    [InlineData("Squeeze", 11, new long[] { 0, 2 }, new[] { 3, 5 })]
    [InlineData("Squeeze", 13, new long[] { -2 }, new[] { 1, 3, 5 })]
    [InlineData("Squeeze", 13, null, new[] { 3, 5 })]
    [InlineData("Unsqueeze", 11, new long[] { 0, 4 }, new[] { 1, 1, 3, 1, 1, 5 })]
    [InlineData("Unsqueeze", 13, new long[] { -1, 1 }, new[] { 1, 1, 3, 1, 5, 1 })]
    public void SqueezeAndUnsqueezeBecomeReshape(string op, int opset, long[]? axes, int[] expected)
    {
        var builder = new OnnxModelBuilder(opset).Input("x", 1, 3, 1, 5);
        if (opset >= 13 && axes is not null)
        {
            builder.Initializer("axes", [axes.Length], axes);
        }

        byte[] model = builder
            .Node(op, opset >= 13 && axes is not null ? ["x", "axes"] : ["x"], ["y"], opset < 13 ? a => a.Ints("axes", axes!) : null)
            .Output("y", [.. expected.Select(d => (Dim)d)])
            .ToBytes();

        Assert.Equal(expected, Assert.IsType<ReshapeNode>(Assert.Single(AssertAgrees(model).Nodes)).TargetShape);
    }

    [Theory]
    [InlineData(new long[] { 1 }, "axis 1 of input [1, 3, 1, 5] is 3, not 1")]
    [InlineData(new long[] { 2, -2 }, "name an axis twice")]
    [InlineData(new long[] { 4 }, "outside [-4, 3]")]
    public void SqueezeRefusesAxesItCannotRemove(long[] axes, string message)
    {
        byte[] model = new OnnxModelBuilder(11).Input("x", 1, 3, 1, 5)
            .Node("Squeeze", ["x"], ["y"], a => a.Ints("axes", axes)).Output("y", Dim.Unknown).ToBytes();
        Assert.Contains(message, Assert.Throws<OnnxImportException>(() => OnnxImporter.Load(model)).Message);
    }

    [Theory]
    [InlineData(0L, new[] { 1, 60 })]
    [InlineData(1L, new[] { 1, 60 })]
    [InlineData(2L, new[] { 3, 20 })]
    [InlineData(-1L, new[] { 12, 5 })]
    [InlineData(4L, new[] { 60, 1 })]
    public void FlattenBecomesReshape(long axis, int[] expected)
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 3, 4, 5)
            .Node("Flatten", ["x"], ["y"], a => a.Int("axis", axis))
            .Output("y", expected[0], expected[1])
            .ToBytes();

        Assert.Equal(expected, Assert.IsType<ReshapeNode>(Assert.Single(AssertAgrees(model).Nodes)).TargetShape);
    }

    [Theory]
    [InlineData(new long[] { 0, -1 }, new[] { 1, 24 })]
    [InlineData(new long[] { -1, 4 }, new[] { 6, 4 })]
    [InlineData(new long[] { 0, 0, 2, -1 }, new[] { 1, 2, 2, 6 })]
    [InlineData(new long[] { 1, 2, 3, 4 }, new[] { 1, 2, 3, 4 })]
    public void ReshapeResolvesZeroAndMinusOne(long[] requested, int[] expected)
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", "batch", 2, 3, 4)
            .Initializer("shape", [requested.Length], requested)
            .Node("Relu", ["x"], ["r"])
            .Node("Reshape", ["r", "shape"], ["y"])
            .Output("y", [.. expected.Select(_ => Dim.Unknown)])
            .ToBytes();

        Assert.Equal(expected, Assert.IsType<ReshapeNode>(AssertAgrees(model).Nodes[1]).TargetShape);
    }

    [Fact]
    public void ReshapeWithShapeFromAConstantNode()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 2, 3)
            .Node("Constant", [], ["shape"], a => a.Ints("value_ints", 3, -1))
            .Node("Reshape", ["x", "shape"], ["y"])
            .Output("y", 3, 2)
            .ToBytes();

        AssertAgrees(model);
    }

    [Theory]
    [InlineData("Add", new[] { 1, 3, 4, 5 }, new[] { 1, 3, 4, 5 })]
    [InlineData("Add", new[] { 1, 3, 4, 5 }, new[] { 3, 1, 5 })]
    [InlineData("Add", new[] { 1, 3, 1, 5 }, new[] { 1, 1, 4, 1 })]
    [InlineData("Mul", new[] { 1, 3, 4, 5 }, new[] { 5 })]
    [InlineData("Mul", new[] { 1, 6 }, new[] { 1, 6 })]
    public void TensorPlusOrTimesTensorBroadcasts(string op, int[] a, int[] b)
    {
        int[] outShape = Shapes.Broadcast(a, b);
        byte[] model = new OnnxModelBuilder(13)
            .Input("a", [.. a.Select(d => (Dim)d)])
            .Input("b", [.. b.Select(d => (Dim)d)])
            .Node(op, ["a", "b"], ["y"])
            .Output("y", [.. outShape.Select(d => (Dim)d)])
            .ToBytes();

        Assert.Equal(op, Assert.Single(AssertAgrees(model).Nodes).OpName);
    }

    [Theory]
    [InlineData("Add", false, new[] { 4 })]
    [InlineData("Sub", false, new[] { 3, 1, 1 })]
    [InlineData("Mul", true, new[] { 1, 4 })]
    [InlineData("Div", false, new int[0])]
    [InlineData("Sub", false, new[] { 2, 3, 4, 4 })]
    public void ArithmeticWithAConstant(string op, bool constantFirst, int[] constantShape)
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 3, 4, 4)
            .Initializer("k", constantShape, Positive(FloatTensor.ElementCount(constantShape), 29))
            .Node("Relu", ["x"], ["r"])
            .Node(op, constantFirst ? ["k", "r"] : ["r", "k"], ["y"])
            .Output("y", [.. Shapes.Broadcast([1, 3, 4, 4], constantShape).Select(d => (Dim)d)])
            .ToBytes();

        ElementwiseBinary node = Assert.IsAssignableFrom<ElementwiseBinary>(AssertAgrees(model).Nodes[1]);
        Assert.NotNull(node.Constant);
    }

    [Theory]
    [InlineData("Add", new[] { 4, 1, 1 })]
    [InlineData("Sub", new[] { 1, 4, 1, 1 })]
    [InlineData("Mul", new[] { 4, 1, 1 })]
    [InlineData("Div", new int[0])]
    public void PerChannelArithmeticAfterAConvFoldsIntoIt(string op, int[] constantShape)
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 2, 5, 5)
            .Initializer("W", [4, 2, 3, 3], Weights(72, 30))
            .Initializer("B", [4], Weights(4, 31))
            .Initializer("k", constantShape, Positive(FloatTensor.ElementCount(constantShape), 32))
            .Node("Conv", ["x", "W", "B"], ["c"])
            .Node(op, ["c", "k"], ["y"])
            .Output("y", 1, 4, 3, 3)
            .ToBytes();

        Assert.IsType<Conv2DNode>(Assert.Single(AssertAgrees(model).Nodes));
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(-1L)]
    [InlineData(0L)]
    public void Concat(long axis)
    {
        int[] a = axis == 0 ? [2, 3, 4] : axis == 1 ? [1, 2, 4] : [1, 3, 2];
        int[] output = axis == 0 ? [3, 3, 4] : axis == 1 ? [1, 5, 4] : [1, 3, 6];
        byte[] model = new OnnxModelBuilder(13)
            .Input("a", [.. a.Select(d => (Dim)d)])
            .Input("b", 1, 3, 4)
            .Node("Concat", ["a", "b"], ["y"], attrs => attrs.Int("axis", axis))
            .Output("y", [.. output.Select(d => (Dim)d)])
            .ToBytes();

        Assert.IsType<ConcatNode>(Assert.Single(AssertAgrees(model).Nodes));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(13)]
    public void IdentityAndDropoutVanish(int opset)
    {
        var builder = new OnnxModelBuilder(opset)
            .Input("x", 1, 6)
            .Initializer("W", [6, 3], Weights(18, 33))
            .Node("Identity", ["W"], ["W2"])
            .Node("Dropout", ["x"], ["d", "mask"], opset < 12 ? a => a.Float("ratio", 0.3f) : null)
            .Node("MatMul", ["d", "W2"], ["m"])
            .Node("Identity", ["m"], ["i"])
            .Node("Relu", ["i"], ["y"])
            .Output("y", 1, 3);
        Assert.Equal(["Dense", "Relu"], AssertAgrees(builder.ToBytes()).Nodes.Select(n => n.OpName));
    }

    [Fact]
    public void DropoutWithRatioAndFalseTrainingModeInputsVanishes()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 6)
            .Initializer("ratio", [], [0.5f])
            .Initializer("training", [], [false])
            .Node("Relu", ["x"], ["r"])
            .Node("Dropout", ["r", "ratio", "training"], ["y"], a => a.Int("seed", 7))
            .Output("y", 1, 6)
            .ToBytes();

        Assert.IsType<ReluNode>(Assert.Single(AssertAgrees(model).Nodes));
    }

    [Fact]
    public void IdentityWritingAGraphOutputKeepsTheOutputName()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 4)
            .Node("Relu", ["x"], ["r"])
            .Node("Identity", ["r"], ["y"])
            .Node("Identity", ["x"], ["z"])
            .Output("y", 1, 4)
            .Output("z", 1, 4)
            .ToBytes();

        ModelGraph graph = AssertAgrees(model);
        Assert.Equal(["y", "z"], graph.Outputs.Select(o => o.Name));
    }

    [Fact]
    public void SymbolicBatchDimensionIsResolvedToOneAndRecorded()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", "batch", 4)
            .Initializer("W", [3, 4], Weights(12, 34))
            .Node("Gemm", ["x", "W"], ["y"], a => a.Int("transB", 1))
            .Output("y", "batch", 3)
            .ToBytes();

        ModelGraph graph = AssertAgrees(model);
        Assert.Equal([1, 4], graph.Inputs[0].Shape);
        Assert.Equal([1, 3], graph.Outputs[0].Shape);
        Assert.Contains(new ResolvedDimension("x", 0, "batch", 1), graph.ResolvedDimensions);
        Assert.Contains(new ResolvedDimension("y", 0, "batch", 1), graph.ResolvedDimensions);
    }

    [Fact]
    public void UnknownBatchDimensionIsResolvedToOne()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", Dim.Unknown, 4)
            .Node("Relu", ["x"], ["y"])
            .Output("y", Dim.Unknown, 4)
            .ToBytes();

        ModelGraph graph = AssertAgrees(model);
        Assert.Contains(new ResolvedDimension("x", 0, null, 1), graph.ResolvedDimensions);
    }
}
