using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using QuantEdge.DeviceTest.Native;
using QuantEdge.DeviceTest.Running;
using Xunit.Abstractions;

namespace QuantEdge.Native.Tests;

/// <summary>
/// The interop stubs kept in src/QuantEdge.Native/interop against QuantEdge.Runtime.Interop as it builds now,
/// with the kit's MetadataProcessor (skipped without the kit, unless QUANTEDGE_REQUIRE_NANOCLR): a firmware
/// built from stale stubs refuses the assembly (checksum) or runs the wrong C body (the table is positional).
/// </summary>
public class StubTests(ITestOutputHelper output)
{
    [Fact]
    public void CheckedInStubsAreWhatTheAssemblyGenerates()
    {
        Kit? kit = Kit();
        if (kit == null)
        {
            return;
        }

        GeneratedStubs stubs = NativeStubs.Generate(Host.Root, kit);
        output.WriteLine($"checksum {stubs.Checksum}");
        Assert.Empty(NativeStubs.Problems(Host.Root, stubs));
        string table = File.ReadAllText(Path.Combine(Host.Root, NativeStubs.Folder, "QuantEdge_Runtime_Interop.cpp"));
        Assert.Contains($"    {stubs.Checksum},", table, StringComparison.Ordinal);
    }

    /// <summary>
    /// The kit README's trap: a managed type added to the interop assembly leaves the checksum as it was but shifts
    /// the methods in the firmware's table. The check compares the whole generated table, so it catches it.
    /// </summary>
    [Fact]
    public void AManagedTypeInTheInteropAssemblyMakesTheStubsStale()
    {
        Kit? kit = Kit();
        if (kit == null)
        {
            return;
        }

        string mscorlib = DotnetBuild.Property(Host.Root, NativeStubs.Project, "NanoMscorlibPath");
        string source = File.ReadAllText(Path.Combine(Host.Root, "src", "QuantEdge.Runtime.Interop", "NativeMethods.cs"));
        string info = File.ReadAllText(Path.Combine(Host.Root, "src", "QuantEdge.Runtime.Interop", "Properties", "AssemblyInfo.cs"));
        const string Helper = "namespace QuantEdge.Runtime.Interop { public sealed class Helper { public int Twice(int x) { return 2 * x; } } }";
        string scratch = Path.Combine(Host.Root, "artifacts", "native-tests", "trap");
        Directory.CreateDirectory(scratch);
        string plain = Compile(Path.Combine(scratch, "plain"), mscorlib, [Helper, source, info]);
        GeneratedStubs shifted = NativeStubs.GenerateFrom(kit, plain, mscorlib, Path.Combine(scratch, "stubs"));

        IReadOnlyList<string> problems = NativeStubs.Problems(Host.Root, shifted);
        output.WriteLine(string.Join("\n", problems));
        Assert.Contains(problems, p => p.Contains("QuantEdge_Runtime_Interop.cpp", StringComparison.Ordinal));
    }

    /// <summary>Compiles C# 10 sources against nanoFramework mscorlib as the assembly QuantEdge.Runtime.Interop; returns the .dll.</summary>
    private static string Compile(string folder, string mscorlib, string[] sources)
    {
        Directory.CreateDirectory(folder);
        CSharpCompilation compilation = CSharpCompilation.Create(NativeStubs.Assembly,
            sources.Select(s => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.CSharp10))),
            [MetadataReference.CreateFromFile(mscorlib)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        string path = Path.Combine(folder, NativeStubs.Assembly + ".dll");
        using (FileStream stream = File.Create(path))
        {
            var result = compilation.Emit(stream);
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        }

        return path;
    }

    /// <summary>The kit (../shared/nanoframework or $QUANTEDGE_NANO_KIT), or null with a line on the output.</summary>
    private Kit? Kit()
    {
        string? configured = Environment.GetEnvironmentVariable("QUANTEDGE_NANO_KIT");
        string folder = string.IsNullOrEmpty(configured) ? Path.GetFullPath(Path.Combine(Host.Root, "..", "shared", "nanoframework")) : configured;
        if (File.Exists(Path.Combine(folder, "mdp", "nanoFramework.Tools.MetadataProcessor.dll")))
        {
            return new Kit(folder);
        }

        Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("QUANTEDGE_REQUIRE_NANOCLR")),
            "QUANTEDGE_REQUIRE_NANOCLR is set but the nanoFramework kit is missing at " + folder);
        output.WriteLine("skipped: the nanoFramework toolchain kit (../shared/nanoframework or $QUANTEDGE_NANO_KIT) is absent");
        return null;
    }
}
