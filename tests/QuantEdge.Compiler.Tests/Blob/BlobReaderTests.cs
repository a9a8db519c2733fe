using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Calibration;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Compiler.Tests.Quantization;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Tests.Blob;

public class BlobReaderTests
{
    /// <summary>Reading a blob and writing what was read gives the same bytes: every field and data chunk is read back.</summary>
    [Theory]
    [InlineData("mlp")]
    [InlineData("cnn")]
    [InlineData("branchy")]
    public void WritingWhatWasReadGivesTheSameBlob(string name)
    {
        ModelGraph graph = OnnxImporter.Load(name switch { "mlp" => TestOnnxModels.Mlp(), "cnn" => TestOnnxModels.Cnn(), _ => TestOnnxModels.Branchy() });
        // A roomy budget puts some layers in the Int64Pairs layout, which must survive the round trip too.
        QuantizationResult q = Quantizer.Quantize(graph, QuantizerTests.Rows(graph, 40, 5),
            new QuantizeOptions { Method = CalibrationMethod.MinMax, RamBudgetBytes = 1 << 20, ModelName = name, OutputNames = name == "mlp" ? [.. Enumerable.Range(0, 10).Select(i => $"class {i}")] : null });

        DeviceModelBlob contents = BlobReader.Read(q.Blob);

        Assert.Equal(q.Blob, BlobWriter.Write(contents.Model, contents.Golden));
        Assert.Equal(Model.Load(q.Blob).ArenaBytes, contents.ArenaBytes);
        Assert.Equal(q.Device.Ops.Select(op => op.Layout), contents.Model.Ops.Select(op => op.Layout));
        Assert.Equal(q.Device.OutputNames, contents.Model.OutputNames);
        if (name == "cnn")
        {
            Assert.Contains(contents.Model.Ops, op => op.Layout == WeightLayout.Int64Pairs);
        }
    }

    [Fact]
    public void AnInvalidBlobIsRejectedByTheDeviceLoader()
    {
        ModelGraph graph = OnnxImporter.Load(TestOnnxModels.Mlp());
        byte[] blob = Quantizer.Quantize(graph, QuantizerTests.Rows(graph, 20, 6), new QuantizeOptions { Method = CalibrationMethod.MinMax }).Blob;
        blob[^1] ^= 1;

        var error = Assert.Throws<ModelFormatException>(() => BlobReader.Read(blob));
        Assert.Equal(ModelError.ChecksumMismatch, error.Reason);
    }
}
