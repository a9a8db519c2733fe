namespace QuantEdge.DeviceTest.Running;

/// <summary>
/// The nanoFramework toolchain kit (shared/nanoframework/README.md): the MetadataProcessor, the
/// nanoCLR interpreter and the class libraries as .dll + .pe. Read-only: nothing is written here.
/// </summary>
public sealed class Kit
{
    public Kit(string folder, string? nanoClr = null)
    {
        Folder = Path.GetFullPath(folder);
        NanoClr = nanoClr ?? Path.Combine(Folder, "nanoclr", "bin", "nanoFramework.nanoCLR.test");
    }

    public string Folder { get; }

    public string MetadataProcessor => Path.Combine(Folder, "mdp", "nanoFramework.Tools.MetadataProcessor.dll");

    /// <summary>The interpreter the programs run on: the kit's (stock), or one built with native methods (<see cref="WithInterpreter"/>).</summary>
    public string NanoClr { get; }

    /// <summary>The kit's script that builds a nanoCLR with interop assemblies.</summary>
    public string BuildScript => Path.Combine(Folder, "build-nanoclr.sh");

    /// <summary>The nf-interpreter sources the build script compiles.</summary>
    public string InterpreterSources => Path.Combine(Folder, "nf-interpreter");

    /// <summary>The same kit, running programs on another interpreter build.</summary>
    public Kit WithInterpreter(string nanoClr) => new(Folder, nanoClr);

    public string Lib => Path.Combine(Folder, "lib");

    /// <summary>The kit's pieces that are missing (empty when it is complete).</summary>
    public IReadOnlyList<string> Missing() =>
        new[] { MetadataProcessor, NanoClr, Path.Combine(Lib, DeviceProjects.TestLauncher + ".pe") }.Where(p => !File.Exists(p)).ToList();
}
