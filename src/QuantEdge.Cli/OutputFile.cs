namespace QuantEdge.Cli;

/// <summary>
/// Writes output files whole or not at all: the bytes go to a temporary file in the target's folder,
/// which is then renamed over the target, so a failure never leaves a partial file behind.
/// </summary>
public static class OutputFile
{
    public static void Write(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    public static void WriteText(string path, string text) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, leaveOpen: true);
        writer.Write(text);
    });

    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new CliException($"{path}: folder '{directory}' does not exist");
        }

        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot write: {e.Message}");
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
