using QuantEdge.DeviceTest.Generation;

namespace QuantEdge.DeviceTest.Tests;

public class GeneratedFilesTests
{
    /// <summary>
    /// The committed device-test resources (and the resx and Designer.cs that name them) are exactly
    /// what the generator makes now, from the current runtime, compiler, demo data and CMSIS-NN sets:
    /// a change to any of them that alters an expectation cannot leave the device tests checking stale values.
    /// </summary>
    [Fact]
    public void CommittedFilesAreCurrent()
    {
        string root = Repository.Root(AppContext.BaseDirectory);
        IReadOnlyList<GeneratedFile> files = GeneratedFiles.All(root);
        IReadOnlyList<string> stale = GeneratedFiles.Stale(root, files);
        Assert.True(stale.Count == 0, $"stale generated files (regenerate with `{GeneratedFiles.Command}` and commit them): {string.Join(", ", stale)}");
        Assert.Contains(files, f => f.RelativePath.EndsWith("/Resources/DemoMlp.qem", StringComparison.Ordinal));
    }
}
