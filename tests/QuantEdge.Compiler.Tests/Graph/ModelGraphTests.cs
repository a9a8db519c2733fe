using QuantEdge.Compiler.Graph;

namespace QuantEdge.Compiler.Tests.Graph;

/// <summary>The graph checks itself when built: an existing ModelGraph is consistent.</summary>
public class ModelGraphTests
{
    private static readonly GraphValue Input = new("x", [1, 4]);

    private static ReluNode Relu(string input, string output, int[] shape) => new() { Name = output, Input = input, Output = output, OutputShape = shape };

    [Fact]
    public void ShapesProducersAndConsumersAreIndexed()
    {
        ReluNode a = Relu("x", "a", [1, 4]);
        ReluNode b = Relu("a", "b", [1, 4]);
        var add = new AddNode { Name = "sum", Input = "a", Other = "b", Output = "y", OutputShape = [1, 4] };
        var graph = new ModelGraph([Input], [new GraphValue("y", [1, 4])], [a, b, add]);

        Assert.Equal([1, 4], graph.ShapeOf("b"));
        Assert.Same(b, graph.ProducerOf("b"));
        Assert.Null(graph.ProducerOf("x"));
        Assert.Equal([b, add], graph.ConsumersOf("a"));
        Assert.Equal(["a", "b", "x", "y"], graph.ValueShapes.Keys.Order());
    }

    [Fact]
    public void ValueUsedBeforeItIsProducedIsRefused()
    {
        string message = Assert.Throws<InvalidGraphException>(() =>
            new ModelGraph([Input], [new GraphValue("b", [1, 4])], [Relu("a", "b", [1, 4]), Relu("x", "a", [1, 4])])).Message;
        Assert.Contains("input 'a' is not a graph input nor produced by an earlier node", message);
    }

    [Fact]
    public void WrongOutputShapeIsRefused()
    {
        string message = Assert.Throws<InvalidGraphException>(() =>
            new ModelGraph([Input], [new GraphValue("y", [1, 5])], [Relu("x", "y", [1, 5])])).Message;
        Assert.Contains("output shape should be [1, 4]", message);
    }

    [Fact]
    public void ValueDefinedTwiceIsRefused()
    {
        Assert.Contains("defined twice", Assert.Throws<InvalidGraphException>(() =>
            new ModelGraph([Input], [new GraphValue("y", [1, 4])], [Relu("x", "y", [1, 4]), Relu("x", "y", [1, 4])])).Message);
    }

    [Fact]
    public void OutputNeverProducedOrOfAnotherShapeIsRefused()
    {
        Assert.Contains("never produced", Assert.Throws<InvalidGraphException>(() =>
            new ModelGraph([Input], [new GraphValue("z", [1, 4])], [Relu("x", "y", [1, 4])])).Message);
        Assert.Contains("declared [4, 1]", Assert.Throws<InvalidGraphException>(() =>
            new ModelGraph([Input], [new GraphValue("y", [4, 1])], [Relu("x", "y", [1, 4])])).Message);
        Assert.Contains("listed twice", Assert.Throws<InvalidGraphException>(() =>
            new ModelGraph([Input], [new GraphValue("y", [1, 4]), new GraphValue("y", [1, 4])], [Relu("x", "y", [1, 4])])).Message);
    }

    [Fact]
    public void Conv2DShapeInferenceCoversGroupsPadsStridesAndDilations()
    {
        var conv = new Conv2DNode
        {
            Name = "c",
            Input = "x",
            Output = "y",
            Weights = FloatTensor.Zeros(6, 2, 3, 3),
            Bias = new float[6],
            Strides = new Size2D(2, 1),
            Pads = new Padding2D(1, 0, 2, 1),
            Dilations = new Size2D(1, 2),
            Group = 3,
        };

        // H: (10 + 1 + 2 − 3) / 2 + 1 = 6; W: (9 + 0 + 1 − (2 × 2 + 1)) / 1 + 1 = 6.
        Assert.Equal([1, 6, 6, 6], conv.InferOutputShape([[1, 6, 10, 9]]));
        Assert.Throws<InvalidGraphException>(() => conv.InferOutputShape([[1, 4, 10, 9]]));
    }

    [Fact]
    public void BroadcastFollowsNumpyRules()
    {
        Assert.Equal([2, 3, 4], Shapes.Broadcast([3, 1], [2, 1, 4]));
        Assert.Equal([5], Shapes.Broadcast([], [5]));
        Assert.Throws<InvalidGraphException>(() => Shapes.Broadcast([3], [4]));
    }
}
