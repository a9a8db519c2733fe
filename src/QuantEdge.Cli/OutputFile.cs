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

    /// <summary>
    /// Writes several files as one: every file goes to its temporary file first, and only when all of them are
    /// written are they renamed over their targets, so a failure while writing leaves none of them changed.
    /// </summary>
    public static void WriteAll(IReadOnlyList<(string Path, byte[] Bytes)> files)
    {
        var pending = new List<(string Temporary, string Full, string Path)>();
        try
        {
            foreach ((string path, byte[] bytes) in files)
            {
                string full = Path.GetFullPath(path);
                string temporary = TemporaryFor(path, full);
                pending.Add((temporary, full, path));
                try
                {
                    File.WriteAllBytes(temporary, bytes);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliException($"{path}: cannot write: {e.Message}");
                }
            }

            foreach ((string temporary, string full, string path) in pending)
            {
                try
                {
                    File.Move(temporary, full, overwrite: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliException($"{path}: cannot write: {e.Message}");
                }
            }
        }
        finally
        {
            foreach ((string temporary, _, _) in pending)
            {
                File.Delete(temporary);
            }
        }
    }

    private static string TemporaryFor(string path, string full)
    {
        string directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new CliException($"{path}: folder '{directory}' does not exist");
        }

        return Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }

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
