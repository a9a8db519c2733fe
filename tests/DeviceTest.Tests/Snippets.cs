using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace QuantEdge.DeviceTest.Tests;

/// <summary>Small assemblies compiled on the fly, written to a temporary folder, for the metadata readers.</summary>
internal sealed class Snippets : IDisposable
{
    private static readonly MetadataReference Corlib = MetadataReference.CreateFromFile(typeof(object).Assembly.Location);
    private readonly Dictionary<string, MetadataReference> compiled = new();

    public string Folder { get; } = Directory.CreateTempSubdirectory("devicetest-").FullName;

    /// <summary>Compiles <paramref name="source"/> as assembly <paramref name="name"/> against earlier snippets; returns its path.</summary>
    public string Compile(string name, string source, params string[] references)
    {
        CSharpCompilation compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(source)],
            [Corlib, .. references.Select(r => compiled[r])], new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        string path = Path.Combine(Folder, name + ".dll");
        var result = compilation.Emit(path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        compiled[name] = MetadataReference.CreateFromFile(path);
        return path;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
