using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;
using System.Text;
using QuantEdge.NfCheck;

namespace QuantEdge.NfCheck.Tests;

/// <summary>Compiles snippets as the device runtime is compiled (against nanoFramework mscorlib, Release) and checks them.</summary>
internal static class Nano
{
    public static readonly string MscorlibPath = Path.Combine(AppContext.BaseDirectory, "nano", "mscorlib.dll");

    public static readonly NanoCorlib Corlib = NanoCorlib.Load(MscorlibPath);

    private static readonly MetadataReference NanoMscorlib = MetadataReference.CreateFromFile(MscorlibPath);

    /// <summary>The assembly and its portable PDB, compiled against <paramref name="references"/> (null: nanoFramework mscorlib only).</summary>
    public static (byte[] Image, byte[] Pdb) Compile(string source, LanguageVersion language = LanguageVersion.CSharp10,
        string assemblyName = "QuantEdge.Runtime", MetadataReference[]? references = null)
    {
        CSharpCompilation compilation = CSharpCompilation.Create(assemblyName,
            new[] { CSharpSyntaxTree.ParseText(SourceText.From(source, Encoding.UTF8), new CSharpParseOptions(language), "Snippet.cs") },
            references ?? new[] { NanoMscorlib },
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                allowUnsafe: true));
        using MemoryStream image = new();
        using MemoryStream pdb = new();
        EmitResult result = compilation.Emit(image, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return (image.ToArray(), pdb.ToArray());
    }

    public static MetadataReference Reference(byte[] image) => MetadataReference.CreateFromImage(image);

    public static CheckResult Check(string source, LanguageVersion language = LanguageVersion.CSharp10, params string[] roots)
    {
        (byte[] image, _) = Compile(source, language);
        using ModuleImage module = ModuleImage.FromBytes(image);
        return Checks.Run(module, Corlib, roots.Length == 0 ? null : roots);
    }

    public static CheckResult Check(byte[] image)
    {
        using ModuleImage module = ModuleImage.FromBytes(image);
        return Checks.Run(module, Corlib);
    }

    /// <summary>Violations of one rule, as "Location: Message" lines.</summary>
    public static List<string> Of(this CheckResult result, Rule rule) =>
        result.Violations.Where(v => v.Rule == rule).Select(v => v.Location + ": " + v.Message).ToList();

    /// <summary>Asserts one finding is present; on failure lists all of them.</summary>
    public static void AssertHas(this List<string> found, string expected) =>
        Assert.True(found.Contains(expected), $"missing: {expected}\nfound:\n{string.Join("\n", found)}");

    /// <summary>Fails with every violation listed unless the check found none.</summary>
    public static void AssertClean(CheckResult result) =>
        Assert.True(result.Violations.Count == 0, string.Join("\n", result.Violations));

    /// <summary>
    /// An interpreter entry point that reaches the snippet's kernels, so the default root exists.
    /// </summary>
    public const string Model = """
        namespace QuantEdge.Runtime
        {
            public sealed class Model
            {
                public void Invoke(sbyte[] arena) { Kernels.Add.Eval(arena, 0, 1); }
            }
        }
        namespace QuantEdge.Runtime.Kernels
        {
            public static class Add
            {
                public static void Eval(sbyte[] arena, int inputOffset, int outputOffset)
                {
                    for (int i = 0; i < 4; i++) { arena[outputOffset + i] = (sbyte)(arena[inputOffset + i] + 1); }
                }
            }
        }
        """;
}
