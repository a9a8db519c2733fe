using QuantEdge.Compiler;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Runtime;

namespace QuantEdge.Cli;

/// <summary>
/// Reads the files commands take, turning every problem into a message that names the file, and refusing files
/// past <see cref="HostLimits"/> before reading them.
/// </summary>
public static class InputFiles
{
    /// <summary>A blob's bytes, validated by the device loader.</summary>
    public static (byte[] Blob, Model Model) LoadBlob(string path)
    {
        byte[] blob = ReadBytes(path, HostLimits.MaxBlobBytes, "a model blob");
        try
        {
            return (blob, Model.Load(blob));
        }
        catch (ModelFormatException e)
        {
            throw new CliException($"{path}: {e.Message}");
        }
    }

    /// <summary>
    /// An ONNX model as a float graph; import errors name the file and the node. A graph past the device's or the
    /// host's limits (<see cref="HostLimits.CheckModel"/>) is refused here, before any work on it.
    /// </summary>
    public static ModelGraph LoadOnnx(string path)
    {
        RequireFile(path);
        HostLimits.CheckFileSize(path, HostLimits.MaxOnnxBytes, "an ONNX model");
        ModelGraph graph;
        try
        {
            graph = OnnxImporter.Load(path);
        }
        catch (OnnxImportException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new CliException($"{path}: {e.Message}");
        }

        HostLimits.CheckModel(graph, path);
        return graph;
    }

    /// <summary>A CSV dataset; with <paramref name="requireLabel"/> false a label column, if present, is still left out of the inputs.</summary>
    public static Dataset LoadCsv(string path, string label, bool requireLabel = true) => Dataset.Load(path, label, requireLabel);

    /// <summary>A node or board file checked to be within <see cref="HostLimits.MaxConfigBytes"/> when it exists; returns the path.</summary>
    public static string CheckedConfig(string path)
    {
        if (File.Exists(path))
        {
            HostLimits.CheckFileSize(path, HostLimits.MaxConfigBytes, "a node or board file");
        }

        return path;
    }

    /// <summary>A file's bytes, refused past <paramref name="limit"/> bytes (<paramref name="what"/> names the kind of file).</summary>
    public static byte[] ReadBytes(string path, long limit, string what)
    {
        RequireFile(path);
        HostLimits.CheckFileSize(path, limit, what);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: {e.Message}");
        }
    }

    private static void RequireFile(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CliException("a file name is empty");
        }

        if (Directory.Exists(path))
        {
            throw new CliException($"{path}: is a folder, not a file");
        }

        if (!File.Exists(path))
        {
            throw new CliException($"{path}: file not found");
        }
    }
}
