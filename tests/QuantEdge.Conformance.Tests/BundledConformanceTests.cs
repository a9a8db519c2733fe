using QuantEdge.Compiler.Onnx;
using Xunit.Abstractions;

namespace QuantEdge.Conformance.Tests;

/// <summary>
/// The cases of ONNX's backend test data kept in the repository (OnnxTestData/, README there): they run
/// everywhere, with only the .NET SDK. Every supported operator has a case that must pass, several have one
/// QuantEdge must refuse as an unsupported variant (node-verdicts.tsv), and a few PyTorch models must
/// reproduce their float output and keep the SQNR floors of Baselines/. Where the whole set is installed, the
/// kept files must be ONNX's own, byte for byte, and their verdicts those of the whole run.
/// </summary>
public class BundledConformanceTests(ITestOutputHelper output)
{
    private static readonly Lazy<IReadOnlyList<CaseResult>> NodeResults = new(() => NodeSuite.Run(OnnxTestData.Bundled("node")));

    private static readonly Lazy<IReadOnlyList<ModelResult>> ModelResults = new(() =>
        OnnxTestData.Bundled("pytorch-converted").Concat(OnnxTestData.Bundled("pytorch-operator")).Select(ModelSuite.Run).ToList());

    private static Dictionary<string, string> ExpectedVerdicts() =>
        File.ReadAllLines(Path.Combine(OnnxTestData.BundledRoot, "node-verdicts.tsv")).Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.Split('\t'))
            .ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);

    private static string Spell(Verdict verdict) => verdict switch
    {
        Verdict.Passed => "passed",
        Verdict.UnsupportedVariant => "unsupported-variant",
        Verdict.UnsupportedOperator => "unsupported-operator",
        _ => "failed",
    };

    [Fact]
    public void EveryKeptNodeCaseGetsItsVerdict()
    {
        Dictionary<string, string> expected = ExpectedVerdicts();
        IReadOnlyList<CaseResult> results = NodeResults.Value;
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), results.Select(r => r.Case.Name).Order(StringComparer.Ordinal));
        var wrong = results.Where(r => Spell(r.Verdict) != expected[r.Case.Name])
            .Select(r => $"{r.Case.Name} ({r.Subject.Operator}): {Spell(r.Verdict)}, expected {expected[r.Case.Name]}: {r.Detail}")
            .ToList();
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public void EverySupportedOperatorHasAKeptCaseThatPasses()
    {
        var passing = NodeResults.Value.Where(r => r.Verdict == Verdict.Passed).Select(r => r.Subject.Operator).ToHashSet(StringComparer.Ordinal);
        IEnumerable<string> operators = OnnxImporter.SupportedOps.Concat(IntegerConformance.Operators).Where(op => op != "Constant");
        Assert.All(operators, op => Assert.Contains(op, passing));
    }

    [Fact]
    public void KeptPyTorchModelsReproduceTheirFloatOutputAndKeepTheirFloors()
    {
        IReadOnlyList<ModelResult> results = ModelResults.Value;
        Assert.NotEmpty(results);
        foreach (ModelResult m in results)
        {
            output.WriteLine($"{m.Case.Suite}/{m.Case.Name}: int8 SQNR {Baselines.Format(m.SqnrDb)} dB {m.Why}");
        }

        Assert.All(results, m => Assert.True(m.FloatMismatch is null && m.SqnrDb is not null, $"{m.Case.Name}: {m.FloatMismatch ?? m.Why}"));
        (List<string> regressions, _) = Baselines.CompareModels(Baselines.Read(Baselines.ModelFile), results);
        Assert.True(regressions.Count == 0, string.Join('\n', regressions));
    }

    [Fact]
    public void KeptCasesAreOnnxsOwnFilesWithTheWholeRunsVerdicts()
    {
        if (!OnnxTestData.Installed)
        {
            Assert.False(OnnxTestData.Required, $"{OnnxTestData.RequireVariable} is set but ONNX's backend test data is not at {OnnxTestData.Root}");
            output.WriteLine(OnnxTestData.SkipReason);
            return;
        }

        foreach (string suite in OnnxTestData.Suites)
        {
            foreach (OnnxCase kept in OnnxTestData.Bundled(suite))
            {
                string original = Path.Combine(OnnxTestData.Root, suite, kept.Name);
                string[] files = Directory.GetFiles(kept.Folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(kept.Folder, f)).Order(StringComparer.Ordinal).ToArray();
                Assert.Equal(Directory.GetFiles(original, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(original, f)).Order(StringComparer.Ordinal), files);
                Assert.All(files, file => Assert.True(File.ReadAllBytes(Path.Combine(kept.Folder, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(original, file))),
                    $"{suite}/{kept.Name}/{file} differs from ONNX's"));
            }
        }

        Dictionary<string, string> expected = ExpectedVerdicts();
        var whole = NodeSuite.Results.Where(r => expected.ContainsKey(r.Case.Name)).ToDictionary(r => r.Case.Name, r => Spell(r.Verdict), StringComparer.Ordinal);
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), whole.OrderBy(p => p.Key, StringComparer.Ordinal));
    }
}
