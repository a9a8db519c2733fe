namespace QuantEdge.Conformance.Tests;

/// <summary>The ratchet itself: a drop is a regression, any other change asks for the baseline to be updated.</summary>
public class BaselinesTests
{
    private static readonly string Baseline = Baselines.NodeText([new OperatorRow("Conv", "float", 6, 5, 0, 1, 0)]);

    [Theory]
    [InlineData(5, 0, 1, 0, 0)] // unchanged
    [InlineData(4, 1, 1, 1, 0)] // a case now fails
    [InlineData(6, 0, 0, 0, 1)] // the unsupported variant now passes
    [InlineData(5, 1, 0, 0, 1)] // a refusal became a failure: same passes, still reported
    public void PassCountsRatchet(int passed, int failed, int unsupported, int regressions, int changes)
    {
        (List<string> r, List<string> c) = Baselines.CompareNode(Baseline, [new OperatorRow("Conv", "float", 6, passed, failed, unsupported, 0)]);
        Assert.Equal((regressions, changes), (r.Count, c.Count));
    }

    [Fact]
    public void AnOperatorThatVanishesRegressesOneThatAppearsIsAChange()
    {
        (List<string> r, List<string> c) = Baselines.CompareNode(Baseline, [new OperatorRow("Relu", "float", 1, 1, 0, 0, 0)]);
        Assert.Equal(["Conv: 5 of 6 cases passed, now none run"], r);
        Assert.Equal(["Relu: newly supported, 1 of 1 cases pass"], c);
    }
}
