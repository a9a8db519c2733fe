using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;

namespace QuantEdge.Compiler.Tests.Onnx;

/// <summary>
/// Opsets 1–6 (PyTorch's old exports use opset 6): their legacy attributes are read with their
/// meaning, and the training-mode variants are refused. ONNX Runtime does not run opsets below 7,
/// so expected values are written out by hand.
/// </summary>
public class LegacyOpsetTests
{
    private static float[] Run(byte[] model, float[] input) => new FloatExecutor(OnnxImporter.Load(model)).Run(input);

    [Fact]
    public void BroadcastWithAnAxisAlignsBFromThatAxis()
    {
        // Opset 6: B [3] added to A [1, 3, 2] from axis 1 is a per-channel bias (numpy would align it with the last axis).
        byte[] model = new OnnxModelBuilder(6)
            .Input("x", 1, 3, 2)
            .Initializer("b", [3], [10f, 20f, 30f])
            .Node("Add", ["x", "b"], ["y"], a => a.Int("broadcast", 1).Int("axis", 1))
            .Output("y", 1, 3, 2)
            .ToBytes();

        Assert.Equal([11f, 12f, 23f, 24f, 35f, 36f], Run(model, [1, 2, 3, 4, 5, 6]));
    }

    [Fact]
    public void BroadcastWithoutTheFlagNeedsEqualShapes()
    {
        byte[] model = new OnnxModelBuilder(6)
            .Input("x", 1, 3)
            .Initializer("b", [1], [1f])
            .Node("Mul", ["x", "b"], ["y"])
            .Output("y", 1, 3)
            .ToBytes();

        Assert.Contains("broadcast is not set", Assert.Throws<OnnxImportException>(() => OnnxImporter.Load(model)).Message);
    }

    [Fact]
    public void TwoComputedOperandsBroadcastOnlyAsNumpyDoes()
    {
        byte[] model = new OnnxModelBuilder(6)
            .Input("x", 1, 3, 2)
            .Input("b", 3)
            .Node("Add", ["x", "b"], ["y"], a => a.Int("broadcast", 1).Int("axis", 1))
            .Output("y", 1, 3, 2)
            .ToBytes();

        Assert.Contains("supported for a constant B only", Assert.Throws<OnnxImportException>(() => OnnxImporter.Load(model)).Message);
    }

    [Fact]
    public void ReshapeFromOpset5TakesAShapeInput()
    {
        byte[] model = new OnnxModelBuilder(6)
            .Input("x", 1, 2, 3)
            .Node("Reshape", ["x"], ["y"], a => a.Ints("shape", 1, 6))
            .Output("y", 1, 6)
            .ToBytes();

        Assert.Contains("needs 2 input(s)", Assert.Throws<OnnxImportException>(() => OnnxImporter.Load(model)).Message);
    }

    [Fact]
    public void ReshapeBeforeOpset5TakesTheShapeAttribute()
    {
        byte[] model = new OnnxModelBuilder(4)
            .Input("x", 1, 2, 3)
            .Node("Reshape", ["x"], ["y"], a => a.Ints("shape", 1, 6))
            .Output("y", 1, 6)
            .ToBytes();

        Assert.Equal([1, 6], OnnxImporter.Load(model).ShapeOf("y"));
    }

    [Fact]
    public void ConsumedInputsIsIgnoredAndConcatDefaultsToAxis1BeforeOpset4()
    {
        byte[] model = new OnnxModelBuilder(3)
            .Input("x", 1, 2)
            .Node("Relu", ["x"], ["r"], a => a.Ints("consumed_inputs", 0))
            .Node("Concat", ["r", "x"], ["y"])
            .Output("y", 1, 4)
            .ToBytes();

        Assert.Equal([0f, 2f, -1f, 2f], Run(model, [-1, 2]));
    }

    [Theory]
    [InlineData("BatchNormalization")]
    [InlineData("Dropout")]
    public void TrainingModeIsRefusedAndTestModeAccepted(string op)
    {
        byte[] Model(int isTest)
        {
            var builder = new OnnxModelBuilder(6).Input("x", 1, 2, 1, 1);
            string[] inputs = ["x"];
            if (op == "BatchNormalization")
            {
                foreach (string p in new[] { "scale", "B", "mean", "var" })
                {
                    builder.Initializer(p, [2], [1f, 1f]);
                }

                inputs = ["x", "scale", "B", "mean", "var"];
            }

            return builder.Node(op, inputs, ["y"], a => a.Int("is_test", isTest)).Output("y", 1, 2, 1, 1).ToBytes();
        }

        Assert.Contains("is_test=0 (training mode)", Assert.Throws<OnnxImportException>(() => OnnxImporter.Load(Model(0))).Message);
        ModelGraph graph = OnnxImporter.Load(Model(1));
        Assert.Equal([1, 2, 1, 1], graph.ShapeOf("y"));
    }
}
