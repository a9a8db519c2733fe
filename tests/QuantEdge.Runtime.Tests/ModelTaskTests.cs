using QuantEdge.Compiler.Blob;
using QuantEdge.Runtime.Format;
using static QuantEdge.Runtime.Tests.BlobTestSupport;

namespace QuantEdge.Runtime.Tests;

/// <summary>The model's task in the blob's metadata (format 1.1), and blobs of format 1.0, which have none.</summary>
public class ModelTaskTests
{
    private static byte[] Blob(ModelTask task, params string[] names)
    {
        DeviceModel model = TestModels.Mlp(classes: names.Length);
        model.Task = task;
        model.OutputNames = names;
        return TestModels.Blob(model);
    }

    [Theory]
    [InlineData(ModelTask.Classification)]
    [InlineData(ModelTask.Regression)]
    [InlineData(ModelTask.Anomaly)]
    public void TheTaskAndOutputNamesReachTheDevice(ModelTask task)
    {
        Model model = Model.Load(Blob(task, "moisture", "temperature"));

        Assert.Equal(task, model.Task);
        Assert.Equal("temperature", model.GetOutputName(1));
        Assert.Equal(BlobFormat.VersionMinor, ReadInt32(Blob(task, "a"), BlobFormat.VersionMajorAt) >> 16);
    }

    [Fact]
    public void AFormat10BlobIsAClassifier()
    {
        byte[] blob = WithoutTask(Blob(ModelTask.Regression, "y"));

        Model model = Model.Load(blob);
        Assert.Equal(ModelTask.Classification, model.Task);
        Assert.True(model.SelfTest());
    }

    [Fact]
    public void AnUnknownTaskIsRejected()
    {
        byte[] blob = Blob(ModelTask.Regression, "y");
        int taskAt = ReadInt32(blob, BlobFormat.GoldenAt) - 4;
        Assert.Equal(ModelError.BadMetadata, Rejection(WithInt32(blob, taskAt, 3)));
    }

    [Fact]
    public void ANewerMinorVersionMayAppendMetadata()
    {
        // A 1.2 blob with one more metadata word: this runtime reads the task and skips the rest.
        byte[] blob = WithMetadataWord(Blob(ModelTask.Anomaly, "score"), 77);
        blob = WithInt32(blob, BlobFormat.VersionMajorAt, BlobFormat.VersionMajor | ((BlobFormat.VersionMinor + 1) << 16));
        Assert.Equal(ModelTask.Anomaly, Model.Load(blob).Task);

        // The same bytes claiming the current minor break its rule that the section ends there.
        blob = WithInt32(blob, BlobFormat.VersionMajorAt, BlobFormat.VersionMajor | (BlobFormat.VersionMinor << 16));
        Assert.Equal(ModelError.BadMetadata, Rejection(blob));
    }

    /// <summary>The blob as format 1.0 wrote it: no task word at the end of the metadata, version 1.0.</summary>
    private static byte[] WithoutTask(byte[] blob)
    {
        int golden = ReadInt32(blob, BlobFormat.GoldenAt);
        byte[] shorter = [.. blob[..(golden - 4)], .. blob[golden..]];
        shorter = WithInt32(shorter, BlobFormat.VersionMajorAt, BlobFormat.VersionMajor, fixCrc: false);
        return Shifted(shorter, -4);
    }

    private static byte[] WithMetadataWord(byte[] blob, int word)
    {
        int golden = ReadInt32(blob, BlobFormat.GoldenAt);
        byte[] longer = [.. blob[..golden], .. BitConverter.GetBytes(word), .. blob[golden..]];
        return Shifted(longer, 4);
    }

    // The sections after the metadata (golden vector, data) moved by `delta` bytes: their offsets and the length follow.
    private static byte[] Shifted(byte[] blob, int delta)
    {
        blob = WithInt32(blob, BlobFormat.GoldenAt, ReadInt32(blob, BlobFormat.GoldenAt) + delta, fixCrc: false);
        blob = WithInt32(blob, BlobFormat.DataAt, ReadInt32(blob, BlobFormat.DataAt) + delta, fixCrc: false);
        return WithInt32(blob, BlobFormat.BlobLengthAt, blob.Length);
    }
}
