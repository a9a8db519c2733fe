using QuantEdge.Compiler.Blob;
using QuantEdge.Runtime.Format;
using static QuantEdge.Runtime.Tests.BlobTestSupport;

namespace QuantEdge.Runtime.Tests;

/// <summary>The model's task in the blob's metadata, and blobs of other major versions, which are refused.</summary>
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

    [Theory]
    [InlineData(1, 1, "format version 1.1, this runtime reads version 2 only")]
    [InlineData(3, 0, "format version 3.0, this runtime reads version 2 only")]
    public void ABlobOfAnotherMajorVersionIsRefusedByName(int major, int minor, string message)
    {
        // Format 1 stored the inputs in full (a 1.x runtime refuses a 2.0 blob by the same check); a later major
        // version may change any section.
        byte[] blob = WithInt32(Blob(ModelTask.Classification, "a"), BlobFormat.VersionMajorAt, major | (minor << 16));

        var e = Assert.Throws<ModelFormatException>(() => Model.Load(blob));
        Assert.Equal(ModelError.UnsupportedVersion, e.Reason);
        Assert.Contains(message, e.Message);
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
        // A 2.1 blob with one more metadata word: this runtime reads the task and skips the rest.
        byte[] blob = WithMetadataWord(Blob(ModelTask.Anomaly, "score"), 77);
        blob = WithInt32(blob, BlobFormat.VersionMajorAt, BlobFormat.VersionMajor | ((BlobFormat.VersionMinor + 1) << 16));
        Assert.Equal(ModelTask.Anomaly, Model.Load(blob).Task);

        // The same bytes claiming the current minor break its rule that the section ends there.
        blob = WithInt32(blob, BlobFormat.VersionMajorAt, BlobFormat.VersionMajor | (BlobFormat.VersionMinor << 16));
        Assert.Equal(ModelError.BadMetadata, Rejection(blob));
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
