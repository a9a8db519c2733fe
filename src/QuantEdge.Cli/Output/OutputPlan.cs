using System.Text;

namespace QuantEdge.Cli.Output;

/// <summary>
/// Every file one command writes, planned before it does any work and written together at the end: the one
/// place where the CLI decides whether an output may be written and how.
/// </summary>
/// <remarks>
/// <para>Planning an output (<see cref="File"/>, <see cref="Folder"/>) checks it at once and refuses it with
/// a <see cref="CliException"/> (exit 2) naming it: an empty path; a folder where a file is expected or a file
/// where a folder is; a folder that does not exist (<see cref="Folder"/> with <c>create</c> makes the last
/// one); a block device or socket; a folder the user may not write in (a probe file is made and removed); and
/// an output that is the same file as an input (<see cref="Input"/>) or as another output, however either is
/// spelled: relative, with "..", through symbolic links, or as a hard link (<see cref="FileFacts"/>).</para>
/// <para><see cref="Commit"/> then writes all of them or none: every regular file goes to a temporary file
/// beside its target first, and only when all are written are they renamed over their targets; a failure
/// removes the temporary files and the folders the plan made. A symbolic link is written through: its final
/// target is replaced and the link stays a link. A character device or FIFO (/dev/null, a pipe) is written
/// to directly, never renamed over. "-" is standard output where <c>stream</c> allows it.</para>
/// </remarks>
public sealed class OutputPlan
{
    public const string Stdout = "-";

    private readonly CliContext context;
    private readonly List<(string Path, string Identity)> inputs = [];
    private readonly List<PlannedOutput> outputs = [];
    private readonly List<PlannedFolder> folders = [];

    public OutputPlan(CliContext context) => this.context = context;

    /// <summary>True when one of the outputs is standard output: messages then go to stderr.</summary>
    public bool UsesStdout => outputs.Any(o => o.Mode == WriteMode.Stdout);

    /// <summary>Where a command prints what it did: stdout, or stderr when stdout carries an output.</summary>
    public TextWriter Messages => UsesStdout ? context.Err : context.Out;

    /// <summary>Files the command reads: no output may be one of them. Null entries (options not given) are skipped.</summary>
    public OutputPlan Input(params string?[] paths)
    {
        foreach (string? path in paths)
        {
            if (string.IsNullOrEmpty(path) || path.Contains('\0'))
            {
                continue;
            }

            string identity = IdentityOf(path);
            inputs.Add((path, identity));
            foreach (PlannedOutput output in outputs)
            {
                RefuseSame(output, identity, path);
            }
        }

        return this;
    }

    /// <summary>A file written by option <paramref name="option"/>; refused at once when it may not be written.</summary>
    /// <param name="stream">"-" means standard output.</param>
    /// <param name="overwrite">An existing file may be replaced (false: it is refused, naming <paramref name="force"/>).</param>
    public PlannedOutput File(string? path, string option, bool stream = false, bool overwrite = true, string? force = null)
    {
        CheckSpelling(path, option, folder: false);
        if (path == Stdout)
        {
            if (!stream)
            {
                throw new CliException($"{option} -: this output cannot go to standard output; give a file name");
            }

            return Add(new PlannedOutput(path, option, WriteMode.Stdout, Stdout, "stdout"));
        }

        return Add(Resolve(path!, option, overwrite, force, parent: null));
    }

    /// <summary>
    /// A folder that files are written into (<see cref="PlannedFolder.File"/>): it must be a folder; when it
    /// does not exist and <paramref name="create"/> allows, it is made at <see cref="Commit"/> (its parent must exist).
    /// </summary>
    public PlannedFolder Folder(string? path, string option, bool create) => Folder(path, option, create, parent: null);

    private PlannedFolder Folder(string? path, string option, bool create, PlannedFolder? parent)
    {
        CheckSpelling(path, option, folder: true);
        if (path == Stdout)
        {
            throw new CliException($"{option} -: this output is a folder of files; standard output cannot take it");
        }

        FileFacts.Facts facts = parent is { Exists: false } ? new FileFacts.Facts(FileKind.Missing, null) : FileFacts.Of(path!);
        switch (facts.Kind)
        {
            case FileKind.Directory:
                var existing = new PlannedFolder(this, path!, option, exists: true, facts.Identity!);
                folders.Add(existing);
                return existing;
            case FileKind.Missing:
                if (!create)
                {
                    throw new CliException($"{path}: folder does not exist ({option})");
                }

                string parentPath = ParentOf(path!);
                string parentIdentity;
                if (parent is not null)
                {
                    parentIdentity = parent.Identity;
                }
                else
                {
                    FileFacts.Facts up = FileFacts.Of(parentPath);
                    if (up.Kind != FileKind.Directory)
                    {
                        throw new CliException($"{path}: cannot make this folder ({option}): '{parentPath}' {(up.Kind == FileKind.Missing ? "does not exist" : "is not a folder")}");
                    }

                    parentIdentity = up.Identity!;
                }

                if (parent is null or { Exists: true })
                {
                    Probe(parentPath, path!, option);
                }

                var planned = new PlannedFolder(this, path!, option, exists: false, $"{parentIdentity}/{Key(Path.GetFileName(Path.TrimEndingDirectorySeparator(path!)))}")
                {
                    Parent = parent,
                };
                folders.Add(planned);
                return planned;
            default:
                throw new CliException($"{path}: is {Describe(facts.Kind)}, not a folder ({option} takes a folder)");
        }
    }

    /// <summary>Writes every output, all or none; see the class remarks.</summary>
    public void Commit()
    {
        var made = new List<string>();
        var temporaries = new List<(PlannedOutput Output, string Temporary)>();
        PlannedOutput? current = null;
        try
        {
            foreach (PlannedOutput output in outputs)
            {
                if (output.Content is null)
                {
                    throw new InvalidOperationException($"{output.Path}: planned but given no content");
                }
            }

            foreach (PlannedFolder folder in folders.Where(f => !f.Exists && outputs.Any(o => o.IsInside(f))))
            {
                current = null;
                Directory.CreateDirectory(folder.Path);
                made.Add(folder.Path);
            }

            foreach (PlannedOutput output in outputs.Where(o => o.Mode == WriteMode.Replace))
            {
                current = output;
                string temporary = TemporaryBeside(output.Target);
                temporaries.Add((output, temporary));
                using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write);
                stream.Write(output.Content);
            }

            foreach (PlannedOutput output in outputs.Where(o => o.Mode is WriteMode.Direct or WriteMode.Stdout))
            {
                current = output;
                if (output.Mode == WriteMode.Stdout)
                {
                    context.Out.Flush();
                    Stream stdout = context.OpenStdout();
                    stdout.Write(output.Content);
                    stdout.Flush();
                }
                else
                {
                    using var stream = new FileStream(output.Target, output.Truncate ? FileMode.Truncate : FileMode.Open, FileAccess.Write);
                    stream.Write(output.Content);
                }
            }

            foreach ((PlannedOutput output, string temporary) in temporaries)
            {
                current = output;
                System.IO.File.Move(temporary, output.Target, overwrite: true);
            }

            temporaries.Clear();
            made.Clear();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(current is null ? $"cannot write: {e.Message}" : $"{current.Path}: cannot write ({current.Option}): {e.Message}");
        }
        finally
        {
            foreach ((_, string temporary) in temporaries)
            {
                TryDelete(() => System.IO.File.Delete(temporary));
            }

            foreach (string folder in Enumerable.Reverse(made))
            {
                TryDelete(() => Directory.Delete(folder, recursive: true));
            }
        }
    }

    internal PlannedOutput FileIn(PlannedFolder folder, string relativePath, string option)
    {
        string path = Path.Combine(folder.Path, relativePath);
        if (!folder.Exists)
        {
            return Add(new PlannedOutput(path, option, WriteMode.Replace, path, $"{folder.Identity}/{Key(relativePath)}") { Folder = folder });
        }

        return Add(Resolve(path, option, overwrite: true, force: null, parent: folder) with { Folder = folder });
    }

    internal PlannedFolder FolderIn(PlannedFolder folder, string name, string option) =>
        Folder(Path.Combine(folder.Path, name), option, create: true, parent: folder);

    private PlannedOutput Add(PlannedOutput output)
    {
        foreach ((string path, string identity) in inputs)
        {
            RefuseSame(output, identity, path);
        }

        foreach (PlannedOutput other in outputs)
        {
            if (other.Identity == output.Identity)
            {
                throw new CliException(output.Mode == WriteMode.Stdout
                    ? $"{output.Option} - and {other.Option} -: both would go to standard output; give one of them a file name"
                    : $"{output.Path}: {output.Option} is the same file as {other.Option} ({other.Path}); give each output its own file");
            }
        }

        outputs.Add(output);
        return output;
    }

    private static void RefuseSame(PlannedOutput output, string inputIdentity, string inputPath)
    {
        if (output.Identity == inputIdentity)
        {
            throw new CliException($"{output.Path}: {output.Option} is the input file {inputPath}; refusing to overwrite it (choose another output)");
        }
    }

    private static void CheckSpelling(string? path, string option, bool folder)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CliException($"{option}: the path is empty");
        }

        if (path.Contains('\0'))
        {
            throw new CliException($"{option}: the path contains a NUL character");
        }

        if (!folder && path != Stdout && (Path.EndsInDirectorySeparator(path) || Path.GetFileName(path) is "." or ".."))
        {
            throw new CliException($"{path}: is a folder path; {option} takes a file name");
        }
    }

    /// <summary>How the file at <paramref name="path"/> will be written, and which file it is.</summary>
    private static PlannedOutput Resolve(string path, string option, bool overwrite, string? force, PlannedFolder? parent)
    {
        FileFacts.Facts facts = FileFacts.Of(path);
        switch (facts.Kind)
        {
            case FileKind.Regular:
                if (!overwrite)
                {
                    throw new CliException($"{path}: exists; choose another {option}{(force is null ? "" : $" or add {force} to overwrite it")}");
                }

                string target = path;
                if (FileFacts.IsSymbolicLink(path))
                {
                    // Written through: the link's final target is replaced; the link stays a link. A target that
                    // is not where the link chain ends (/dev/stdout → /proc/self/fd/1) is written in place.
                    string final = FileFacts.FinalTarget(path) ?? throw new CliException($"{path}: is a symbolic link that cannot be followed ({option})");
                    if (FileFacts.Of(final).Identity != facts.Identity)
                    {
                        return new PlannedOutput(path, option, WriteMode.Direct, path, facts.Identity!) { Truncate = true };
                    }

                    target = final;
                }

                Probe(ParentOf(target), path, option);
                return new PlannedOutput(path, option, WriteMode.Replace, target, facts.Identity!);
            case FileKind.Missing:
                string where = path;
                if (FileFacts.IsSymbolicLink(path))
                {
                    where = FileFacts.FinalTarget(path) ?? throw new CliException($"{path}: is a symbolic link that cannot be followed ({option})");
                }

                string folder = ParentOf(where);
                FileFacts.Facts up = parent is not null && where == path ? new FileFacts.Facts(FileKind.Directory, parent.Identity) : FileFacts.Of(folder);
                if (up.Kind != FileKind.Directory)
                {
                    throw new CliException(up.Kind == FileKind.Missing
                        ? $"{path}: folder '{folder}' does not exist ({option})"
                        : $"{path}: '{folder}' is not a folder ({option})");
                }

                Probe(folder, path, option);
                return new PlannedOutput(path, option, WriteMode.Replace, where, $"{up.Identity}/{Key(Path.GetFileName(where))}");
            case FileKind.Directory:
                throw new CliException($"{path}: is a folder; {option} takes a file name");
            case FileKind.CharacterDevice or FileKind.Fifo:
                return new PlannedOutput(path, option, WriteMode.Direct, path, facts.Identity!);
            default:
                throw new CliException($"{path}: is {Describe(facts.Kind)}; refusing to write to it ({option})");
        }
    }

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.Regular => "a file",
        FileKind.Directory => "a folder",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Fifo => "a FIFO",
        FileKind.Socket => "a socket",
        FileKind.LinkLoop => "a loop of symbolic links",
        _ => "not a regular file",
    };

    private static string IdentityOf(string path)
    {
        FileFacts.Facts facts = FileFacts.Of(path);
        if (facts.Identity is not null)
        {
            return facts.Identity;
        }

        string folder = ParentOf(path);
        return FileFacts.Of(folder).Identity is { } up ? $"{up}/{Key(Path.GetFileName(path))}" : "missing:" + Path.GetFullPath(path);
    }

    private static string Key(string name) => FileFacts.NameComparison == StringComparison.Ordinal ? name : name.ToUpperInvariant();

    private static string ParentOf(string path)
    {
        string full = Path.GetFullPath(Path.TrimEndingDirectorySeparator(path));
        return Path.GetDirectoryName(full) ?? full;
    }

    /// <summary>Checks up front that files can be made in <paramref name="folder"/>: a probe file is made and removed.</summary>
    private static void Probe(string folder, string path, string option)
    {
        string probe = TemporaryBeside(Path.Combine(folder, Path.GetFileName(Path.TrimEndingDirectorySeparator(path))));
        try
        {
            new FileStream(probe, FileMode.CreateNew, FileAccess.Write).Dispose();
            System.IO.File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot write in folder '{folder}' ({option}): {e.Message}");
        }
    }

    private static string TemporaryBeside(string target) =>
        Path.Combine(ParentOf(target), $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");

    private static void TryDelete(Action delete)
    {
        try
        {
            delete();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the original failure is what the user needs to hear about.
        }
    }

    internal enum WriteMode
    {
        /// <summary>A temporary file beside the target, renamed over it.</summary>
        Replace,

        /// <summary>Opened and written in place: a device, a FIFO, a magic link.</summary>
        Direct,

        Stdout,
    }
}

/// <summary>One planned output file; give it its content, then <see cref="OutputPlan.Commit"/> the plan.</summary>
public sealed record PlannedOutput
{
    internal PlannedOutput(string path, string option, OutputPlan.WriteMode mode, string target, string identity)
    {
        Path = path;
        Option = option;
        Mode = mode;
        Target = target;
        Identity = identity;
    }

    /// <summary>The path as the user gave it (for messages).</summary>
    public string Path { get; }

    public string Option { get; }

    internal OutputPlan.WriteMode Mode { get; }

    /// <summary>The file actually replaced or written (a symbolic link's final target).</summary>
    internal string Target { get; }

    internal string Identity { get; }

    internal PlannedFolder? Folder { get; init; }

    /// <summary>A regular file written in place is emptied first (a device or FIFO cannot be).</summary>
    internal bool Truncate { get; init; }

    internal byte[]? Content { get; private set; }

    public bool IsStdout => Mode == OutputPlan.WriteMode.Stdout;

    /// <summary>How a "wrote ..." line names it.</summary>
    public string Shown => IsStdout ? "standard output" : Path;

    public void Set(byte[] bytes) => Content = bytes;

    public void SetText(string text) => Content = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);

    internal bool IsInside(PlannedFolder folder)
    {
        for (PlannedFolder? f = Folder; f is not null; f = f.Parent)
        {
            if (ReferenceEquals(f, folder))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A planned folder: an existing one, or one <see cref="OutputPlan.Commit"/> makes.</summary>
public sealed class PlannedFolder
{
    private readonly OutputPlan plan;

    internal PlannedFolder(OutputPlan plan, string path, string option, bool exists, string identity)
    {
        this.plan = plan;
        Path = path;
        Option = option;
        Exists = exists;
        Identity = identity;
    }

    public string Path { get; }

    public string Option { get; }

    /// <summary>False when the plan makes it.</summary>
    public bool Exists { get; }

    internal string Identity { get; }

    internal PlannedFolder? Parent { get; init; }

    /// <summary>A file in this folder (<paramref name="relativePath"/> may not leave it).</summary>
    public PlannedOutput File(string name) => plan.FileIn(this, name, Option);

    /// <summary>A folder inside this one, made at commit when it does not exist.</summary>
    public PlannedFolder Folder(string name) => plan.FolderIn(this, name, Option);
}
