using System.Reflection;
using System.Resources;
using System.Runtime.Loader;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using QuantEdge.Compiler.Deployment;
using Xunit.Abstractions;

namespace QuantEdge.Cli.Tests;

/// <summary>
/// <c>export --resx</c>: the folder it writes is what a nanoFramework project needs to embed the model and node.bin,
/// checked with the tools that consume it: XML parsing, Roslyn against the nanoFramework mscorlib, MSBuild's resx
/// reader in a real build, and, with the toolchain kit, the MetadataProcessor and the nanoCLR reading the resources back.
/// </summary>
[Collection(IrisCollection.Name)]
public sealed class ExportResourcesTests(IrisArtifacts iris, ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>Exports the iris model and a node.bin for it into a new folder; returns the folder and the node bytes.</summary>
    private (string Folder, byte[] Node) Export(string? ns = null)
    {
        string project = Directory.CreateDirectory(folder.File("project")).FullName;
        byte[] node = NodeBin.Create(inputs: 4);
        string nodePath = folder.Write("node.bin", node);
        string[] nsArgs = ns is null ? [] : ["--namespace", ns];
        CliResult result = Cli.Ok(["export", iris.Blob, "--node", nodePath, "--resx", project, .. nsArgs]);
        Assert.Contains($"wrote {Path.Combine(project, "Resources.Designer.cs")} (namespace {ns ?? "QuantEdge.Firmware"}: " +
            "BinaryResources.model = -2404, BinaryResources.node = -30253)", result.Out);
        return (project, node);
    }

    [Fact]
    public void WritesTheResxTheDesignerAndCopiesOfTheInputs()
    {
        (string project, byte[] node) = Export();
        Assert.Equal(["Resources.Designer.cs", "Resources.resx", "Resources/model.qem", "Resources/node.bin"],
            Directory.GetFiles(project, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(project, f).Replace('\\', '/')).Order());
        Assert.Equal(File.ReadAllBytes(iris.Blob), File.ReadAllBytes(Path.Combine(project, "Resources", "model.qem")));
        Assert.Equal(node, File.ReadAllBytes(Path.Combine(project, "Resources", "node.bin")));

        XDocument resx = XDocument.Load(Path.Combine(project, "Resources.resx"));
        var references = resx.Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => d.Element("value")!.Value.Split(';')[0]);
        Assert.Equal(new Dictionary<string, string> { ["model"] = @"Resources\model.qem", ["node"] = @"Resources\node.bin" }, references);

        // The input stays as it was.
        Assert.Equal(File.ReadAllBytes(iris.Blob), File.ReadAllBytes(Path.Combine(project, "Resources", "model.qem")));
    }

    /// <summary>
    /// The Designer.cs compiles against the nanoFramework mscorlib and nanoFramework.ResourceManager — the kit's real
    /// assembly when the kit is there, else a stub with the two members it uses — with no warning, and its enum values
    /// are the ids the MetadataProcessor will give the resources.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("Sensors.Greenhouse")]
    public void TheDesignerCompilesForNanoFrameworkWithTheHashedIds(string? ns)
    {
        (string project, _) = Export(ns);
        string designer = File.ReadAllText(Path.Combine(project, "Resources.Designer.cs"));
        var references = new List<MetadataReference> { MetadataReference.CreateFromFile(Repository.NanoMscorlib) };
        var sources = new List<SyntaxTree> { Parse(designer, "Resources.Designer.cs") };
        if (Repository.NanoKit is { } kit)
        {
            references.Add(MetadataReference.CreateFromFile(Path.Combine(kit, "lib", "nanoFramework.ResourceManager.dll")));
        }
        else
        {
            output.WriteLine("toolchain kit absent: compiling against a stub of nanoFramework.ResourceManager");
            sources.Add(Parse(ResourceManagerStub, "Stub.cs"));
        }

        CSharpCompilation compilation = CSharpCompilation.Create("QuantEdge.Firmware", sources, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success && emitted.Diagnostics.IsEmpty, string.Join("\n", emitted.Diagnostics));

        INamedTypeSymbol ids = compilation.GetTypeByMetadataName($"{ns ?? "QuantEdge.Firmware"}.Resources+BinaryResources")!;
        Assert.Equal(SpecialType.System_Int16, ids.EnumUnderlyingType!.SpecialType);
        var values = ids.GetMembers().OfType<IFieldSymbol>().ToDictionary(f => f.Name, f => (short)f.ConstantValue!);
        Assert.Equal(new Dictionary<string, short> { ["model"] = NanoResourceId.FromName("model"), ["node"] = NanoResourceId.FromName("node") }, values);
    }

    private static SyntaxTree Parse(string source, string path) =>
        CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp10), path);

    /// <summary>The two members of nanoFramework.ResourceManager the Designer.cs calls, as declared there.</summary>
    private const string ResourceManagerStub = """
        namespace System.Resources
        {
            public class ResourceManager
            {
                public ResourceManager(string baseName, System.Reflection.Assembly assembly) { }
            }
        }
        namespace nanoFramework.Runtime.Native
        {
            public static class ResourceUtility
            {
                public static object GetObject(System.Resources.ResourceManager rm, System.Enum id) { return null; }
            }
        }
        """;

    /// <summary>
    /// A real 'dotnet build' reads the .resx with MSBuild's resx reader, follows the file references and embeds
    /// "NS.Resources.resources" with the model and node.bin as byte arrays — the .resources the MetadataProcessor
    /// turns into nanoFramework resources.
    /// </summary>
    [Fact]
    public void MSBuildEmbedsTheReferencedFilesAsByteArrays()
    {
        (string project, byte[] node) = Export();
        File.WriteAllText(Path.Combine(project, "Resources.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>netstandard2.0</TargetFramework>
                <RootNamespace>QuantEdge.Firmware</RootNamespace>
                <EnableDefaultItems>false</EnableDefaultItems>
                <GenerateDocumentationFile>false</GenerateDocumentationFile>
              </PropertyGroup>
              <ItemGroup>
                <EmbeddedResource Include="Resources.resx" />
              </ItemGroup>
            </Project>
            """);
        string dll = Build(project, "Resources.csproj", Path.Combine("bin", "Release", "netstandard2.0", "Resources.dll"));

        var context = new AssemblyLoadContext("resources", isCollectible: true);
        try
        {
            using var stream = new MemoryStream(File.ReadAllBytes(dll));
            Assembly assembly = context.LoadFromStream(stream);
            Assert.Equal(["QuantEdge.Firmware.Resources.resources"], assembly.GetManifestResourceNames());
            using var reader = new ResourceReader(assembly.GetManifestResourceStream("QuantEdge.Firmware.Resources.resources")!);
            var entries = new Dictionary<string, object?>();
            var enumerator = reader.GetEnumerator();
            while (enumerator.MoveNext())
            {
                entries.Add((string)enumerator.Key, enumerator.Value);
            }

            Assert.Equal(["model", "node"], entries.Keys.Order());
            Assert.Equal(File.ReadAllBytes(iris.Blob), Assert.IsType<byte[]>(entries["model"]));
            Assert.Equal(node, Assert.IsType<byte[]>(entries["node"]));
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>
    /// The whole path on the real toolchain: the exported folder plus a Main that reads both resources with the
    /// generated <c>Resources.GetBytes</c>, built as the firmware is (build/Nano.props), converted by the real
    /// MetadataProcessor and run on the nanoCLR, prints the same lengths and checksums as the input files.
    /// </summary>
    [Fact]
    public void TheNanoClrReadsBothResourcesBackBitForBit()
    {
        if (Repository.NanoKit is not { } kit)
        {
            Assert.False(Repository.NanoKitRequired, "QUANTEDGE_REQUIRE_NANOCLR is set but the nanoFramework toolchain kit is absent");
            output.WriteLine("skipped: the nanoFramework toolchain kit (../shared/nanoframework or $QUANTEDGE_NANO_KIT) is absent");
            return;
        }

        (string project, byte[] node) = Export();
        File.WriteAllText(Path.Combine(project, "QuantEdge.Firmware.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <NanoCoreLibraryVersion>1.17.11</NanoCoreLibraryVersion>
                <NanoKitDir>{kit}/</NanoKitDir>
                <OutputType>Exe</OutputType>
                <AssemblyName>QuantEdge.Firmware</AssemblyName>
                <RootNamespace>QuantEdge.Firmware</RootNamespace>
              </PropertyGroup>
              <Import Project="{Path.Combine(Repository.Root, "build", "Nano.props")}" />
              <ItemGroup>
                <Compile Include="Program.cs;Resources.Designer.cs" />
                <EmbeddedResource Include="Resources.resx" />
                <Reference Include="nanoFramework.ResourceManager">
                  <HintPath>$(NanoKitLib)nanoFramework.ResourceManager.dll</HintPath>
                  <Private>false</Private>
                </Reference>
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            namespace QuantEdge.Firmware
            {
                public static class Program
                {
                    public static void Main()
                    {
                        Print("model", Resources.GetBytes(Resources.BinaryResources.model));
                        Print("node", Resources.GetBytes(Resources.BinaryResources.node));
                        System.Console.WriteLine("resources read");
                    }

                    private static void Print(string name, byte[] bytes)
                    {
                        uint sum = 0;
                        for (int i = 0; i < bytes.Length; i++)
                        {
                            sum = sum * 31 + bytes[i];
                        }

                        System.Console.WriteLine(name + " " + bytes.Length + " " + sum);
                    }
                }
            }
            """);
        string dll = Build(project, "QuantEdge.Firmware.csproj", Path.Combine("bin", "Release", "netstandard2.0", "QuantEdge.Firmware.dll"));

        string corelib = Path.GetDirectoryName(Repository.NanoMscorlib)!;
        string nugetCorelib = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"), "nanoframework.corelibrary", "1.17.11", "lib");
        string pe = Directory.CreateDirectory(Path.Combine(project, "pe")).FullName;
        ProcessResult convert = Processes.Run("dotnet", [Path.Combine(kit, "mdp", "nanoFramework.Tools.MetadataProcessor.dll"),
            "-loadHints", "mscorlib", Path.Combine(corelib, "mscorlib.dll"),
            "-loadHints", "nanoFramework.ResourceManager", Path.Combine(kit, "lib", "nanoFramework.ResourceManager.dll"),
            "-parse", dll, "-compile", Path.Combine(pe, "QuantEdge.Firmware.pe"), "false"], project);
        // The MetadataProcessor can exit 0 after an error: its banner's last line must be the last thing it prints.
        Assert.True(convert.Exit == 0 && convert.Out.TrimEnd().EndsWith("www.github.com\\nanoFramework", StringComparison.Ordinal), convert.ToString());

        ProcessResult run = Processes.Run(Path.Combine(kit, "nanoclr", "bin", "nanoFramework.nanoCLR.test"),
            [Path.Combine(nugetCorelib, "mscorlib.pe"), Path.Combine(kit, "lib", "nanoFramework.ResourceManager.pe"), Path.Combine(pe, "QuantEdge.Firmware.pe")],
            project, timeoutSeconds: 60);
        string[] lines = run.Out.Split('\n', StringSplitOptions.TrimEntries);
        Assert.True(lines.Contains("resources read"), run.ToString());
        Assert.Contains(Expected("model", File.ReadAllBytes(iris.Blob)), lines);
        Assert.Contains(Expected("node", node), lines);

        static string Expected(string name, byte[] bytes)
        {
            uint sum = 0;
            foreach (byte b in bytes)
            {
                sum = unchecked(sum * 31 + b);
            }

            return $"{name} {bytes.Length} {sum}";
        }
    }

    /// <summary>Builds a project in Release with no build server left behind; returns the built file.</summary>
    private static string Build(string folder, string projectFile, string builtFile)
    {
        ProcessResult build = Processes.Run("dotnet", ["build", projectFile, "-c", "Release", "-nologo", "-nodeReuse:false",
            "-p:UseSharedCompilation=false", "-p:TreatWarningsAsErrors=true"], folder);
        Assert.True(build.Exit == 0, build.ToString());
        string built = Path.Combine(folder, builtFile);
        Assert.True(File.Exists(built), $"{built} was not built\n{build}");
        return built;
    }
}
