using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace QuantEdge.NfCheck;

/// <summary>An assembly read into memory, with its portable PDB when one is available.</summary>
public sealed class ModuleImage : IDisposable
{
    private readonly PEReader _pe;
    private readonly MetadataReaderProvider? _pdb;

    private ModuleImage(ImmutableArray<byte> image, ImmutableArray<byte>? pdb)
    {
        _pe = new PEReader(image);
        if (!_pe.HasMetadata)
        {
            _pe.Dispose();
            throw new BadImageFormatException("not a .NET assembly (no metadata)");
        }

        Reader = _pe.GetMetadataReader();
        if (pdb is { } pdbImage)
        {
            _pdb = MetadataReaderProvider.FromPortablePdbImage(pdbImage);
            Pdb = _pdb.GetMetadataReader();
        }
    }

    public MetadataReader Reader { get; }

    /// <summary>The portable PDB's reader, used only to name source files and lines.</summary>
    public MetadataReader? Pdb { get; }

    public string AssemblyName => Reader.GetString(Reader.GetAssemblyDefinition().Name);

    /// <summary>Reads an assembly and, if it sits beside it, its .pdb.</summary>
    public static ModuleImage Open(string path)
    {
        string pdbPath = Path.ChangeExtension(path, ".pdb");
        ImmutableArray<byte>? pdb = File.Exists(pdbPath) ? File.ReadAllBytes(pdbPath).ToImmutableArray() : null;
        return new ModuleImage(File.ReadAllBytes(path).ToImmutableArray(), pdb);
    }

    public static ModuleImage FromBytes(byte[] image, byte[]? pdb = null) =>
        new(image.ToImmutableArray(), pdb?.ToImmutableArray());

    /// <summary>The method's body, or null for abstract, extern and runtime-implemented methods.</summary>
    public MethodBodyBlock? Body(MethodDefinitionHandle handle)
    {
        int rva = Reader.GetMethodDefinition(handle).RelativeVirtualAddress;
        return rva == 0 ? null : _pe.GetMethodBody(rva);
    }

    public void Dispose()
    {
        _pdb?.Dispose();
        _pe.Dispose();
    }
}
