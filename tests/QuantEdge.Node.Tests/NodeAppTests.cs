using System.Buffers.Binary;
using QuantEdge.Compiler.Blob;
using QuantEdge.Node.Outputs;
using QuantEdge.Runtime.Format;
using QuantEdge.Simulator;

namespace QuantEdge.Node.Tests;

public class NodeAppTests
{
    private static string[] Log(VirtualBoard board) => board.Events.Where(e => e.Kind == EventKind.Log).Select(e => e.Text).ToArray();

    [Fact]
    public void BootsFromResourcesAndPrintsTheBootLine()
    {
        VirtualBoard board = IrisModel.Board(IrisModel.Node(), [IrisModel.RowFor(0)]);
        var app = new NodeApp(board.Hardware);

        Assert.True(app.Boot());
        Assert.Equal(0, app.Error);
        string[] log = Log(board);
        Assert.Equal("QuantEdge node: model 'iris' from resource model.qem, 4 inputs, 3 classes (setosa, versicolor, virginica), model RAM 2000 B, "
            + "free heap 76000 B, self-test passed", log[0]);
        Assert.StartsWith("node: resource node.bin, every 1000 ms, hysteresis 1, inputs f0=ADC 0, f1=ADC 3, f2=ADC 4, f3=ADC 5", log[1]);
    }

    [Fact]
    public void FilesOnTheDriveComeBeforeTheResources()
    {
        VirtualBoard board = IrisModel.Board(IrisModel.Node(), [IrisModel.RowFor(0)]);
        board.Files.Put(NodeApp.ConfigFile, (IrisModel.Node() with { SamplePeriodMs = 5000 }).Bytes());

        var app = new NodeApp(board.Hardware);
        Assert.True(app.Boot());
        Assert.Equal(5000, app.Config.SamplePeriodMs);
        Assert.Contains(Log(board), l => l.StartsWith(@"node: I:\node.bin, every 5000 ms", StringComparison.Ordinal));
        Assert.Contains(Log(board), l => l.Contains("from resource model.qem", StringComparison.Ordinal));
    }

    [Fact]
    public void EachBootFailureHasItsBlinkCountAndMakesNoPrediction()
    {
        // No configuration anywhere.
        VirtualBoard board = IrisModel.Board(IrisModel.Node(), [IrisModel.RowFor(0)]);
        board.Resources.Put(NodeApp.ConfigFile, null!);
        Assert.Equal(StatusLed.ConfigurationError, FailedBoot(board));
        Assert.Contains(Log(board), l => l.StartsWith("error: no node configuration", StringComparison.Ordinal));

        // A corrupted model.
        board = IrisModel.Board(IrisModel.Node(), [IrisModel.RowFor(0)]);
        byte[] blob = IrisModel.Blob;
        blob[100] ^= 1;
        board.Resources.Put(NodeApp.ModelFile, blob);
        Assert.Equal(StatusLed.ModelError, FailedBoot(board));
        Assert.Contains(Log(board), l => l.StartsWith("error: resource model.qem: Model blob rejected (checksum mismatch)", StringComparison.Ordinal));

        // A configuration packed for another model.
        board = IrisModel.Board(IrisModel.Node() with { ModelOutputs = 4 }, [IrisModel.RowFor(0)]);
        Assert.Equal(StatusLed.ConfigurationError, FailedBoot(board));
        Assert.Contains(Log(board), l => l.Contains("does not fit resource model.qem", StringComparison.Ordinal));

        // A model whose golden output this runtime does not reproduce (CRC made valid again).
        board = IrisModel.Board(IrisModel.Node(), [IrisModel.RowFor(0)]);
        board.Resources.Put(NodeApp.ModelFile, WithWrongGoldenOutput(IrisModel.Blob));
        Assert.Equal(StatusLed.SelfTestFailed, FailedBoot(board));
        Assert.Contains(Log(board), l => l.StartsWith("error: self-test failed", StringComparison.Ordinal));
    }

    [Fact]
    public void ABootErrorBlinksItsCountOnTheStatusLed()
    {
        VirtualBoard board = IrisModel.Board(IrisModel.Node(), [IrisModel.RowFor(0)]);
        board.Resources.Put(NodeApp.ModelFile, WithWrongGoldenOutput(IrisModel.Blob));
        var app = new NodeApp(board.Hardware);
        Assert.False(app.Boot());
        int before = board.Events.Count;

        new StatusLed(board.Hardware, 2, activeLow: false).BlinkCount(app.Error);

        SimulationEvent[] blinks = board.Events.Skip(before).Where(e => e.Kind == EventKind.Pin && e.Pin == 2 && e.Value == 1).ToArray();
        Assert.Equal(StatusLed.SelfTestFailed, blinks.Length);
    }

    [Fact]
    public void ACyclePredictsWhatTheModelPredictsAndDrivesTheClassPins()
    {
        int[][] rows = [IrisModel.RowFor(0), IrisModel.RowFor(2), IrisModel.RowFor(1)];
        VirtualBoard board = IrisModel.Board(IrisModel.Node(OutputRecord.Pin(0, 25), OutputRecord.Pin(2, 26, activeLow: true)), rows);
        var app = new NodeApp(board.Hardware);
        Assert.True(app.Boot());

        foreach (int[] row in rows)
        {
            int wait = app.Cycle();
            Assert.Equal(IrisModel.Predict(row), app.LastPrediction);
            Assert.Equal(1000 - StatusLed.HeartbeatMs, wait);
            app.Sleep(wait);
        }

        var pins = board.Events.Where(e => e.Kind == EventKind.Pin && e.Pin != 2).Select(e => (e.TimeMs, e.Pin, e.Value)).ToArray();
        // Opened for "no class yet": 25 low, 26 high (active low). Then setosa (25 on), virginica (26 on), versicolor (both off).
        Assert.Equal([(0, 25, 0), (0, 26, 1), (0, 25, 1), (1000, 25, 0), (1000, 26, 0), (2000, 26, 1)], pins);
    }

    [Fact]
    public void ASensorErrorSkipsThePredictionAndBlinksFive()
    {
        VirtualBoard board = IrisModel.Board(
            IrisModel.Node() with { Inputs = [InputRecord.Adc(0), InputRecord.Adc(3), InputRecord.Adc(4), new InputRecord(3, A: 1, B: 0x44, D: 2)] },
            [IrisModel.RowFor(0)]);
        var app = new NodeApp(board.Hardware);
        Assert.True(app.Boot());
        int booted = board.Events.Count;

        app.Cycle();

        Assert.Equal(-1, app.LastPrediction);
        Assert.Contains(Log(board), l => l == "sensor error: input 3 (I2C1 0x44/0): the device did not answer; no prediction this cycle");
        Assert.Equal(StatusLed.SensorError, board.Events.Skip(booted).Count(e => e.Kind == EventKind.Pin && e.Pin == 2 && e.Value == 1));
    }

    /// <summary>
    /// A model whose layers stream their weights keeps reading its file at every inference: the node leaves it open (the
    /// simulator's files, like the firmware's, cannot be read once disposed) and predicts what the model in RAM predicts.
    /// </summary>
    [Fact]
    public void AStreamedModelKeepsItsFileOpen()
    {
        int[][] rows = [IrisModel.RowFor(0), IrisModel.RowFor(1)];
        VirtualBoard board = IrisModel.Board(IrisModel.Node(), rows);
        board.Files.Put(NodeApp.ModelFile, Streamed(IrisModel.Blob));
        var app = new NodeApp(board.Hardware);
        Assert.True(app.Boot());
        Assert.Contains(Log(board), l => l.Contains(@"from I:\model.qem", StringComparison.Ordinal));
        foreach (int[] row in rows)
        {
            app.Sleep(app.Cycle());
            Assert.Equal(IrisModel.Predict(row), app.LastPrediction);
        }
    }

    /// <summary>The blob with every dense layer streamed (read back, relaid out, written again with the same golden vector).</summary>
    private static byte[] Streamed(byte[] blob)
    {
        DeviceModelBlob read = BlobReader.Read(blob);
        for (int i = 0; i < read.Model.Ops.Count; i++)
        {
            if (read.Model.Ops[i] is FullyConnectedRecord fc)
            {
                read.Model.Ops[i] = fc with { WeightLayout = QuantEdge.Runtime.Kernels.WeightLayout.Streamed };
            }
        }

        byte[] streamed = BlobWriter.Write(read.Model, read.Golden);
        Assert.True(Runtime.Model.Load(streamed).StreamBufferBytes > 0);
        return streamed;
    }

    private static int FailedBoot(VirtualBoard board)
    {
        var app = new NodeApp(board.Hardware);
        Assert.False(app.Boot());
        Assert.Null(app.Model);
        return app.Error;
    }

    // The golden output's first byte changed and the CRC recomputed: a blob that loads but fails its self-test.
    private static byte[] WithWrongGoldenOutput(byte[] blob)
    {
        int golden = BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(56));
        int data = BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(60));
        int flags = BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(golden));
        int inputs = 4;
        int at = golden + 4 + ((flags & 1) != 0 ? 4 * inputs : 0) + 4; // flags, raw inputs, int8 inputs padded to 4
        Assert.True(at < data);
        blob[at] ^= 0x55;
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), Crc32.Compute(blob, 16, blob.Length - 16));
        return blob;
    }
}
