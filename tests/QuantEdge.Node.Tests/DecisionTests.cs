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
    [InlineData(-100, -100, 20, 0)]
    [InlineData(-40, -100, 20, 500)]
    [InlineData(19, -100, 20, 991)]
    [InlineData(20, -100, 20, 1000)]
    [InlineData(127, -100, 20, 1000)]
    [InlineData(-128, -100, 20, 0)]
    [InlineData(0, 100, -100, 500)] // high below low inverts the map
    [InlineData(100, 100, -100, 0)]
    public void AValuePwmMapsItsRangeOntoTheDutyAndClamps(int q, int low, int high, int permille)
    {
        Assert.Equal(permille, OutputDriver.MappedPermille(q, low, high));
    }

    [Fact]
    public void AThresholdOutputTurnsOnAtOnAndOffAtOffAndHoldsBetween()
    {
        var pins = new RecordingPins();
        var driver = new OutputDriver([new Config.OutputConfig { Kind = Config.NodeFormat.OutputThreshold, Output = 0, Gpio = 25, OnCode = 40, OffCode = 10 }],
            new Hardware.NodeHardware { Pins = pins });
        int[] values = [0, 39, 40, 30, 11, 10, 25, 127, -128];
        bool[] on = [false, false, true, true, true, false, false, true, false];
        bool[] changed = [false, false, true, false, false, true, false, true, true];
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(changed[i], driver.ShowOutputs([(sbyte)values[i]]));
            Assert.Equal(on[i], driver.ThresholdsOn == 1);
            if (changed[i])
            {
                Assert.Equal(on[i], pins.Level);
            }
        }
    }

    private sealed class RecordingPins : Hardware.IDigitalPins
    {
        public bool Level;

        public void OpenInput(int gpio, int pull)
        {
        }

        public void OpenOutput(int gpio)
        {
        }

        public bool Read(int gpio) => Level;

        public void Write(int gpio, bool high) => Level = high;
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
        byte[] state = NodeState.Encode(h, thresholdsOn: 0b101, configCrc: 1234);

        var restored = new Hysteresis(3);
        int thresholds = 0;
        Assert.True(NodeState.TryDecode(state, 1234, classes: 3, restored, ref thresholds));
        Assert.Equal((2, 1, 2, 0b101), (restored.Stable, restored.Candidate, restored.Count, thresholds));

        var untouched = new Hysteresis(3);
        int none = 0;
        Assert.False(NodeState.TryDecode(state, 999, 3, untouched, ref none));
        Assert.False(NodeState.TryDecode(state, 1234, classes: 2, untouched, ref none));
        Assert.False(NodeState.TryDecode(null!, 1234, 3, untouched, ref none));
        Assert.False(NodeState.TryDecode(state[..24], 1234, 3, untouched, ref none));
        for (int i = 0; i < state.Length; i++)
        {
            byte[] flipped = (byte[])state.Clone();
            flipped[i] ^= 0x10;
            Assert.False(NodeState.TryDecode(flipped, 1234, 3, untouched, ref none));
        }

        Assert.Equal((-1, -1, 0, 0), (untouched.Stable, untouched.Candidate, untouched.Count, none));
    }
}
