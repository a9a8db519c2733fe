using QuantEdge.Node.Outputs;

namespace QuantEdge.Node.Tests;

public class DecisionTests
{
    [Fact]
    public void WithHysteresisOneTheFirstPredictionDecides()
    {
        var h = new Hysteresis(1);
        Assert.True(h.Update(2));
        Assert.Equal(2, h.Stable);
        Assert.False(h.Update(2));
        Assert.True(h.Update(0));
        Assert.Equal(0, h.Stable);
    }

    [Fact]
    public void AClassMustWinKConsecutiveTimes()
    {
        var h = new Hysteresis(3);
        int[] predictions = [1, 1, 2, 1, 1, 1, 2, 2, 1, 2, 2, 2];
        int[] stableAfter = [-1, -1, -1, -1, -1, 1, 1, 1, 1, 1, 1, 2];
        for (int i = 0; i < predictions.Length; i++)
        {
            h.Update(predictions[i]);
            Assert.True(stableAfter[i] == h.Stable, $"after prediction {i}: stable {h.Stable}, expected {stableAfter[i]}");
        }

        Assert.Equal((-1, 0), (h.Candidate, h.Count));
    }

    [Fact]
    public void TheStableClassWinningAgainClearsTheCandidate()
    {
        var h = new Hysteresis(2);
        h.Update(0);
        h.Update(0);
        Assert.False(h.Update(1));
        Assert.Equal((1, 1), (h.Candidate, h.Count));
        Assert.False(h.Update(0));
        Assert.Equal((0, -1, 0), (h.Stable, h.Candidate, h.Count));
    }

    [Theory]
    [InlineData(-128, 0)]
    [InlineData(-1, 496)]
    [InlineData(0, 500)]
    [InlineData(127, 996)]
    public void PwmDutyIsTheSoftmaxProbabilityInPermille(int q, int permille)
    {
        Assert.Equal(permille, OutputDriver.DutyPermille(q));
    }

    [Fact]
    public void StateSurvivesARoundTripAndRejectsAnotherConfigurationOrCorruption()
    {
        var h = new Hysteresis(3) { Stable = 2, Candidate = 1, Count = 2 };
        byte[] state = NodeState.Encode(h, configCrc: 1234);

        var restored = new Hysteresis(3);
        Assert.True(NodeState.TryDecode(state, 1234, classes: 3, restored));
        Assert.Equal((2, 1, 2), (restored.Stable, restored.Candidate, restored.Count));

        var untouched = new Hysteresis(3);
        Assert.False(NodeState.TryDecode(state, 999, 3, untouched));
        Assert.False(NodeState.TryDecode(state, 1234, classes: 2, untouched));
        Assert.False(NodeState.TryDecode(null!, 1234, 3, untouched));
        Assert.False(NodeState.TryDecode(state[..20], 1234, 3, untouched));
        for (int i = 0; i < state.Length; i++)
        {
            byte[] flipped = (byte[])state.Clone();
            flipped[i] ^= 0x10;
            Assert.False(NodeState.TryDecode(flipped, 1234, 3, untouched));
        }

        Assert.Equal((-1, -1, 0), (untouched.Stable, untouched.Candidate, untouched.Count));
    }
}
