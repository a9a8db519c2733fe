using System.Text.Json;

namespace QuantEdge.DeviceTest.Running;

/// <summary>A built device project: its assembly and every assembly it was compiled against.</summary>
public sealed record BuiltProject(string Project, string Assembly, IReadOnlyList<string> References);

/// <summary>`dotnet build` and `dotnet msbuild` queries on the device projects (Release, as CI checks them).</summary>
public static class DotnetBuild
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>Builds <paramref name="project"/>; throws with the build's output when it fails.</summary>
    public static BuiltProject Build(string root, string project)
    {
        JsonElement result = Query(root, project, ["build", project, "-c", "Release", "-t:Build", "-getProperty:TargetPath", "-getItem:ReferencePath"], "build");
        string assembly = result.GetProperty("Properties").GetProperty("TargetPath").GetString()!;
        string[] references = result.GetProperty("Items").GetProperty("ReferencePath").EnumerateArray()
            .Select(item => item.GetProperty("FullPath").GetString()!).ToArray();
        return new BuiltProject(project, assembly, references);
    }

    /// <summary>One evaluated property of a project.</summary>
    public static string Property(string root, string project, string name)
    {
        var arguments = new[] { "msbuild", project, "-p:Configuration=Release", "-getProperty:" + name };
        ProcessResult run = ProcessRunner.Run("dotnet", arguments, Timeout, root);
        if (run.ExitCode != 0)
        {
            throw new DeviceTestException($"could not read {name} from {project}:\n{run.Output}");
        }

        return run.StandardOutput.Trim();
    }

    /// <summary>Full paths of a project's items of each of <paramref name="itemTypes"/> (Compile, EmbeddedResource), as evaluated, sorted.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Items(string root, string project, params string[] itemTypes)
    {
        string[] arguments = ["msbuild", project, "-p:Configuration=Release", .. itemTypes.Select(t => "-getItem:" + t)];
        JsonElement items = Query(root, project, arguments, "evaluation").GetProperty("Items");
        return itemTypes.ToDictionary(t => t, t => (IReadOnlyList<string>)(items.TryGetProperty(t, out JsonElement list)
            ? list.EnumerateArray().Select(item => item.GetProperty("FullPath").GetString()!).Order(StringComparer.Ordinal).ToList()
            : []));
    }

    private static JsonElement Query(string root, string project, string[] arguments, string what)
    {
        ProcessResult run = ProcessRunner.Run("dotnet", arguments, Timeout, root);
        int json = run.StandardOutput.IndexOf('{');
        if (run.ExitCode != 0 || json < 0)
        {
            throw new DeviceTestException($"{what} of {project} failed:\n{run.Output}");
        }

        // MSBuild prints the JSON last; anything before it (restore messages) is not part of it.
        using JsonDocument document = JsonDocument.Parse(run.StandardOutput[json..]);
        return document.RootElement.Clone();
    }
}

/// <summary>A setup or tool failure that stops a device-test run (exit code 2), as opposed to failing tests.</summary>
public sealed class DeviceTestException(string message) : Exception(message);
