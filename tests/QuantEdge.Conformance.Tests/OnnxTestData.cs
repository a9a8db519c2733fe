using Onnx;

namespace QuantEdge.Conformance.Tests;

/// <summary>One test_data_set_N folder: the graph inputs and the expected graph outputs, in graph order.</summary>
internal sealed record DataSet(TensorProto[] Inputs, TensorProto[] Outputs);

/// <summary>One case of ONNX's backend test data: a model and the folder holding its data sets.</summary>
internal sealed record OnnxCase(string Suite, string Name, string Folder, ModelProto Model)
{
    /// <summary>
    /// The case's data sets, read on demand: cases of sequence and optional operators store other
    /// protobuf messages than TensorProto, and only cases QuantEdge runs are read.
    /// </summary>
    public IReadOnlyList<DataSet> ReadDataSets() =>
        Directory.GetDirectories(Folder, "test_data_set_*")
            .Order(StringComparer.Ordinal)
            .Select(set => new DataSet(Tensors(set, "input_"), Tensors(set, "output_")))
            .ToList();

    /// <summary>The graph's inputs that are not initializers (IR &lt; 4 lists initializers among the inputs).</summary>
    public IReadOnlyList<ValueInfoProto> ComputedInputs =>
        Model.Graph.Input.Where(i => Model.Graph.Initializer.All(init => init.Name != i.Name)).ToList();

    public override string ToString() => $"{Suite}/{Name}";

    private static TensorProto[] Tensors(string set, string prefix)
    {
        var tensors = new List<TensorProto>();
        for (int i = 0; File.Exists(Path.Combine(set, $"{prefix}{i}.pb")); i++)
        {
            tensors.Add(TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(set, $"{prefix}{i}.pb"))));
        }

        return tensors.ToArray();
    }
}

/// <summary>
/// ONNX's backend test data as Debian's libonnx-testdata installs it (ONNX 1.12): folders
/// <c>node/</c> (one operator per case), <c>pytorch-converted/</c> and <c>pytorch-operator/</c> (small
/// models exported from PyTorch), each case a model.onnx with test_data_set_*/input_*.pb and output_*.pb.
/// A few of those cases are kept in the repository (OnnxTestData/, see its README) so that the conformance
/// tests have something to run on a machine with only the .NET SDK; the whole set runs where the package is
/// installed, and must be where <see cref="RequireVariable"/> is set (CI).
/// </summary>
internal static class OnnxTestData
{
    public const string DefaultRoot = "/usr/share/libonnx-testdata/data";

    /// <summary>Set (to anything) where the whole set must be present: its absence fails the tests instead of skipping them.</summary>
    public const string RequireVariable = "QUANTEDGE_REQUIRE_ONNX_TESTDATA";

    /// <summary>The suites QuantEdge runs.</summary>
    public static readonly string[] Suites = ["node", "pytorch-converted", "pytorch-operator"];

    /// <summary>ONNX_TESTDATA overrides where the data is (e.g. a checkout's onnx/backend/test/data).</summary>
    public static string Root => Environment.GetEnvironmentVariable("ONNX_TESTDATA") is { Length: > 0 } root ? root : DefaultRoot;

    /// <summary>The cases kept in the repository, copied next to the tests.</summary>
    public static string BundledRoot => Path.Combine(AppContext.BaseDirectory, "OnnxTestData");

    /// <summary>Whether the whole set is installed (every suite's folder exists).</summary>
    public static bool Installed => Suites.All(suite => Directory.Exists(Path.Combine(Root, suite)));

    public static bool Required => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RequireVariable));

    /// <summary>Why a test that needs the whole set did not run; a failure where <see cref="Required"/>.</summary>
    public static string SkipReason =>
        $"skipped: ONNX's backend test data is not at {Root} (install libonnx-testdata or point ONNX_TESTDATA at it; the cases kept in the repository ran instead)";

    private static readonly Dictionary<string, IReadOnlyList<OnnxCase>> Loaded = [];

    /// <summary>Every case of <paramref name="suite"/> in the installed set, by name. Read once per process.</summary>
    public static IReadOnlyList<OnnxCase> Suite(string suite) => Read(Root, suite);

    /// <summary>The cases of <paramref name="suite"/> kept in the repository.</summary>
    public static IReadOnlyList<OnnxCase> Bundled(string suite) => Read(BundledRoot, suite);

    private static IReadOnlyList<OnnxCase> Read(string root, string suite)
    {
        string folder = Path.Combine(root, suite);
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(folder, out IReadOnlyList<OnnxCase>? cases))
            {
                Loaded[folder] = cases = ReadFolder(folder, suite);
            }

            return cases;
        }
    }

    private static List<OnnxCase> ReadFolder(string folder, string suite)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException(
                $"ONNX's backend test data is not at {folder}. Install it with `apt-get install libonnx-testdata` (.ci/run does), or point ONNX_TESTDATA at a folder holding node/, pytorch-converted/ and pytorch-operator/.");
        }

        return Directory.GetDirectories(folder)
            .Order(StringComparer.Ordinal)
            .Select(dir => new OnnxCase(suite, Path.GetFileName(dir), dir, ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dir, "model.onnx")))))
            .ToList();
    }
}
