using QuantEdge.Compiler.Onnx;

namespace QuantEdge.Cli.Tests;

[Collection(IrisCollection.Name)]
public class ExportCommandTests(IrisArtifacts iris)
{
    /// <summary>The written file is the library's export of the blob, byte for byte, in both arithmetic modes.</summary>
    [Theory]
    [InlineData("device", QdqArithmetic.Device)]
    [InlineData("float", QdqArithmetic.Float)]
    public void WritesTheQdqExportOfTheBlob(string mode, QdqArithmetic arithmetic)
    {
        using var folder = new TempFolder();
        string target = folder.File("iris.qdq.onnx");
        CliResult result = Cli.Ok("export", iris.Blob, "--onnx-qdq", target, "--arithmetic", mode);
        Assert.Contains($"wrote {target}", result.Out);
        Assert.Equal(QdqExporter.Export(File.ReadAllBytes(iris.Blob), arithmetic), File.ReadAllBytes(target));
    }

    [Fact]
    public void ABadBlobIsOneLineExitTwoAndNoFile()
    {
        using var folder = new TempFolder();
        string blob = folder.File("broken.qem");
        File.WriteAllBytes(blob, [1, 2, 3, 4]);
        string target = folder.File("out.onnx");
        CliResult result = Cli.Run("export", blob, "--onnx-qdq", target);
        Assert.Equal(2, result.Exit);
        Assert.Single(result.ErrLines);
        Assert.Contains("broken.qem", result.Err);
        Assert.False(File.Exists(target));
    }
}
