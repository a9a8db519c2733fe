using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Compiler.Training;

namespace QuantEdge.Compiler.Tests;

/// <summary>
/// The library refuses what the CLI refuses, before the work that would need it: a caller of
/// <see cref="Quantizer.Quantize"/> or <see cref="MlpTrainer.Train"/> gets the same bad-input exceptions.
/// </summary>
public class HostLimitsTests
{
    private static Dataset Rows(int features, params int[] labels) =>
        new(Enumerable.Range(0, features).Select(i => $"f{i}").ToArray(),
            labels.Select((_, r) => Enumerable.Range(0, features).Select(i => (float)(r + i)).ToArray()).ToArray(), labels, "rows");

    private static ModelGraph Conv(int side) => OnnxImporter.Load(new OnnxModelBuilder(13)
        .Input("x", "N", 1, side, side)
        .Initializer("W", [2, 1, 3, 3], Enumerable.Repeat(0.1f, 18).ToArray())
        .Node("Conv", ["x", "W"], ["c"], name: "conv").Node("GlobalAveragePool", ["c"], ["g"]).Node("Flatten", ["g"], ["y"])
        .Output("y", "N", 2).ToBytes());

    [Fact]
    public void ATensorPastTheDeviceLimitIsRefusedBeforeAnyPlanning()
    {
        var e = Assert.Throws<LimitExceededException>(() => Quantizer.Quantize(Conv(8192), Rows(13, 0, 1), new QuantizeOptions()));
        Assert.Contains("67,108,864 elements", e.Message);
    }

    [Fact]
    public void AModelPastTheLargestBoardsRamIsRefused()
    {
        var e = Assert.Throws<LimitExceededException>(() => HostLimits.CheckModel(Conv(2500), "conv.onnx"));
        Assert.Contains("conv.onnx: the model needs at least 18 MB of RAM on a device", e.Message);
    }

    [Fact]
    public void ARowCountMismatchIsNamedBeforeThePlanIsBuilt()
    {
        var e = Assert.Throws<InputFileException>(() => Quantizer.Quantize(Conv(64), Rows(13, 0, 1), new QuantizeOptions()));
        Assert.Contains("rows: 13 feature columns, but the model takes 4096 inputs", e.Message);
    }

    [Fact]
    public void TrainingRefusesClassesWithoutRows()
    {
        var e = Assert.Throws<InputFileException>(() => MlpTrainer.Train(Rows(2, 0, 1, 1, 100000), new MlpTrainingOptions { Epochs = 1 }));
        Assert.Contains("rows: row 4: label 100000 makes 100,001 classes, but 99,998 classes (2 and others below 100000) have no rows", e.Message);
    }

    [Fact]
    public void TrainingRefusesAnMlpPastTheLargestBoard()
    {
        var e = Assert.Throws<LimitExceededException>(() => MlpTrainer.Train(Rows(2, 0, 1), new MlpTrainingOptions { HiddenLayers = [65535, 65535], Epochs = 1 }));
        Assert.Contains("the MLP: an MLP 2 -> 65,535 -> 65,535 -> 2 has", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void LayerSizesAreOneToADeviceDimension(int size) =>
        Assert.Throws<ArgumentException>(() => new MlpTrainingOptions { HiddenLayers = [size] }.Validate());

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1536, "1.5 KB")]
    [InlineData(8L << 20, "8 MB")]
    [InlineData(1L << 30, "1 GB")]
    [InlineData(1288490189, "1.2 GB")]
    public void SizesReadAsPeopleWriteThem(long bytes, string text) => Assert.Equal(text, HostLimits.Bytes(bytes));
}
