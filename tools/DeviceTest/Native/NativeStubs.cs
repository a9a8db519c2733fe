using QuantEdge.DeviceTest.Running;

namespace QuantEdge.DeviceTest.Native;

/// <summary>What one -generateSkeleton run of the MetadataProcessor gave: the stub files, the checksum, and the .pe it compiled.</summary>
public sealed record GeneratedStubs(IReadOnlyDictionary<string, string> Files, string Checksum, string Pe);

/// <summary>
/// The interop assembly's stubs (tools/native-stubs): src/QuantEdge.Native/interop keeps what the
/// MetadataProcessor generates from QuantEdge.Runtime.Interop's build, beside the bodies. The generated files
/// (the method table with its checksum, the marshalling, the declarations) must be the very ones the current
/// assembly gives, or a firmware built from them refuses the assembly (checksum) or, worse, runs the wrong body
/// for a method (the table is positional). The bodies file and the FindINTEROP module are ours and never
/// overwritten; the module must still list every source the generated one lists.
/// </summary>
public static class NativeStubs
{
    public const string Assembly = "QuantEdge.Runtime.Interop";

    public const string Project = "src/QuantEdge.Runtime.Interop/QuantEdge.Runtime.Interop.Nano.csproj";

    public const string Folder = "src/QuantEdge.Native/interop";

    public const string KernelsFolder = "src/QuantEdge.Native/kernels";

    /// <summary>The generated files kept as they are generated ("DO NOT EDIT", and the declarations the bodies implement).</summary>
    public static readonly string[] GeneratedFiles =
    [
        "QuantEdge_Runtime_Interop.h",
        "QuantEdge_Runtime_Interop.cpp",
        "QuantEdge_Runtime_Interop_QuantEdge_Runtime_Interop_NativeMethods.h",
        "QuantEdge_Runtime_Interop_QuantEdge_Runtime_Interop_NativeMethods_mshl.cpp",
    ];

    /// <summary>Ours: the bodies (generated empty) and the FindINTEROP module (generated, extended with the kernels).</summary>
    public const string Bodies = "QuantEdge_Runtime_Interop_QuantEdge_Runtime_Interop_NativeMethods.cpp";

    public const string FindModule = "FindINTEROP-QuantEdge.Runtime.Interop.cmake";

    /// <summary>Builds the interop assembly and generates its stubs into a scratch folder under artifacts/.</summary>
    public static GeneratedStubs Generate(string root, Kit kit)
    {
        BuiltProject built = DotnetBuild.Build(root, Project);
        return GenerateFrom(kit, built.Assembly, DotnetBuild.Property(root, Project, "NanoMscorlibPath"), Path.Combine(root, "artifacts", "native-stubs"));
    }

    /// <summary>The stubs of the interop assembly <paramref name="assembly"/>, generated in <paramref name="scratch"/> (emptied first).</summary>
    public static GeneratedStubs GenerateFrom(Kit kit, string assembly, string mscorlib, string scratch)
    {
        string stubs = Path.Combine(scratch, "stubs");
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }

        Directory.CreateDirectory(stubs);
        string pe = Path.Combine(scratch, Assembly + ".pe");
        string[] arguments = [kit.MetadataProcessor, "-loadHints", "mscorlib", mscorlib, "-parse", assembly, "-compile", pe, "false",
            "-generateSkeleton", stubs, Assembly, Assembly, "false"];
        ProcessResult run = ProcessRunner.Run("dotnet", arguments, TimeSpan.FromMinutes(5), scratch);
        string checksum = Checksum(run, pe) ?? throw new DeviceTestException($"MetadataProcessor -generateSkeleton failed on {assembly}:\n{run.Output}");
        var files = Directory.GetFiles(stubs).ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);
        return new GeneratedStubs(files, checksum, pe);
    }

    /// <summary>
    /// The checksum from a -generateSkeleton run, or null when it failed: after the banner it prints exactly the box
    /// with "Native declaration checksum: 0x...", nothing else, and writes a non-empty .pe.
    /// </summary>
    public static string? Checksum(ProcessResult run, string pe)
    {
        string? after = MetadataProcessor.TextAfterBanner(run.Output);
        if (run.ExitCode != 0 || after == null || !File.Exists(pe) || new FileInfo(pe).Length == 0)
        {
            return null;
        }

        string[] lines = after.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        const string Label = "+ Native declaration checksum: ";
        bool box = lines.Length == 3 && lines[0].Trim('+').Length == 0 && lines[2].Trim('+').Length == 0 && lines[1].StartsWith(Label, StringComparison.Ordinal);
        return box ? lines[1][Label.Length..].TrimEnd('+', ' ') : null;
    }

    /// <summary>
    /// How the checked-in stubs differ from <paramref name="generated"/> (empty when they agree): each generated
    /// file that differs or is missing, the bodies file missing, and each generated source the module does not list.
    /// </summary>
    public static IReadOnlyList<string> Problems(string root, GeneratedStubs generated)
    {
        var problems = new List<string>();
        string folder = Path.Combine(root, Folder);
        foreach (string name in GeneratedFiles)
        {
            string path = Path.Combine(folder, name);
            if (!generated.Files.TryGetValue(name, out string? fresh))
            {
                problems.Add($"the MetadataProcessor no longer generates {name}");
            }
            else if (!File.Exists(path) || File.ReadAllText(path) != fresh)
            {
                problems.Add($"{Folder}/{name} is not what {Assembly} generates now (checksum {generated.Checksum})");
            }
        }

        foreach (string name in generated.Files.Keys.Where(n => !GeneratedFiles.Contains(n) && n != Bodies && n != FindModule))
        {
            problems.Add($"the MetadataProcessor generates {name}, which {Folder} does not keep");
        }

        if (!File.Exists(Path.Combine(folder, Bodies)))
        {
            problems.Add($"{Folder}/{Bodies} (the native methods' bodies) is missing");
        }

        string module = File.Exists(Path.Combine(folder, FindModule)) ? File.ReadAllText(Path.Combine(folder, FindModule)) : "";
        foreach (string source in Sources(generated.Files.GetValueOrDefault(FindModule) ?? ""))
        {
            if (!module.Contains(source, StringComparison.Ordinal))
            {
                problems.Add($"{Folder}/{FindModule} does not list {source}, which the generated module lists");
            }
        }

        return problems;
    }

    /// <summary>Writes the generated files over the checked-in ones (never the bodies or the module); returns those that changed.</summary>
    public static IReadOnlyList<string> Write(string root, GeneratedStubs generated)
    {
        var changed = new List<string>();
        foreach (string name in GeneratedFiles)
        {
            string path = Path.Combine(root, Folder, name);
            string fresh = generated.Files[name];
            if (!File.Exists(path) || File.ReadAllText(path) != fresh)
            {
                File.WriteAllText(path, fresh);
                changed.Add($"{Folder}/{name}");
            }
        }

        return changed;
    }

    /// <summary>The source files a FindINTEROP module lists in its _SRCS set.</summary>
    public static IEnumerable<string> Sources(string module) =>
        module.Split(['\n', ' ', '\t', '\r', '(', ')'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.EndsWith(".cpp", StringComparison.Ordinal) || w.EndsWith(".c", StringComparison.Ordinal));
}
