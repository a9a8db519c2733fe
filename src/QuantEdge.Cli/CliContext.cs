using QuantEdge.Compiler;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Onnx;

namespace QuantEdge.Cli;

/// <summary>A problem with the user's input found by the CLI itself; its message names the file.</summary>
public sealed class CliException(string message) : Exception(message);

/// <summary>Where a command writes, and whether a person is watching (progress bars) or a script is reading.</summary>
public sealed class CliContext(TextWriter stdout, TextWriter stderr, bool interactive, Func<Stream>? openStdout = null)
{
    public TextWriter Out { get; } = stdout;

    /// <summary>Standard output as bytes, for an output file given as "-" (after <see cref="Out"/> is flushed).</summary>
    public Stream OpenStdout() => openStdout?.Invoke() ?? throw new InvalidOperationException("no binary standard output in this context");

    public TextWriter Err { get; } = stderr;

    /// <summary>Stdout is a terminal: show progress bars.</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>Set (to anything): an internal error also prints its stack trace, for a bug report.</summary>
    public const string TraceVariable = "QUANTEDGE_TRACE";

    /// <summary>Writes one error line to stderr.</summary>
    public void Error(string message) =>
        Err.WriteLine("error: " + string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));

    /// <summary>
    /// Runs a command's work and maps failures to exit codes: bad input (CSV, ONNX, blob, arguments) is
    /// one line on stderr and exit 2; anything else is an internal error, exit 1.
    /// </summary>
    public int Execute(Action work)
    {
        try
        {
            work();
            return Program.Success;
        }
        catch (Exception e) when (e is CliException or InputFileException or OnnxImportException or LimitExceededException)
        {
            Error(e.Message);
            return Program.BadInput;
        }
        catch (Exception e)
        {
            Error($"internal error: {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable(TraceVariable) is { Length: > 0 })
            {
                Err.WriteLine(e.ToString());
            }

            return Program.InternalError;
        }
    }
}
