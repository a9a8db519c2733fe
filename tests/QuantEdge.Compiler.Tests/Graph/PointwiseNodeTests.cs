using QuantEdge.Compiler.Graph;

namespace QuantEdge.Compiler.Tests.Graph;

/// <summary>
/// A pointwise op states its function twice, in float32 for the float reference and in double for the
/// device's table (PointwiseNode); the two must be the same function.
/// </summary>
public class PointwiseNodeTests
{
    private static readonly PointwiseNode[] Every =
    [
        new ReluNode { Name = "n", Input = "x", Output = "y" },
        new ClipNode { Name = "n", Input = "x", Output = "y", Min = -0.5f, Max = 6 },
        new LeakyReluNode { Name = "n", Input = "x", Output = "y", Alpha = 0.1f },
        new SigmoidNode { Name = "n", Input = "x", Output = "y" },
        new TanhNode { Name = "n", Input = "x", Output = "y" },
        new NegNode { Name = "n", Input = "x", Output = "y" },
        new ExpNode { Name = "n", Input = "x", Output = "y" },
        new HardSigmoidNode { Name = "n", Input = "x", Output = "y", Alpha = 0.2f, Beta = 0.5f },
        new HardSwishNode { Name = "n", Input = "x", Output = "y" },
    ];

    [Fact]
    public void TheListHoldsEveryPointwiseOp()
    {
        var kinds = typeof(PointwiseNode).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(PointwiseNode)) && !t.IsAbstract);
        Assert.Equal(kinds.Select(t => t.Name).Order(), Every.Select(n => n.GetType().Name).Order());
    }

    [Fact]
    public void TheFloatReferenceAndTheTableComputeTheSameFunction()
    {
        foreach (PointwiseNode node in Every)
        {
            for (float x = -8; x <= 8; x += 0.0625f)
            {
                double table = node.Table(x);
                Assert.True(Math.Abs(node.Apply(x) - table) <= 1e-6 * Math.Max(1, Math.Abs(table)), $"{node.OpName}({x}): {node.Apply(x)} vs {table}");
            }
        }
    }

    [Fact]
    public void OnlyClampsCanBeTakenIntoALayersOutputStage()
    {
        Assert.Equal(["Clip", "Relu"], Every.Where(n => n.ClampRange is not null).Select(n => n.OpName).Order());
        Assert.All(Every.Where(n => n.ClampRange is (float min, float max)), n => Assert.Equal(n.ClampRange!.Value.Min, n.Apply(-1000)));
    }
}
