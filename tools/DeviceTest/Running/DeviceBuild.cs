using System.Diagnostics;

namespace QuantEdge.DeviceTest.Running;

/// <summary>
/// A device app ready to run: the project built, every assembly it needs converted to .pe (the
/// kit's and NuGet's mscorlib already are), in the order the nanoCLR must load them.
/// </summary>
public sealed record DeviceApp(BuiltProject Project, DeviceAssembly Assembly, IReadOnlyList<string> PeFiles);

/// <summary>Builds a device project and converts it and its dependencies with the MetadataProcessor.</summary>
public static class DeviceBuild
{
    /// <summary>
    /// Builds <paramref name="project"/>, then converts, dependencies first, every assembly that the
    /// app and <paramref name="extraRoots"/> (assemblies it needs at run time without referencing them,
    /// such as the test launcher) need, into <paramref name="outputFolder"/>.
    /// </summary>
    public static DeviceApp Prepare(string root, Kit kit, string project, string[] extraRoots, string outputFolder)
    {
        var clock = Stopwatch.StartNew();
        BuiltProject built = DotnetBuild.Build(root, project);
        string mscorlib = DotnetBuild.Property(root, project, "NanoMscorlibPath");
        var known = new List<string> { built.Assembly, mscorlib };
        known.AddRange(built.References);
        known.AddRange(Directory.GetFiles(kit.Lib, "*.dll"));
        DeviceAssembly app = DeviceAssembly.Read(built.Assembly);
        IReadOnlyList<DeviceAssembly> order = AssemblyClosure.LoadOrder([.. extraRoots, app.Name], known);

        var peFiles = new List<string>();
        foreach (DeviceAssembly assembly in order)
        {
            string shipped = Path.ChangeExtension(assembly.Path, ".pe");
            bool prebuilt = IsUnder(assembly.Path, kit.Lib) || Path.GetFullPath(assembly.Path) == Path.GetFullPath(mscorlib);
            if (prebuilt)
            {
                if (!File.Exists(shipped))
                {
                    throw new DeviceTestException($"{assembly.Path} has no .pe beside it");
                }

                peFiles.Add(shipped);
                continue;
            }

            IEnumerable<DeviceAssembly> references = AssemblyClosure.LoadOrder([assembly.Name], known).Where(a => a.Name != assembly.Name);
            peFiles.Add(MetadataProcessor.Convert(kit, assembly, references, outputFolder));
        }

        Console.WriteLine($"device-test: built {Path.GetFileName(project)} and converted {peFiles.Count(p => IsUnder(p, outputFolder))} assemblies " +
            $"in {clock.Elapsed.TotalSeconds:F1} s; load order: {string.Join(" ", peFiles.Select(Path.GetFileName))}");
        return new DeviceApp(built, app, peFiles);
    }

    private static bool IsUnder(string path, string folder) =>
        Path.GetFullPath(path).StartsWith(Path.GetFullPath(folder).TrimEnd('/') + "/", StringComparison.Ordinal);
}
