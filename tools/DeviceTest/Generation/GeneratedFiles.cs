using System.Text;

namespace QuantEdge.DeviceTest.Generation;

/// <summary>A file the generator writes, relative to the repository root.</summary>
public sealed record GeneratedFile(string RelativePath, byte[] Content);

/// <summary>
/// Everything the generator writes: the device tests' resources (fixed-point cases, CMSIS-NN
/// vectors, model blobs and their rows) with their Resources.resx and Resources.Designer.cs, and the
/// device benchmark's resx and Designer.cs, which embed the same model blobs. The staleness test
/// regenerates this list in memory and compares it with the committed files.
/// </summary>
public static class GeneratedFiles
{
    public const string TestsFolder = "tests/QuantEdge.DeviceTests";
    public const string TestsNamespace = "QuantEdge.DeviceTests";
    public const string BenchFolder = "bench/QuantEdge.DeviceBench";
    public const string BenchNamespace = "QuantEdge.DeviceBench";
    public const string Command = "dotnet run --project tools/DeviceTest -- generate";

    public static IReadOnlyList<GeneratedFile> All(string repositoryRoot)
    {
        string vectors = Path.Combine(repositoryRoot, "tests", "QuantEdge.Runtime.Tests", "Vectors", "cmsis-nn");
        var resources = new List<(string Name, string File, byte[] Content)>
        {
            ("FixedPointCases", "FixedPointCases.bin", FixedPointCases.Build()),
        };
        foreach (CmsisCases.Kind kind in CmsisCases.Kinds)
        {
            resources.Add((kind.Resource, kind.Resource + ".bin", CmsisCases.Build(vectors, kind)));
        }

        var benchModels = new List<(string Name, string File, byte[] Content)>();
        foreach (ModelCases.Case model in ModelCases.All(repositoryRoot))
        {
            var blob = (model.Name + "Blob", model.Name + ".qem", model.Blob);
            resources.Add(blob);
            resources.Add((model.Name + "Rows", model.Name + "Rows.bin", ModelCases.Rows(model)));
            benchModels.Add(blob);
        }

        var files = resources.Select(r => new GeneratedFile($"{TestsFolder}/Resources/{r.File}", r.Content)).ToList();
        files.Add(Text($"{TestsFolder}/Resources.resx", ResourceCode.Resx(resources.Select(r => (r.Name, $@"Resources\{r.File}")))));
        files.Add(Text($"{TestsFolder}/Resources.Designer.cs", ResourceCode.Designer(TestsNamespace, resources.Select(r => r.Name))));
        // The benchmark embeds the test models' blobs from the tests' folder, and the firmware's sample node
        // (its model and node.bin) from the firmware's, so that each exists once.
        (string Name, string Path)[] benchResources =
        [
            .. benchModels.Select(r => (r.Name, $@"..\..\{TestsFolder.Replace('/', '\\')}\Resources\{r.File}")),
            ("SampleNodeModel", @"..\..\src\QuantEdge.Firmware\Resources\model.qem"),
            ("SampleNodeConfig", @"..\..\src\QuantEdge.Firmware\Resources\node.bin"),
        ];
        files.Add(Text($"{BenchFolder}/Resources.resx", ResourceCode.Resx(benchResources)));
        files.Add(Text($"{BenchFolder}/Resources.Designer.cs", ResourceCode.Designer(BenchNamespace, benchResources.Select(r => r.Name))));
        return files;
    }

    /// <summary>Writes the files; returns the paths whose content changed.</summary>
    public static IReadOnlyList<string> Write(string repositoryRoot, IEnumerable<GeneratedFile> files)
    {
        var changed = new List<string>();
        foreach (GeneratedFile file in files)
        {
            string path = Path.Combine(repositoryRoot, file.RelativePath);
            if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(file.Content))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, file.Content);
            changed.Add(file.RelativePath);
        }

        return changed;
    }

    /// <summary>The generated files that are missing or differ from the committed ones.</summary>
    public static IReadOnlyList<string> Stale(string repositoryRoot, IEnumerable<GeneratedFile> files) =>
        files.Where(f =>
        {
            string path = Path.Combine(repositoryRoot, f.RelativePath);
            return !File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(f.Content);
        }).Select(f => f.RelativePath).ToList();

    private static GeneratedFile Text(string path, string text) => new(path, Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n")));
}
