using QuantEdge.Compiler.Blob;
using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Tests;

/// <summary>
/// Models whose fully connected layers stream their weights (<see cref="WeightLayout.Streamed"/>, or
/// <see cref="WeightLayout.StreamedByRow"/>): the same outputs and accumulators as with the weights in RAM, loaded
/// from an array or a source; no weight bytes in RAM but one shared buffer of eight rows (or one); every weight read once per Invoke, nothing allocated; a layout a runtime does not
/// know, or a streamed convolution, refused at load.
/// </summary>
public class StreamedWeightsTests
{
    /// <summary>The model with every fully connected layer in <paramref name="layout"/> (the same weights: the seed decides them).</summary>
    private static DeviceModel WithLayout(DeviceModel model, WeightLayout layout)
    {
        for (int i = 0; i < model.Ops.Count; i++)
        {
            if (model.Ops[i] is FullyConnectedRecord fc)
            {
                model.Ops[i] = fc with { WeightLayout = layout };
            }
        }

        return model;
    }

    /// <summary>
    /// Bytes one Invoke allocates once the JIT has settled: the fewest over a few calls after warming up, because
    /// tiered compilation can allocate on the calling thread while it promotes a method (a one-off, not Invoke's).
    /// </summary>
    private static long SteadyStateAllocation(Model model)
    {
        for (int i = 0; i < 50; i++)
        {
            model.Invoke();
        }

        long fewest = long.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            model.Invoke();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return fewest;
    }

    private static int FullyConnectedWeights(DeviceModel model) => model.Ops.OfType<FullyConnectedRecord>().Sum(fc => fc.Weights.Length);

    public static TheoryData<string, WeightLayout> Models => new()
    {
        { "mlp", WeightLayout.Streamed }, { "large", WeightLayout.Streamed }, { "every-op", WeightLayout.Streamed },
        { "mlp", WeightLayout.StreamedByRow }, { "large", WeightLayout.StreamedByRow }, { "every-op", WeightLayout.StreamedByRow },
    };

    private static DeviceModel Make(string name, WeightLayout layout) => name switch
    {
        // 37 hidden units: four groups of eight and a tail of five; 3 classes: a tail only.
        "mlp" => TestModels.Mlp(features: 19, hidden: 37, classes: 3, layout: layout, scaleGrid: true),
        "large" => WithLayout(TestModels.Large(), layout),
        // Convolutions keep their weights in RAM (Int8Rows); its one dense layer streams.
        _ => WithLayout(TestModels.EveryOp(WeightLayout.Int8Rows), layout),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void StreamedLayersComputeWhatTheInRamLayoutsCompute(string name, WeightLayout layout)
    {
        byte[] inRam = TestModels.Blob(Make(name, WeightLayout.Int8Rows));
        byte[] streamedBlob = TestModels.Blob(Make(name, layout));
        Model expected = Model.Load(inRam);
        var source = new RecordingSource(streamedBlob, maxRead: 7);
        foreach (Model streamed in new[] { Model.Load(streamedBlob), Model.Load(source) })
        {
            Assert.True(streamed.SelfTest());
            var random = new Random(11);
            var raw = new int[expected.InputLength];
            for (int row = 0; row < 30; row++)
            {
                for (int i = 0; i < raw.Length; i++) raw[i] = random.Next(-3000, 3000);
                expected.SetRawInputs(raw);
                streamed.SetRawInputs(raw);
                expected.Invoke();
                streamed.Invoke();
                Assert.Equal(Outputs(expected), Outputs(streamed));
            }

            if (expected.OutputAccumulatorCount > 0)
            {
                var want = new int[expected.OutputAccumulatorCount];
                var got = new int[want.Length];
                expected.SetRawInputs(raw);
                streamed.SetRawInputs(raw);
                expected.InvokeAccumulators(want);
                streamed.InvokeAccumulators(got);
                Assert.Equal(want, got);
            }
        }
    }

    [Fact]
    public void StreamedWeightsTakeNoRamButOneSharedBufferOfEightRows()
    {
        (DeviceModel device, RecordingSource source, Model model) = LoadLargeStreamed();
        Assert.Equal(0, model.WeightBytes);
        Assert.Same(source, model.WeightSource);
        // Depths 256, 512 and 256: eight rows of the deepest.
        Assert.Equal(StreamBuffer.Group * 512, model.StreamBufferBytes);
        Assert.Equal(Model.Load(TestModels.Blob(Make("large", WeightLayout.Int8Rows))).WeightBytes, FullyConnectedWeights(device));

        Model inMemory = Model.Load(TestModels.Blob(device));
        Assert.IsType<ByteArrayBlobSource>(inMemory.WeightSource);
        Assert.Null(Model.Load(TestModels.Blob(Make("large", WeightLayout.Int8Rows))).WeightSource);
    }

    /// <summary>
    /// StreamedByRow layers need one row of the buffer, Streamed ones eight: a model with both gets eight rows (the
    /// largest group) of the deepest layer, one with only StreamedByRow layers one row; each read takes one row either way.
    /// </summary>
    [Fact]
    public void StreamedByRowLayersShareABufferOfOneRow()
    {
        Model byRow = Model.Load(TestModels.Blob(Make("large", WeightLayout.StreamedByRow)));
        Assert.Equal(0, byRow.WeightBytes);
        Assert.Equal(512, byRow.StreamBufferBytes);
        Assert.Single(byRow.StreamBuffer.Rows);

        // The first layer (depth 256) by row, the second (depth 512) eight rows at a time: 8 × 512.
        DeviceModel mixed = Make("large", WeightLayout.StreamedByRow);
        mixed.Ops[1] = (FullyConnectedRecord)mixed.Ops[1] with { WeightLayout = WeightLayout.Streamed };
        var source = new RecordingSource(TestModels.Blob(mixed));
        Model model = Model.Load(source);
        Assert.Equal(StreamBuffer.Group * 512, model.StreamBufferBytes);
        model.SetRawInputs(TestModels.RawInput(model.InputLength));
        model.Invoke();
        int reads = source.Reads;
        model.Invoke();
        Assert.Equal(512 + 256 + 10, source.Reads - reads);
        Assert.Equal(0, SteadyStateAllocation(model));
    }

    [Fact]
    public void InvokeReadsEveryWeightOnceAndAllocatesNothing()
    {
        (DeviceModel device, RecordingSource source, Model model) = LoadLargeStreamed();
        model.SetRawInputs(TestModels.RawInput(model.InputLength));
        model.Invoke();
        long served = source.BytesServed;
        int reads = source.Reads;
        model.Invoke();
        Assert.Equal(FullyConnectedWeights(device), source.BytesServed - served);
        // One read per output channel's row: 512 + 256 + 10.
        Assert.Equal(512 + 256 + 10, source.Reads - reads);
        Assert.Equal(0, SteadyStateAllocation(model));
    }

    [Fact]
    public void ASourceThatEndsDuringInvokeFailsTheInvoke()
    {
        byte[] blob = TestModels.Blob(Make("mlp", WeightLayout.Streamed));
        var source = new RecordingSource(blob);
        Model model = Model.Load(source);
        source.EndsAt = 0;
        Assert.Throws<InvalidOperationException>(model.Invoke);
    }

    [Fact]
    public void AStreamedConvolutionOrAnUnknownLayoutIsRefused()
    {
        // The op table's first record: opcode (u16) then the layout byte.
        DeviceModel cnn = TestModels.Cnn();
        foreach (WeightLayout streamed in new[] { WeightLayout.Streamed, WeightLayout.StreamedByRow })
        {
            cnn.Ops[0] = ((Conv2DRecord)cnn.Ops[0]) with { WeightLayout = streamed };
            var streamedConv = Assert.Throws<ModelFormatException>(() => TestModels.Blob(cnn));
            Assert.Equal(ModelError.BadOp, streamedConv.Reason);
            Assert.Contains("only fully connected layers stream", streamedConv.Message);
        }

        byte[] blob = TestModels.Blob(TestModels.Mlp());
        int opTable = BlobTestSupport.ReadInt32(blob, BlobFormat.OpTableAt);
        byte[] unknown = (byte[])blob.Clone();
        unknown[opTable + 2] = (byte)WeightLayout.StreamedByRow + 1;
        var error = Assert.Throws<ModelFormatException>(() => Model.Load(BlobTestSupport.FixCrc(unknown)));
        Assert.Equal(ModelError.BadOp, error.Reason);
        Assert.Contains("unknown weight layout 4", error.Message);
    }

    /// <summary>The large MLP with every layer streamed, loaded from a source that counts what it serves.</summary>
    private static (DeviceModel Device, RecordingSource Source, Model Model) LoadLargeStreamed()
    {
        DeviceModel device = Make("large", WeightLayout.Streamed);
        var source = new RecordingSource(TestModels.Blob(device));
        return (device, source, Model.Load(source));
    }

    private static sbyte[] Outputs(Model model)
    {
        var outputs = new sbyte[model.OutputLength];
        model.GetOutputs(outputs);
        return outputs;
    }
}
