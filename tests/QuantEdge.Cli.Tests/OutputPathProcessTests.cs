namespace QuantEdge.Cli.Tests;

/// <summary>
/// The output rules as a user meets them: quantedge as its own process, in a folder, with relative paths, and
/// standard output a pipe. Relative spellings of an input are refused; "-" and a link to the process's own
/// standard output (as /dev/stdout is) are written to, and the link stays a link.
/// </summary>
[Collection(IrisCollection.Name)]
public sealed class OutputPathProcessTests(IrisArtifacts iris) : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private ProcessResult Quantedge(params string[] args) =>
        Processes.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "quantedge.dll"), .. args], folder.Path, timeoutSeconds: 120);

    private void Inputs()
    {
        File.Copy(iris.Onnx, folder.File("m.onnx"));
        File.Copy(iris.Blob, folder.File("m.qem"));
        File.Copy(Cli.Data("iris_train.csv"), folder.File("t.csv"));
        Directory.CreateDirectory(folder.File("sub"));
    }

    [Theory]
    [InlineData("m.onnx", null, "--out is the input file")]
    [InlineData("./t.csv", null, "--out is the input file")]
    [InlineData("sub/../m.onnx", null, "--out is the input file")]
    [InlineData("o.qem", "./o.qem", "--report is the same file as --out")]
    [InlineData("o.qem", "sub/../sub/../o.qem", "--report is the same file as --out")]
    [InlineData("o.qem", "nowhere/r.html", "does not exist")]
    public void RelativeSpellingsOfOneFileAreRefused(string output, string? report, string message)
    {
        Inputs();
        byte[] model = File.ReadAllBytes(folder.File("m.onnx")), data = File.ReadAllBytes(folder.File("t.csv"));
        string[] files = Directory.GetFileSystemEntries(folder.Path).Order(StringComparer.Ordinal).ToArray();
        ProcessResult result = Quantedge(["quantize", "m.onnx", "--calibration", "t.csv", "--out", output, .. report is null ? Array.Empty<string>() : ["--report", report]]);

        Assert.Equal(2, result.Exit);
        Assert.Contains(message, Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal(model, File.ReadAllBytes(folder.File("m.onnx")));
        Assert.Equal(data, File.ReadAllBytes(folder.File("t.csv")));
        Assert.Equal(files, Directory.GetFileSystemEntries(folder.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DashIsStandardOutputAndTheMessagesGoToStandardError()
    {
        Inputs();
        ProcessResult result = Quantedge("quantize", "m.onnx", "--calibration", "t.csv", "--out", "-", "--method", "minmax");

        Assert.Equal(0, result.Exit);
        Assert.StartsWith("QEM1", result.Out);
        Assert.Contains("wrote standard output", result.Err);
        Assert.False(File.Exists(folder.File("-")));
    }

    [Fact]
    public void ALinkToTheProcesssStandardOutputIsWrittenToAndStaysALink()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /proc/self/fd is Linux's
        }

        Inputs();
        File.CreateSymbolicLink(folder.File("stdout"), "/proc/self/fd/1"); // what /dev/stdout is
        ProcessResult result = Quantedge("export", "m.qem", "--onnx-qdq", "stdout");

        Assert.Equal(0, result.Exit);
        Assert.True(result.Out.Length > 100, "the QDQ model went to the pipe");
        Assert.Equal("/proc/self/fd/1", new FileInfo(folder.File("stdout")).LinkTarget);
        Assert.DoesNotContain(Directory.GetFiles(folder.Path), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }
}
