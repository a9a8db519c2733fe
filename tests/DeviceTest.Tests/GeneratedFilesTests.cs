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

    /// <summary>Every resource the Designer.cs names is in the resx, and every id is the hash of its name.</summary>
    [Fact]
    public void DesignerAndResxNameTheSameResources()
    {
        string designer = ResourceCode.Designer("N", ["CmsisAdd", "DemoMlpBlob"]);
        string resx = ResourceCode.Resx([("CmsisAdd", @"Resources\CmsisAdd.bin"), ("DemoMlpBlob", @"Resources\DemoMlp.qem")]);
        Assert.Contains($"CmsisAdd = {ResourceId.Of("CmsisAdd")},", designer);
        Assert.Contains($"DemoMlpBlob = {ResourceId.Of("DemoMlpBlob")},", designer);
        Assert.Contains("new System.Resources.ResourceManager(\"N.Resources\", typeof(Resources).Assembly)", designer);
        Assert.Contains(@"<value>Resources\DemoMlp.qem;System.Byte[], mscorlib", resx);
    }

    [Fact]
    public void RefusesNamesWhoseIdsCollide()
    {
        // Find two names with one id, as a later resource could have.
        var seen = new Dictionary<short, string>();
        string first = "", second = "";
        for (int i = 0; second.Length == 0; i++)
        {
            string name = "r" + i;
            if (!seen.TryAdd(ResourceId.Of(name), name))
            {
                (first, second) = (seen[ResourceId.Of(name)], name);
            }
        }

        Assert.Contains("same id", Assert.Throws<InvalidOperationException>(() => ResourceCode.Designer("N", [first, second])).Message);
    }
}
