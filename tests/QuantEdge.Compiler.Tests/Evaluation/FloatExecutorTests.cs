using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;

namespace QuantEdge.Compiler.Tests.Evaluation;

/// <summary>The executor on hand-built graphs with hand-computed results, and its API contract.</summary>
public class FloatExecutorTests
{
    /// <summary>x [1, 2] → Dense(W = [[1, 2], [3, 4], [-1, 0]], b = [0.5, 0, 1]) → Relu.</summary>
    private static ModelGraph DenseRelu()
    {
        var shapes = new ModelGraphBuilder(("x", [1, 2]));
        Node dense = shapes.Add(new DenseNode
        {
            Name = "fc",
            Input = "x",
            Output = "h",
            Weights = new FloatTensor([3, 2], [1, 2, 3, 4, -1, 0]),
            Bias = [0.5f, 0, 1],
        });
        Node relu = shapes.Add(new ReluNode { Name = "act", Input = "h", Output = "y" });
        return new ModelGraph([new GraphValue("x", [1, 2])], [new GraphValue("y", [1, 3])], [dense, relu]);
    }

    [Fact]
    public void DenseThenRelu()
    {
        // h = [1·1 + 2·(−2) + 0.5, 3·1 + 4·(−2), −1·1 + 1] = [−2.5, −5, 0] → relu [0, 0, 0]; with x = [3, 1]: [5.5, 13, −2] → [5.5, 13, 0].
        var executor = new FloatExecutor(DenseRelu());
        Assert.Equal([0f, 0f, 0f], executor.Run([1f, -2f]));
        Assert.Equal([5.5f, 13f, 0f], executor.Run([3f, 1f]));
    }

    [Fact]
    public void ObserverSeesEveryValueOnceInGraphOrder()
    {
        var seen = new List<(string Name, int[] Shape, float[] Values)>();
        new FloatExecutor(DenseRelu()).Run([3f, 1f], (name, shape, values) => seen.Add((name, shape, values.ToArray())));

        Assert.Equal(["x", "h", "y"], seen.Select(s => s.Name));
        Assert.Equal([3f, 1f], seen[0].Values);
        Assert.Equal([5.5f, 13f, -2f], seen[1].Values);
        Assert.Equal([1, 3], seen[2].Shape);
    }

    [Fact]
    public void CaptureAllReturnsEveryValue()
    {
        IReadOnlyDictionary<string, float[]> values = new FloatExecutor(DenseRelu()).CaptureAll(new Dictionary<string, float[]> { ["x"] = [3f, 1f] });
        Assert.Equal(["h", "x", "y"], values.Keys.Order());
        Assert.Equal([5.5f, 13f, -2f], values["h"]);
    }

    [Fact]
    public void ReturnedOutputsAreNotOverwrittenByTheNextRun()
    {
        var executor = new FloatExecutor(DenseRelu());
        float[] first = executor.Run([3f, 1f]);
        executor.Run([-3f, -1f]);
        Assert.Equal([5.5f, 13f, 0f], first);
    }

    [Fact]
    public void RunBatchRunsEachRow()
    {
        float[][] outputs = new FloatExecutor(DenseRelu()).RunBatch([[1f, -2f], [3f, 1f]]);
        Assert.Equal([0f, 0f, 0f], outputs[0]);
        Assert.Equal([5.5f, 13f, 0f], outputs[1]);
    }

    [Fact]
    public void InputsOfTheWrongLengthOrMissingAreRefused()
    {
        var executor = new FloatExecutor(DenseRelu());
        Assert.Contains("needs 2 values, got 3", Assert.Throws<ArgumentException>(() => executor.Run([1f, 2f, 3f])).Message);
        Assert.Contains("No value given for graph input 'x'", Assert.Throws<ArgumentException>(() => executor.Run(new Dictionary<string, float[]>())).Message);
    }

    [Fact]
    public void PaddedStridedConvolution()
    {
        // 3×3 input 1..9, 2×2 kernel of ones, pads 1 on top/left only, stride 2: windows anchored at
        // (−1, −1), (−1, 1), (1, −1), (1, 1) sum to 1, 2+3, 4+7, 5+6+8+9.
        var shapes = new ModelGraphBuilder(("x", [1, 1, 3, 3]));
        Node conv = shapes.Add(new Conv2DNode
        {
            Name = "conv",
            Input = "x",
            Output = "y",
            Weights = new FloatTensor([1, 1, 2, 2], [1, 1, 1, 1]),
            Bias = [0],
            Strides = new Size2D(2, 2),
            Pads = new Padding2D(1, 1, 0, 0),
            Dilations = new Size2D(1, 1),
            Group = 1,
        });
        var graph = new ModelGraph([new GraphValue("x", [1, 1, 3, 3])], [new GraphValue("y", [1, 1, 2, 2])], [conv]);

        Assert.Equal([1f, 5f, 11f, 28f], new FloatExecutor(graph).Run([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    }

    [Fact]
    public void AveragePoolDivisorWithAndWithoutPadding()
    {
        // 2×2 input [[1, 2], [3, 4]], 2×2 window, pad 1 on top/left, stride 2: the one window covers
        // three pad cells and the value 1, so the mean is 1/4 counting pads and 1/1 without.
        foreach ((bool countPads, float expected) in new[] { (true, 0.25f), (false, 1f) })
        {
            var shapes = new ModelGraphBuilder(("x", [1, 1, 2, 2]));
            Node pool = shapes.Add(new AveragePoolNode
            {
                Name = "pool",
                Input = "x",
                Output = "y",
                Kernel = new Size2D(2, 2),
                Strides = new Size2D(2, 2),
                Pads = new Padding2D(1, 1, 0, 0),
                CountIncludePad = countPads,
            });
            var graph = new ModelGraph([new GraphValue("x", [1, 1, 2, 2])], [new GraphValue("y", [1, 1, 1, 1])], [pool]);
            Assert.Equal([expected], new FloatExecutor(graph).Run([1, 2, 3, 4]));
        }
    }
}

/// <summary>Tracks value shapes while a test assembles nodes, so each node gets its inferred shape.</summary>
internal sealed class ModelGraphBuilder((string Name, int[] Shape) input)
{
    private readonly Dictionary<string, int[]> shapes = new() { [input.Name] = input.Shape };

    public int[] ShapeOf(string name) => shapes[name];

    public Node Add(Node node)
    {
        Node shaped = node.WithInferredShape(ShapeOf);
        shapes[shaped.Output] = shaped.OutputShape;
        return shaped;
    }
}
