namespace QuantEdge.Cli.Tests;

/// <summary>What one in-process run of the command printed and returned; <paramref name="OutBytes"/> is what went to standard output as bytes (an output file given as "-").</summary>
public sealed record CliResult(int Exit, string Out, string Err, byte[] OutBytes)
{
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public static class Cli
{
    public static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var bytes = new MemoryStream();
        int exit = Program.Run(args, stdout, stderr, () => bytes);
        return new CliResult(exit, stdout.ToString(), stderr.ToString(), bytes.ToArray());
    }

    /// <summary>A repository dataset, copied next to the tests.</summary>
    public static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    /// <summary>Succeeded: exit 0, nothing on stderr.</summary>
    public static CliResult Ok(params string[] args)
    {
        CliResult result = Run(args);
        Assert.True(result.Exit == 0, $"exit {result.Exit}: {result.Err}");
        Assert.Equal("", result.Err);
        return result;
    }
}

/// <summary>A fresh temporary folder per test.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("quantedge-cli-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        System.IO.File.WriteAllText(File(name), text);
        return File(name);
    }

    public string Write(string name, byte[] bytes)
    {
        System.IO.File.WriteAllBytes(File(name), bytes);
        return File(name);
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>
/// A model trained, quantized and described through the CLI once for all tests that need one:
/// iris, MLP 4 → 8 → 3, class names stored in the blob.
/// </summary>
public sealed class IrisArtifacts : IDisposable
{
    public static readonly string[] Classes = ["setosa", "versicolor", "virginica"];

    private readonly TempFolder folder = new();

    public IrisArtifacts()
    {
        Onnx = folder.File("iris.onnx");
        Blob = folder.File("iris.qem");
        Cli.Ok("train", "--data", Cli.Data("iris_train.csv"), "--hidden", "8", "--epochs", "100", "--out", Onnx);
        Cli.Ok("quantize", Onnx, "--calibration", Cli.Data("iris_train.csv"), "--out", Blob, "--classes", string.Join(",", Classes));
    }

    public string Onnx { get; }

    public string Blob { get; }

    public void Dispose() => folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class IrisCollection : ICollectionFixture<IrisArtifacts>
{
    public const string Name = "iris artifacts";
}
