using System.Globalization;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.PreQuantized;
using Xunit.Abstractions;

namespace QuantEdge.Conformance.Tests;

/// <summary>
/// QuantEdge against ONNX's whole backend test data (docs/conformance.md explains what runs and how it is
/// compared). The counts and floors are held to Baselines/; with QUANTEDGE_UPDATE_CONFORMANCE=1 the
/// tests write the baselines and docs/conformance.md instead of comparing. Without the data installed they
/// skip (<see cref="BundledConformanceTests"/> runs the cases kept in the repository), unless
/// QUANTEDGE_REQUIRE_ONNX_TESTDATA is set.
/// </summary>
public class ConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void NodeSuitePassCountsHoldTheBaseline()
    {
        if (!WholeSetInstalled())
        {
            return;
        }

        IReadOnlyList<CaseResult> results = NodeSuite.Results;
        IReadOnlyList<OperatorRow> rows = OperatorRow.Supported(results);
        output.WriteLine($"{"operator",-20} {"path",-8} {"cases",5} {"passed",6} {"failed",6} {"unsupported-variant",19}");
        foreach (OperatorRow r in rows)
        {
            output.WriteLine($"{r.Operator,-20} {r.Path,-8} {r.Cases,5} {r.Passed,6} {r.Failed,6} {r.UnsupportedVariant,19}");
        }

        output.WriteLine($"{"total",-20} {"",-8} {rows.Sum(r => r.Cases),5} {rows.Sum(r => r.Passed),6} {rows.Sum(r => r.Failed),6} {rows.Sum(r => r.UnsupportedVariant),19}");
        output.WriteLine("");
        output.WriteLine("Not supported (operator: cases):");
        var supported = new HashSet<string>(OnnxImporter.SupportedOps.Concat(PreQuantizedImporter.SupportedOps), StringComparer.Ordinal);
        foreach ((string op, int cases, _) in OperatorRow.Unsupported(results, supported))
        {
            output.WriteLine($"  {op}: {cases}");
        }

        foreach (CaseResult failed in results.Where(r => r.Verdict == Verdict.Failed))
        {
            output.WriteLine($"FAILED {failed.Case.Name}: {failed.Detail}");
        }

        if (Baselines.Updating)
        {
            Baselines.WriteToRepository($"tests/QuantEdge.Conformance.Tests/Baselines/{Baselines.NodeFile}", Baselines.NodeText(rows));
            WriteDocument();
            return;
        }

        (List<string> regressions, List<string> changes) = Baselines.CompareNode(Baselines.Read(Baselines.NodeFile), rows);
        Assert.True(regressions.Count == 0, "Conformance regressed:\n" + string.Join('\n', regressions));
        Assert.True(changes.Count == 0, $"Conformance changed (fix it, or if it improved, update the baseline and docs/conformance.md with `{Baselines.UpdateCommand}`):\n" + string.Join('\n', changes));
    }

    [Fact]
    public void EveryImportedPyTorchModelReproducesItsExpectedFloatOutput()
    {
        if (!WholeSetInstalled())
        {
            return;
        }

        var imported = ModelSuite.Results.Where(m => m.FloatMaxAbsError != null).ToList();
        Assert.NotEmpty(imported);
        var wrong = imported.Where(m => m.FloatMismatch != null).Select(m => $"{m.Case.Name}: {m.FloatMismatch}").ToList();
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public void PyTorchModelsKeepTheirSqnrFloors()
    {
        if (!WholeSetInstalled())
        {
            return;
        }

        IReadOnlyList<ModelResult> results = ModelSuite.Results;
        foreach (ModelResult m in results)
        {
            string float32 = m.FloatMaxAbsError?.ToString("0.0e0", CultureInfo.InvariantCulture) ?? "-";
            output.WriteLine($"{m.Case.Suite + "/" + m.Case.Name,-55} float {float32,8}  int8 SQNR {Baselines.Format(m.SqnrDb),6} dB  {m.Why}");
        }

        if (Baselines.Updating)
        {
            Baselines.WriteToRepository($"tests/QuantEdge.Conformance.Tests/Baselines/{Baselines.ModelFile}", Baselines.ModelText(results));
            WriteDocument();
            return;
        }

        (List<string> regressions, List<string> changes) = Baselines.CompareModels(Baselines.Read(Baselines.ModelFile), results);
        Assert.True(regressions.Count == 0, "Int8 accuracy regressed:\n" + string.Join('\n', regressions));
        Assert.True(changes.Count == 0, $"More models quantize now; update the floors and docs/conformance.md with `{Baselines.UpdateCommand}`:\n" + string.Join('\n', changes));
    }

    /// <summary>Whether ONNX's whole test set is installed; when not, says so, or fails where it is required (CI).</summary>
    private bool WholeSetInstalled()
    {
        if (OnnxTestData.Installed)
        {
            return true;
        }

        Assert.False(OnnxTestData.Required, $"{OnnxTestData.RequireVariable} is set but ONNX's backend test data is not at {OnnxTestData.Root}");
        output.WriteLine(OnnxTestData.SkipReason);
        return false;
    }

    private static void WriteDocument() =>
        Baselines.WriteToRepository(ConformanceDocument.Path, ConformanceDocument.Render(NodeSuite.Results, ModelSuite.Results));
}
