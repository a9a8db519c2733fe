using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace QuantEdge.Cli.Tests;

/// <summary>
/// Outputs that are not regular files (Linux): a FIFO is written to in place and stays a FIFO; a socket is
/// refused; neither is ever renamed over.
/// </summary>
[Collection(IrisCollection.Name)]
public sealed class SpecialFileOutputTests(IrisArtifacts iris) : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo(string path, uint mode);

    [Fact]
    public async Task AFifoIsWrittenInPlaceAndStaysAFifo()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string fifo = folder.File("pipe.qdq");
        Assert.Equal(0, MakeFifo(fifo, Convert.ToUInt32("644", 8)));
        Task<byte[]> reader = Task.Run(() => File.ReadAllBytes(fifo)); // opening for reading waits for the writer

        CliResult result = Cli.Run("export", iris.Blob, "--onnx-qdq", fifo);
        byte[] received = await reader.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.Exit == 0, result.Err);
        Assert.Equal(QuantEdge.Compiler.Onnx.QdqExporter.Export(File.ReadAllBytes(iris.Blob), QuantEdge.Compiler.Onnx.QdqArithmetic.Device), received);
        Assert.Equal(Output.FileKind.Fifo, Output.FileFacts.Of(fifo).Kind);
        Assert.Equal(["pipe.qdq"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void ASocketIsRefused()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string path = folder.File("socket.qem");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));

        CliResult result = Cli.Run("quantize", iris.Onnx, "--calibration", Cli.Data("iris_train.csv"), "--out", path);

        Assert.Equal(2, result.Exit);
        Assert.Contains("socket.qem: is a socket; refusing to write to it (--out)", Assert.Single(result.ErrLines));
        Assert.Equal(Output.FileKind.Socket, Output.FileFacts.Of(path).Kind);
        Assert.Equal(["socket.qem"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }
}
