using System.Text;
using QuantEdge.Compiler.Deployment;

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
        var resources = new List<BinaryResource> { new("FixedPointCases", "FixedPointCases.bin", FixedPointCases.Build()) };
        foreach (CmsisCases.Kind kind in CmsisCases.Kinds)
        {
            resources.Add(new BinaryResource(kind.Resource, kind.Resource + ".bin", CmsisCases.Build(vectors, kind)));
        }

        // The benchmark embeds the test models' blobs from the tests' folder, and the firmware's sample node
        // (its model and node.bin) from the firmware's, so that each exists once.
        string testsResources = $@"..\..\{TestsFolder.Replace('/', '\\')}\{ResxWriter.ResourcesFolder}\";
        var benchResources = new List<BinaryResource>();
        foreach (ModelCases.Case model in ModelCases.All(repositoryRoot))
        {
            var blob = new BinaryResource(model.Name + "Blob", model.Name + ".qem", model.Blob);
            resources.Add(blob);
            resources.Add(new BinaryResource(model.Name + "Rows", model.Name + "Rows.bin", ModelCases.Rows(model)));
            benchResources.Add(blob with { ResxPath = testsResources + blob.FileName });
        }

        benchResources.Add(new BinaryResource("SampleNodeModel", "model.qem", []) { ResxPath = @"..\..\src\QuantEdge.Firmware\Resources\model.qem" });
        benchResources.Add(new BinaryResource("SampleNodeConfig", "node.bin", []) { ResxPath = @"..\..\src\QuantEdge.Firmware\Resources\node.bin" });
        var sklearn = new BinaryResource(SklearnModels.Resource, SklearnModels.Resource + ".bin", SklearnModels.Pack(repositoryRoot));
        benchResources.Add(sklearn);

        var files = resources.Select(r => new GeneratedFile($"{TestsFolder}/{ResxWriter.ResourcesFolder}/{r.FileName}", r.Bytes)).ToList();
        files.Add(Text($"{TestsFolder}/{ResxWriter.ResxFileName}", ResxWriter.Resx(resources)));
        files.Add(Text($"{TestsFolder}/{ResxWriter.DesignerFileName}", ResxWriter.Designer(TestsNamespace, resources)));
        files.Add(new GeneratedFile($"{BenchFolder}/{ResxWriter.ResourcesFolder}/{sklearn.FileName}", sklearn.Bytes));
        files.Add(Text($"{BenchFolder}/{ResxWriter.ResxFileName}", ResxWriter.Resx(benchResources)));
        files.Add(Text($"{BenchFolder}/{ResxWriter.DesignerFileName}", ResxWriter.Designer(BenchNamespace, benchResources)));
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
