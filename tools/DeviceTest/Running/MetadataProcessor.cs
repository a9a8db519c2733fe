namespace QuantEdge.DeviceTest.Running;

/// <summary>
/// Converts assemblies to .pe with the kit's MetadataProcessor. Its console tool can exit 0 after an
/// error and leave a missing or truncated .pe, so success is judged on its output: the ~18-line
/// banner ending in the line with "www.github.com", nothing after it, and a non-empty .pe.
/// </summary>
public static class MetadataProcessor
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Converts <paramref name="assembly"/> into <paramref name="outputFolder"/> with a -loadHints for
    /// every assembly in <paramref name="references"/>; returns the .pe path or throws with the tool's output.
    /// </summary>
    public static string Convert(Kit kit, DeviceAssembly assembly, IEnumerable<DeviceAssembly> references, string outputFolder)
    {
        Directory.CreateDirectory(outputFolder); // the tool crashes when it is missing
        string pe = Path.Combine(outputFolder, assembly.Name + ".pe");
        File.Delete(pe);
        var arguments = new List<string> { kit.MetadataProcessor };
        foreach (DeviceAssembly reference in references)
        {
            arguments.AddRange(["-loadHints", reference.Name, reference.Path]);
        }

        arguments.AddRange(["-parse", assembly.Path, "-compile", pe, "false"]);
        ProcessResult run = ProcessRunner.Run("dotnet", arguments, Timeout);
        string? problem = Problem(run, pe);
        if (problem != null)
        {
            throw new DeviceTestException($"MetadataProcessor failed on {assembly.Path}: {problem}\n{run.Output}");
        }

        return pe;
    }

    /// <summary>Why a conversion failed, or null when it succeeded.</summary>
    public static string? Problem(ProcessResult run, string pe)
    {
        if (run.TimedOut)
        {
            return "it did not finish";
        }

        if (run.ExitCode != 0)
        {
            return $"exit code {run.ExitCode}";
        }

        string? after = TextAfterBanner(run.Output);
        if (after == null)
        {
            return "its banner (the line with www.github.com) is missing";
        }

        if (after.Length > 0)
        {
            return "it printed after its banner: " + after;
        }

        if (!File.Exists(pe))
        {
            return "no .pe was written";
        }

        return new FileInfo(pe).Length == 0 ? "the .pe is empty" : null;
    }

    /// <summary>The trimmed text after the banner's last line, or null when there is no banner.</summary>
    public static string? TextAfterBanner(string output)
    {
        int marker = output.IndexOf("www.github.com", StringComparison.Ordinal);
        if (marker < 0)
        {
            return null;
        }

        int lineEnd = output.IndexOf('\n', marker);
        return lineEnd < 0 ? "" : output[(lineEnd + 1)..].Trim();
    }
}
