using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Runtime;

namespace QuantEdge.Cli;

/// <summary>Reads the files commands take, turning every problem into a message that names the file.</summary>
public static class InputFiles
{
    /// <summary>A blob's bytes, validated by the device loader.</summary>
    public static (byte[] Blob, Model Model) LoadBlob(string path)
    {
        byte[] blob = ReadBytes(path);
        try
        {
            return (blob, Model.Load(blob));
        }
        catch (ModelFormatException e)
        {
            throw new CliException($"{path}: {e.Message}");
        }
    }

    /// <summary>An ONNX model as a float graph; import errors name the file and the node.</summary>
    public static ModelGraph LoadOnnx(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"{path}: file not found");
        }

        try
        {
            return OnnxImporter.Load(path);
        }
        catch (OnnxImportException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new CliException($"{path}: {e.Message}");
        }
    }

    /// <summary>A CSV dataset; with <paramref name="requireLabel"/> false a label column, if present, is still left out of the inputs.</summary>
    public static Dataset LoadCsv(string path, string label, bool requireLabel = true) => Dataset.Load(path, label, requireLabel);

    public static byte[] ReadBytes(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"{path}: file not found");
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: {e.Message}");
        }
    }
}
