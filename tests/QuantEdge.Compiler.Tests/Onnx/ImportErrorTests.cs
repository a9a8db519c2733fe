using Google.Protobuf;
using QuantEdge.Compiler.Onnx;

namespace QuantEdge.Compiler.Tests.Onnx;

/// <summary>Models the importer must refuse, each with a message that says where and why.</summary>
public class ImportErrorTests
{
    private static OnnxImportException Refuses(byte[] model) => Assert.Throws<OnnxImportException>(() => OnnxImporter.Load(model));

    private static byte[] SmallModel() => new OnnxModelBuilder(13)
        .Input("x", "N", 4)
        .Initializer("W", [3, 4], [.. Enumerable.Range(0, 12).Select(i => i * 0.1f)])
        .Node("Gemm", ["x", "W"], ["h"], a => a.Int("transB", 1))
        .Node("Relu", ["h"], ["y"])
        .Output("y", "N", 3)
        .ToBytes();

    [Fact]
    public void UnsupportedOpNamesTheNodeItsOpTypeAndTheSupportedOps()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 4, 3)
            .Node("Relu", ["x"], ["r"])
            .Node("Floor", ["r"], ["y"], name: "round_down")
            .Output("y", 1, 4, 3)
            .ToBytes();

        string message = Refuses(model).Message;
        Assert.Contains("Node 1 'round_down' (Floor)", message);
        Assert.Contains("op type 'Floor' is not supported", message);
        Assert.Contains("Supported ops", message);
        foreach (string op in OnnxImporter.SupportedOps)
        {
            Assert.Contains(op, message);
        }
    }

    [Fact]
    public void OpOfAnotherDomainIsUnsupported()
    {
        byte[] model = new OnnxModelBuilder(13)
            .ImportOpset("com.example", 1)
            .Input("x", 1, 4)
            .Node("Relu", ["x"], ["y"], domain: "com.example", name: "custom")
            .Output("y", 1, 4)
            .ToBytes();

        Assert.Contains("Node 0 'custom' (Relu): op 'Relu' of domain 'com.example' is not supported", Refuses(model).Message);
    }

    [Fact]
    public void UnsupportedAttributeIsNamedWithTheSupportedOnes()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 2, 5, 5)
            .Initializer("W", [2, 2, 3, 3], new float[36])
            .Node("Conv", ["x", "W"], ["y"], a => a.Int("fancy_mode", 1), name: "conv")
            .Output("y", 1, 2, 3, 3)
            .ToBytes();

        string message = Refuses(model).Message;
        Assert.Contains("Node 0 'conv' (Conv)", message);
        Assert.Contains("'fancy_mode' not supported", message);
        Assert.Contains("dilations", message);
        Assert.Contains("group", message);
    }

    [Fact]
    public void EveryTruncationOfAModelIsRefusedCleanly()
    {
        byte[] model = SmallModel();
        for (int length = 1; length < model.Length; length++)
        {
            OnnxImportException e = Refuses(model[..length]);
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        }

        Assert.Contains("truncated", Refuses(model[..(model.Length / 2)]).Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void GarbageBytesAreRefusedCleanly(int seed)
    {
        var bytes = new byte[64 + seed * 37];
        new Random(seed).NextBytes(bytes);
        Refuses(bytes);
    }

    [Fact]
    public void CorruptedBytesEitherLoadOrAreRefusedCleanly()
    {
        byte[] model = SmallModel();
        var random = new Random(11);
        for (int trial = 0; trial < 2000; trial++)
        {
            byte[] corrupted = (byte[])model.Clone();
            corrupted[random.Next(corrupted.Length)] ^= (byte)(1 << random.Next(8));
            try
            {
                OnnxImporter.Load(corrupted);
            }
            catch (OnnxImportException)
            {
            }
        }
    }

    [Fact]
    public void TextAndEmptyInputsAreRefused()
    {
        Refuses("this is not an ONNX model"u8.ToArray());
        Assert.Contains("empty", Refuses([]).Message);
    }

    [Fact]
    public void MissingFileIsAnImportError()
    {
        string path = Path.Combine(Path.GetTempPath(), $"quantedge-missing-{Guid.NewGuid():N}.onnx");
        Assert.Contains(path, Assert.Throws<OnnxImportException>(() => OnnxImporter.Load(path)).Message);
    }

    [Fact]
    public void WeightsThatDoNotFitTheInputAreInconsistentShapes()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 4)
            .Initializer("W", [3, 5], new float[15])
            .Node("Gemm", ["x", "W"], ["y"], a => a.Int("transB", 1), name: "fc")
            .Output("y", 1, 3)
            .ToBytes();

        string message = Refuses(model).Message;
        Assert.Contains("Node 0 'fc' (Gemm)", message);
        Assert.Contains("inconsistent shapes", message);
        Assert.Contains("[1, 4]", message);
    }

    [Fact]
    public void OperandsThatDoNotBroadcastAreInconsistentShapes()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("a", 1, 3)
            .Input("b", 1, 4)
            .Node("Add", ["a", "b"], ["y"])
            .Output("y", 1, 4)
            .ToBytes();

        Assert.Contains("inconsistent shapes: Shapes [1, 3] and [1, 4] do not broadcast", Refuses(model).Message);
    }

    [Fact]
    public void ConcatOfMismatchedShapesIsInconsistent()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("a", 1, 3, 2)
            .Input("b", 1, 4, 3)
            .Node("Concat", ["a", "b"], ["y"], a => a.Int("axis", 1))
            .Output("y", 1, 7, 2)
            .ToBytes();

        Assert.Contains("inconsistent shapes", Refuses(model).Message);
    }

    [Fact]
    public void ConvWithTooFewInputChannelsIsInconsistent()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 3, 5, 5)
            .Initializer("W", [2, 2, 3, 3], new float[36])
            .Node("Conv", ["x", "W"], ["y"])
            .Output("y", 1, 2, 3, 3)
            .ToBytes();

        Assert.Contains("inconsistent shapes", Refuses(model).Message);
    }

    [Fact]
    public void ReshapeToAnotherElementCountIsInconsistent()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 6)
            .Initializer("shape", [2], [4L, 2L])
            .Node("Reshape", ["x", "shape"], ["y"])
            .Output("y", 4, 2)
            .ToBytes();

        Assert.Contains("inconsistent shapes", Refuses(model).Message);
    }

    [Fact]
    public void ReshapeToAnEmptyTensorIsRefusedAsUnsupported()
    {
        byte[] model = new OnnxModelBuilder(14)
            .Input("x", 1, 6)
            .Initializer("shape", [3], [6L, 0L, 1L])
            .Node("Reshape", ["x", "shape"], ["y"], a => a.Int("allowzero", 1))
            .Output("y", 6, 0, 1)
            .ToBytes();

        Assert.Contains("shape entry 1 is 0 with allowzero=1", Refuses(model).Message);
    }

    [Fact]
    public void DeclaredOutputShapeThatDisagreesWithInferenceIsRefused()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 6)
            .Node("Relu", ["x"], ["y"])
            .Output("y", 1, 7)
            .ToBytes();

        Assert.Contains("Graph output 'y' is declared [1, 7] but computes as [1, 6]", Refuses(model).Message);
    }

    [Fact]
    public void DeclaredIntermediateShapeThatDisagreesIsRefused()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 6)
            .Node("Relu", ["x"], ["r"])
            .ValueInfo("r", 1, 5)
            .Node("Sigmoid", ["r"], ["y"])
            .Output("y", 1, 6)
            .ToBytes();

        Assert.Contains("Value 'r' is declared [1, 5]", Refuses(model).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(22)]
    public void OpsetOutsideTheSupportedRangeIsRefused(int opset)
    {
        byte[] model = new OnnxModelBuilder(opset).Input("x", 1, 2).Node("Relu", ["x"], ["y"]).Output("y", 1, 2).ToBytes();
        Assert.Contains($"opset {opset}; this importer supports opsets 1 to 21", Refuses(model).Message);
    }

    [Fact]
    public void OpenDimensionOtherThanTheBatchIsRefused()
    {
        byte[] model = new OnnxModelBuilder(13).Input("x", "N", "features").Node("Relu", ["x"], ["y"]).Output("y", "N", "features").ToBytes();
        Assert.Contains("Graph input 'x': dimension 1 is symbolic ('features')", Refuses(model).Message);
    }

    [Fact]
    public void NonFloatInputIsRefused()
    {
        byte[] model = new OnnxModelBuilder(13).Input("x", OnnxElementType.Int64, 1, 2).Node("Relu", ["x"], ["y"]).Output("y", OnnxElementType.Int64, 1, 2).ToBytes();
        Assert.Contains("only float32 graph inputs and outputs", Refuses(model).Message);
    }

    [Fact]
    public void InputWithoutShapeIsRefused()
    {
        var model = global::Onnx.ModelProto.Parser.ParseFrom(
            new OnnxModelBuilder(13).Input("x", 1, 2).Node("Relu", ["x"], ["y"]).Output("y", 1, 2).ToBytes());
        model.Graph.Input[0].Type.TensorType.Shape = null;

        Assert.Contains("Graph input 'x' has no shape", Refuses(model.ToByteArray()).Message);
    }

    [Fact]
    public void TrainingModeDropoutIsRefused()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 4)
            .Initializer("training", [], [true])
            .Node("Dropout", ["x", "", "training"], ["y"])
            .Output("y", 1, 4)
            .ToBytes();

        Assert.Contains("only inference-mode Dropout", Refuses(model).Message);
    }

    [Fact]
    public void DropoutWhoseMaskIsUsedIsRefused()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 4)
            .Node("Dropout", ["x"], ["d", "mask"])
            .Output("d", 1, 4)
            .Output("mask", OnnxElementType.Bool, 1, 4)
            .ToBytes();

        Assert.Contains("mask output 'mask' is used", Refuses(model).Message);
    }

    [Fact]
    public void TrainingModeBatchNormalizationIsRefused()
    {
        byte[] model = new OnnxModelBuilder(15)
            .Input("x", 1, 2)
            .Initializer("p", [2], [1f, 1f])
            .Node("BatchNormalization", ["x", "p", "p", "p", "p"], ["y"], a => a.Int("training_mode", 1))
            .Output("y", 1, 2)
            .ToBytes();

        Assert.Contains("training_mode=1 is not supported", Refuses(model).Message);
    }

    [Fact]
    public void GemmWithTransposedActivationIsRefused()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 4, 1)
            .Initializer("W", [4, 3], new float[12])
            .Node("Gemm", ["x", "W"], ["y"], a => a.Int("transA", 1))
            .Output("y", 1, 3)
            .ToBytes();

        Assert.Contains("transA=1", Refuses(model).Message);
    }

    [Fact]
    public void MatMulOfTwoComputedValuesIsRefused()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("a", 1, 4)
            .Input("b", 4, 3)
            .Node("MatMul", ["a", "b"], ["y"])
            .Output("y", 1, 3)
            .ToBytes();

        Assert.Contains("input 1 ('b', B (weights)) must be a constant", Refuses(model).Message);
    }

    [Fact]
    public void ConstantMinusValueIsRefused()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 4)
            .Initializer("k", [], [1f])
            .Node("Sub", ["k", "x"], ["y"])
            .Output("y", 1, 4)
            .ToBytes();

        Assert.Contains("a constant minus a computed value is not supported", Refuses(model).Message);
    }

    [Fact]
    public void AverageCeilModeCountingPadsIsRefusedWhenItAddsWindows()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 1, 5, 5)
            .Node("AveragePool", ["x"], ["y"], a => a.Ints("kernel_shape", 2, 2).Ints("strides", 2, 2).Int("ceil_mode", 1).Int("count_include_pad", 1))
            .Output("y", 1, 1, 3, 3)
            .ToBytes();

        Assert.Contains("ceil_mode=1 together with count_include_pad=1", Refuses(model).Message);
    }

    [Fact]
    public void UndefinedInputIsNamed()
    {
        byte[] model = new OnnxModelBuilder(13)
            .Input("x", 1, 4)
            .Node("Add", ["x", "ghost"], ["y"])
            .Output("y", 1, 4)
            .ToBytes();

        Assert.Contains("input 1 ('ghost') is not a graph input, initializer or output of an earlier node", Refuses(model).Message);
    }
}
