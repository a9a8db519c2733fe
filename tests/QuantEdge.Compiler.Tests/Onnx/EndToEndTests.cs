using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using static QuantEdge.Compiler.Tests.OnnxReference;

namespace QuantEdge.Compiler.Tests.Onnx;

/// <summary>Whole small models with an open batch dimension, one example and a batch, against ONNX Runtime.</summary>
public class EndToEndTests
{
    [Fact]
    public void MlpAgreesWithOnnxRuntime()
    {
        ModelGraph graph = AssertAgrees(TestOnnxModels.Mlp());
        Assert.Equal(["Dense", "Relu", "Dense", "Relu", "Dense", "Softmax"], graph.Nodes.Select(n => n.OpName));
    }

    [Fact]
    public void CnnAgreesWithOnnxRuntime()
    {
        ModelGraph graph = AssertAgrees(TestOnnxModels.Cnn());
        Assert.Equal(
            ["Conv2D", "Relu", "MaxPool", "Conv2D", "Clip", "Conv2D", "GlobalAveragePool", "Reshape", "Dense", "Softmax"],
            graph.Nodes.Select(n => n.OpName));
        Assert.Equal([1, 16, 4, 4], graph.ShapeOf("dw"));
    }

    [Theory]
    [InlineData("mlp", 5)]
    [InlineData("cnn", 3)]
    public void BatchRunMatchesOnnxRuntimeOnTheSameBatch(string which, int batch)
    {
        byte[] model = which == "mlp" ? TestOnnxModels.Mlp() : TestOnnxModels.Cnn();
        ModelGraph graph = OnnxImporter.Load(model);
        int[] rowShape = graph.Inputs[0].Shape;
        int rowLength = FloatTensor.ElementCount(rowShape);
        float[][] rows = Enumerable.Range(0, batch).Select(i => Random(new Random(100 + i), rowLength)).ToArray();

        int[] batchShape = [batch, .. rowShape[1..]];
        float[] expected = RunOrt(model, new Dictionary<string, (int[], float[])> { [graph.Inputs[0].Name] = (batchShape, rows.SelectMany(r => r).ToArray()) })
            .Values.Single();
        float[][] actual = new FloatExecutor(graph).RunBatch(rows);

        AssertClose($"{which} batch of {batch}", expected, actual.SelectMany(r => r).ToArray());
    }
}
