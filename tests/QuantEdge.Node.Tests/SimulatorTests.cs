using QuantEdge.Compiler.Data;
using QuantEdge.Node.Config;
using QuantEdge.Simulator;

namespace QuantEdge.Node.Tests;

public class SimulatorTests
{
    [Fact]
    public void AContinuousNodeRunsTheWholeTraceWithHysteresis()
    {
        int[] a = IrisModel.RowFor(0), b = IrisModel.RowFor(2);
        int[][] rows = [a, a, b, a, b, b, b, a];
        VirtualBoard board = IrisModel.Board(IrisModel.Node(OutputRecord.Pin(0, 25), OutputRecord.Pin(2, 26)) with { Hysteresis = 2, Heartbeat = false }, rows);

        SimulationResult result = NodeSimulator.Run(board, endMs: 7000);

        Assert.True(result.Booted);
        Assert.Equal(1, result.Boots);
        Assert.Equal([0, 0, 2, 0, 2, 2, 2, 0], result.Predictions.Select(p => p.Class));
        Assert.Equal([-1, 0, 0, 0, 0, 2, 2, 2], result.Predictions.Select(p => p.StableClass));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => i * 1000L), result.Predictions.Select(p => p.TimeMs));
        var pins = board.Events.Where(e => e.Kind == EventKind.Pin && e.Pin >= 25).Select(e => (e.TimeMs, e.Pin, e.Value));
        Assert.Equal([(0, 25, 0), (0, 26, 0), (1000, 25, 1), (5000, 25, 0), (5000, 26, 1)], pins);
        Assert.Equal(0, result.StateWrites); // awake nodes keep their state in RAM
    }

    [Fact]
    public void ADeepSleepNodeRestartsAtEveryWakeAndKeepsItsHysteresisInAFile()
    {
        int[] a = IrisModel.RowFor(0), b = IrisModel.RowFor(2);
        int[][] rows = [a, a, a, a, b, b, b, b];
        NodeBin node = IrisModel.Node(OutputRecord.Pin(2, 26)) with { Hysteresis = 3, DeepSleep = true, Heartbeat = false };
        VirtualBoard board = IrisModel.Board(node, rows);

        SimulationResult result = NodeSimulator.Run(board, endMs: 7000);

        Assert.Equal(8, result.Boots);
        Assert.Equal(7, board.Events.Count(e => e.Kind == EventKind.Wake));
        Assert.Equal([-1, -1, 0, 0, 0, 0, 2, 2], result.Predictions.Select(p => p.StableClass));
        // The state changes at predictions 0, 1, 2 (candidate 1/3, 2/3, stable), 4, 5, 6 (the same for b), not at 3 and 7.
        Assert.Equal(6, result.StateWrites);
        // Each wake restores the saved decision before the first prediction of that wake.
        Assert.Contains(board.Events, e => e.Kind == EventKind.Log && e.Text.StartsWith("state restored: outputs show setosa, candidate virginica 2/3", StringComparison.Ordinal));
        // GPIO26 is released in every deep sleep; at 6 s the wake restores "setosa" (low), the third b makes
        // virginica stable (high); the next wake restores it high at once.
        var pin26 = board.Events.Where(e => e.Kind == EventKind.Pin && e.Pin == 26 && e.TimeMs >= 6000).Select(e => (e.TimeMs, e.Value)).ToArray();
        Assert.Equal([(6000, 0), (6000, 1), (6000, -1), (7000, 1), (7000, -1)], pin26);
        Assert.True(result.AwakeMs < result.EndMs / 10, $"awake {result.AwakeMs} of {result.EndMs} ms");
    }

    [Fact]
    public void AStateOfAnotherConfigurationIsIgnored()
    {
        NodeBin node = IrisModel.Node() with { Hysteresis = 3, DeepSleep = true };
        VirtualBoard board = IrisModel.Board(node, [IrisModel.RowFor(0)]);
        var other = new Outputs.Hysteresis(3) { Stable = 2 };
        board.Files.Put(NodeState.FileName, NodeState.Encode(other, thresholdsOn: 0, configCrc: 42));

        var app = new NodeApp(board.Hardware);
        Assert.True(app.Boot());
        Assert.Equal(-1, app.Hysteresis.Stable);
    }

    [Fact]
    public void I2cValuesFromTheTraceAreEncodedInTheByteOrderTheNodeReads()
    {
        NodeConfig config = NodeConfig.Parse((IrisModel.Node() with
        {
            Inputs = [InputRecord.Adc(0), InputRecord.Adc(3), InputRecord.Adc(4), new InputRecord(NodeFormat.InputI2c, A: 1, B: 0x40, C: 1, D: 2)],
        }).Bytes());
        var trace = new SensorTrace([0], new Dictionary<string, long[]> { [SensorTrace.I2cColumn(1, 0x40, 1)] = [0x1234] }, "test");
        var board = new VirtualBoard(trace, 79_000, 0, 0, NodeSimulator.I2cByteOrder(config));
        byte[] bytes = new byte[2];

        Assert.True(board.Hardware.I2c.ReadRegister(1, 0x40, 1, bytes));
        Assert.Equal([0x34, 0x12], bytes); // little-endian, as the input asks
        Assert.False(board.Hardware.I2c.ReadRegister(1, 0x41, 1, bytes)); // no column: the device does not answer
    }

    [Fact]
    public void ATraceHoldsEachValueUntilTheNextRow()
    {
        using var folder = new TempFile("time_ms,adc6,GPIO4,i2c1_0x44_0xE3\n0,100,1,7\n1500,200,0,-3\n");
        SensorTrace trace = SensorTrace.Load(folder.Path);

        Assert.Equal(1500, trace.EndMs);
        Assert.Equal(100, trace.At("adc6", 0));
        Assert.Equal(100, trace.At("adc6", 1499));
        Assert.Equal(200, trace.At("adc6", 1500));
        Assert.Equal(200, trace.At("adc6", 99999));
        Assert.Equal(0, trace.At("gpio4", 2000));
        Assert.Equal(-3, trace.At(SensorTrace.I2cColumn(1, 0x44, 0xE3), 1500));
    }

    [Theory]
    [InlineData("adc6,time_ms\n0,1\n", "row 1: the first column must be 'time_ms'")]
    [InlineData("time_ms,temperature\n0,1\n", "row 1, column 2 'temperature': not a channel name")]
    [InlineData("time_ms,adc6,adc06\n0,1,2\n", "row 1, column 3 'adc06': the same channel appears twice")]
    [InlineData("time_ms,adc6\n0,1\n100,1.5\n", "row 3, column 2 'adc6': '1.5' is not a 32-bit integer")]
    [InlineData("time_ms,adc6\n0,1\n0,2\n", "row 3, column 1 'time_ms': times must be non-negative and increase")]
    [InlineData("time_ms,adc6\n-5,1\n", "row 2, column 1 'time_ms': times must be non-negative and increase")]
    [InlineData("time_ms,adc6\n0,1,2\n", "row 2: 3 columns, the header has 2")]
    [InlineData("time_ms,adc6\n", "no rows after the header")]
    public void ABadTraceIsOneMessageNamingTheRowAndColumn(string text, string message)
    {
        using var file = new TempFile(text);
        InputFileException e = Assert.Throws<InputFileException>(() => SensorTrace.Load(file.Path));
        Assert.StartsWith($"{file.Path}: {message}", e.Message);
    }

    private sealed class TempFile : IDisposable
    {
        public TempFile(string text) => File.WriteAllText(Path, text);

        public string Path { get; } = System.IO.Path.GetTempFileName();

        public void Dispose() => File.Delete(Path);
    }
}
