namespace QuantEdge.DeviceTest.Running;

/// <summary>
/// The nanoFramework toolchain kit (shared/nanoframework/README.md): the MetadataProcessor, the
/// nanoCLR interpreter and the class libraries as .dll + .pe. Read-only: nothing is written here.
/// </summary>
public sealed class Kit
{
    public Kit(string folder)
    {
        Folder = Path.GetFullPath(folder);
    }

    public string Folder { get; }

    public string MetadataProcessor => Path.Combine(Folder, "mdp", "nanoFramework.Tools.MetadataProcessor.dll");

    public string NanoClr => Path.Combine(Folder, "nanoclr", "bin", "nanoFramework.nanoCLR.test");

    public string Lib => Path.Combine(Folder, "lib");

    /// <summary>The kit's pieces that are missing (empty when it is complete).</summary>
    public IReadOnlyList<string> Missing() =>
        new[] { MetadataProcessor, NanoClr, Path.Combine(Lib, DeviceProjects.TestLauncher + ".pe") }.Where(p => !File.Exists(p)).ToList();
}
