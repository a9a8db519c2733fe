namespace QuantEdge.DeviceTest.Running;

/// <summary>
/// Runs .pe files on the kit's nanoCLR. Its exit code says almost nothing (0 after an uncaught
/// exception, a link failure or a crash-free early stop), so callers judge the run by what it
/// printed; a non-zero exit code (a crash such as SIGSEGV) or a timeout is always a failure.
/// </summary>
public static class NanoClr
{
    /// <summary>The line the interpreter prints before the program's own output.</summary>
    public const string Ready = "Ready.";

    /// <summary>The line the interpreter prints when the program returned.</summary>
    public const string Done = "Done.";

    public static ProcessResult Run(Kit kit, IEnumerable<string> peFiles, TimeSpan timeout, string logPath)
    {
        ProcessResult run = ProcessRunner.Run(kit.NanoClr, peFiles, timeout);
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        File.WriteAllText(logPath, run.Output);
        return run;
    }

    /// <summary>The program's own lines: those between <see cref="Ready"/> and <see cref="Done"/> (or the end).</summary>
    public static IReadOnlyList<string> ProgramLines(string output)
    {
        string[] lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        int ready = Array.IndexOf(lines, Ready);
        if (ready < 0)
        {
            return [];
        }

        int done = Array.IndexOf(lines, Done, ready + 1);
        return lines[(ready + 1)..(done < 0 ? lines.Length : done)];
    }

    /// <summary>Why a run did not end normally, or null when it printed <see cref="Done"/> and exited 0.</summary>
    public static string? AbnormalEnd(ProcessResult run)
    {
        if (run.TimedOut)
        {
            return "the interpreter did not finish in time and was killed";
        }

        if (run.ExitCode != 0)
        {
            return $"the interpreter exited with code {run.ExitCode} (a crash)";
        }

        string[] lines = run.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        if (!lines.Contains(Ready))
        {
            return "the program never started (no \"Ready.\": see the log for a load or link error)";
        }

        return lines.Contains(Done) ? null : "the program stopped before \"Done.\" (an uncaught exception or an abort)";
    }
}
