using System.Globalization;
using System.Text;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.PreQuantized;

namespace QuantEdge.Conformance.Tests;

/// <summary>docs/conformance.md, generated from the two suites' results.</summary>
internal static class ConformanceDocument
{
    public const string Path = "docs/conformance.md";

    public static string Render(IReadOnlyList<CaseResult> nodes, IReadOnlyList<ModelResult> models)
    {
        var supported = new HashSet<string>(OnnxImporter.SupportedOps.Concat(PreQuantizedImporter.SupportedOps), StringComparer.Ordinal);
        IReadOnlyList<OperatorRow> rows = OperatorRow.Supported(nodes);
        var unsupported = OperatorRow.Unsupported(nodes, supported);
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        Line("# ONNX conformance");
        Line();
        Line("QuantEdge measured against ONNX's own backend test data, which nobody here wrote: Debian's");
        Line("`libonnx-testdata` (ONNX 1.12), installed by `.ci/run`. This file is generated; regenerate it (and the");
        Line("baselines the tests hold QuantEdge to, `tests/QuantEdge.Conformance.Tests/Baselines/`) with");
        Line();
        Line($"    {Baselines.UpdateCommand}");
        Line();
        Line("Without that variable the same tests (part of `dotnet test QuantEdge.sln`) compare with the baselines");
        Line("and fail when an operator passes fewer cases or a model's SQNR drops below its floor; they also fail,");
        Line("asking for the command above, when results improve, so that this file stays true. They print their tables:");
        Line("`dotnet test tests/QuantEdge.Conformance.Tests -c Release --logger \"console;verbosity=detailed\"`.");
        Line();
        Line("Without the package those tests skip (`.ci/run` sets `QUANTEDGE_REQUIRE_ONNX_TESTDATA=1`, which makes its absence");
        Line("a failure), and the cases kept in `tests/QuantEdge.Conformance.Tests/OnnxTestData/` run instead: a passing case of");
        Line("every supported operator, some refused variants (`node-verdicts.tsv`) and 17 PyTorch models held to their floors");
        Line("below. Where the package is installed, those copies are checked against it byte for byte.");
        Line();

        Line("## 1. Operator cases (`node/`)");
        Line();
        int supportedCases = rows.Sum(r => r.Cases);
        Line($"{nodes.Count} cases. The {supportedCases} cases of the {rows.Count} operators QuantEdge supports: **{rows.Sum(r => r.Passed)} passed, " +
             $"{rows.Sum(r => r.Failed)} failed, {rows.Sum(r => r.UnsupportedVariant)} unsupported variants**. " +
             $"The other {nodes.Count - supportedCases} cases test {unsupported.Count} operators or function bodies it does not support (listed at the end).");
        Line();
        Line("Every case of every supported operator is run, each data set, each output:");
        Line();
        Line("- **float** operators (the importer's list, `OnnxImporter.SupportedOps`) through `OnnxImporter` and `FloatExecutor`.");
        Line($"  Tolerance |actual − expected| ≤ {FloatConformance.AbsoluteTolerance:0e0} + {FloatConformance.RelativeTolerance:0e0} × |expected|: numpy's `assert_allclose`");
        Line("  with the rtol/atol ONNX Runtime's backend-test script has run this suite with. ONNX's expected values come from numpy (often float64");
        Line("  or another summation order), so exact float32 equality is not the right test; the largest error of a");
        Line("  passing case is shown per operator, so a loose pass would be visible.");
        Line("- **integer** operators (QuantizeLinear, DequantizeLinear, QLinearMatMul, QLinearConv, MatMulInteger, ConvInteger)");
        Line("  through `PreQuantizedImporter` → blob → the device runtime (`Model`), compared **exactly**: equal integers, and for");
        Line("  DequantizeLinear the same float32. QuantizeLinear is the device's input rules (raw integer inputs, here in units");
        Line("  of 1 since ONNX's inputs are whole numbers), DequantizeLinear the reading of an output tensor, MatMulInteger and");
        Line("  ConvInteger the int32 accumulators of the last layer (`Model.InvokeAccumulators`, the kernels' `Accumulate`).");
        Line("- ONNX feeds weights as graph inputs; QuantEdge compiles them as constants. So, as a deployed model has them,");
        Line("  these operands become initializers holding the data set's values: " +
             string.Join("; ", ParameterBinding.ConstantSlots.Select(p => $"{p.Key} {string.Join(",", p.Value)}")) + " (input slots).");
        Line("- A refusal with a reason (an attribute, type, rank or form the importer says it does not take) is an");
        Line("  *unsupported variant*. A case the importer accepts and computes wrongly, crashes on, or refuses for");
        Line("  inconsistent shapes it inferred itself, is *failed*.");
        Line();
        Line("| operator | path | cases | passed | failed | unsupported variant | largest error (passed) |");
        Line("|---|---|---:|---:|---:|---:|---:|");
        foreach (OperatorRow r in rows)
        {
            string error = r.Path == "integer" ? "exact" : r.MaxAbsError.ToString("0.0e0", CultureInfo.InvariantCulture);
            Line($"| {r.Operator} | {r.Path} | {r.Cases} | {r.Passed} | {r.Failed} | {r.UnsupportedVariant} | {error} |");
        }

        Line($"| **total** | | **{supportedCases}** | **{rows.Sum(r => r.Passed)}** | **{rows.Sum(r => r.Failed)}** | **{rows.Sum(r => r.UnsupportedVariant)}** | |");
        Line();

        Line("### Failed cases");
        Line();
        var failed = nodes.Where(r => r.Verdict == Verdict.Failed).ToList();
        Line(failed.Count == 0 ? "None." : "| case | operator | what happened |");
        if (failed.Count > 0)
        {
            Line("|---|---|---|");
            failed.ForEach(r => Line($"| {r.Case.Name} | {r.Subject.Operator} | {Cell(r.Detail)} |"));
        }

        Line();
        Line("### Unsupported variants, with the importer's message");
        Line();
        Line("| case | operator | message |");
        Line("|---|---|---|");
        foreach (CaseResult r in nodes.Where(r => r.Verdict == Verdict.UnsupportedVariant))
        {
            Line($"| {r.Case.Name} | {r.Subject.Operator} | {Cell(r.Detail)} |");
        }

        Line();
        RequantizationSection(nodes, Line);

        Line("### Operators QuantEdge does not support");
        Line();
        Line("| operator | cases | a function body needs |");
        Line("|---|---:|---|");
        foreach ((string op, int cases, string lacking) in unsupported)
        {
            Line($"| {op} | {cases} | {lacking} |");
        }

        Line();
        ModelSection(models, Line);
        return text.ToString();
    }

    private static void RequantizationSection(IReadOnlyList<CaseResult> nodes, Action<string> line)
    {
        line("### Integer operators: where the device's requantization equals ONNX's, and where it cannot");
        line("");
        line("ONNX requantizes with float scales and rounds half to even: y = saturate(round(acc × m) + zero point), m =");
        line("x_scale × w_scale / y_scale (QuantizeLinear: m = 10^unit / y_scale on the raw input). The device multiplies by a");
        line("Q31 multiplier M and a shift with TFLite's rounding (`OutputStage.Requantize`: round half up after the high");
        line("multiply, then half away from zero after a right shift). `ExactRequantizer` takes m exactly (the float32 scales'");
        line("exact values) and, for every accumulator a channel can produce (its whole range, not only the test data),");
        line("searches every shift for a multiplier whose result equals ONNX's; the search is exhaustive, so \"not exact\"");
        line("means no multiplier/shift the device accepts can be. That happens for two reasons:");
        line("");
        line("- **Ties of both directions.** When acc × m lands exactly on k + ½ for several k (scales like 2, 4, ½), ONNX sends");
        line("  half of those ties down and half up (to even); any fixed multiplier rounds every tie the same way. Impossible in");
        line("  principle: about half the ties in range are off by one step. QuantEdge then keeps the multiplier equal to m");
        line("  (ties round up, as in TFLite).");
        line("- **Precision**: over a very wide accumulator range no 31-bit multiplier puts every output threshold where exact");
        line("  arithmetic does, and a few accumulators very close to a tie are off by one step (the fit counts them; one channel");
        line("  of the QDQ network in `PreQuantizedImporterTests` is such a case).");
        line("");
        line("TFLite's normalised multiplier (M ≥ 2^30, right shift, two roundings) is often not exact where a single-rounding");
        line("one is; `ExactRequantizerTests` shows it on random layers. ONNX Runtime itself requantizes QDQ Gemm in float32");
        line("and is not exact either (`PreQuantizedImporterTests` allows it one step).");
        line("");
        line("| case | layer | channel | m | M, shift | accumulators | exact | off by one step | ties |");
        line("|---|---|---:|---:|---|---|---|---:|---:|");
        foreach (CaseResult r in nodes.Where(r => r.Requantizations.Count > 0))
        {
            foreach (RequantizationReport q in r.Requantizations)
            {
                RequantizationFit f = q.Fit;
                line($"| {r.Case.Name} | {q.Layer} | {q.Channel} | {q.Multiplier} | {f.Multiplier}, {f.Shift} | [{f.AccumulatorMin}, {f.AccumulatorMax}] | " +
                     $"{(f.Exact ? "yes" : "**no**")} | {f.Mismatches} of {f.AccumulatorMax - f.AccumulatorMin + 1} | {f.Ties} |");
            }
        }

        line("");
        line("For QuantizeLinear the range is the raw inputs over which the output changes; with a scale of 2 or 4 every other");
        line("raw value in it is a tie, and the rows above show how many of them round the other way than ONNX's. Whether a");
        line("case passes then depends on which ties its data holds. MatMulInteger and ConvInteger do not requantize: their");
        line("accumulators are exact by construction.");
        line("");
    }

    private static void ModelSection(IReadOnlyList<ModelResult> models, Action<string> line)
    {
        var quantized = models.Where(m => m.SqnrDb != null).ToList();
        line("## 2. PyTorch-exported models (`pytorch-converted/`, `pytorch-operator/`), int8 on the device");
        line("");
        line($"{models.Count} models; {models.Count(m => m.FloatMaxAbsError != null)} import, **{quantized.Count} quantize and run on the device**" +
             (models.Any(m => m.QuantizerFailed) ? $", {models.Count(m => m.QuantizerFailed)} crash the quantizer (bugs, marked **QUANTIZER FAILED**)." : "."));
        line("");
        line("Each model goes through `OnnxImporter` (float output checked against ONNX's expected output, same tolerance as");
        line("above), then `Quantizer.Quantize` → int8 blob → `Model` on the device runtime, fed through the input rules as a");
        line($"device is (`DeviceRunner`). Calibration: the case's one input plus {ModelSuite.PerturbedCopies} copies with seeded Gaussian noise of");
        line($"{ModelSuite.NoiseFraction:P0} of its standard deviation; ranges MinMax (the auto method would score candidates on these same rows).");
        line("SQNR = 10·log10(Σ expected² / Σ (expected − dequantized int8)²) over the whole output, against ONNX's expected output.");
        line($"The test holds each model to a floor {Baselines.FloorMarginDb:0.0} dB below the value measured when the baseline was written");
        line("(the chain is deterministic; one bit lost costs about 6 dB).");
        line("");
        line("| model | operators | float max abs error | int8 SQNR (dB) | note |");
        line("|---|---|---:|---:|---|");
        foreach (ModelResult m in models)
        {
            string error = m.FloatMaxAbsError is double e ? e.ToString("0.0e0", CultureInfo.InvariantCulture) : "-";
            string note = m.SqnrDb is double.PositiveInfinity ? "output reproduced exactly" : Cell(Brief(m.Why));
            line($"| {m.Case.Suite}/{m.Case.Name} | {string.Join(", ", m.Operators)} | {error} | {Baselines.Format(m.SqnrDb)} | {note} |");
        }

        var finite = quantized.Select(m => m.SqnrDb!.Value).Where(double.IsFinite).Order().ToList();
        if (finite.Count > 0)
        {
            line("");
            ModelResult lowest = quantized.MinBy(m => m.SqnrDb!.Value)!;
            line($"Quantized models: SQNR {finite[0]:F1} to {finite[^1]:F1} dB, median {finite[finite.Count / 2]:F1} dB; the lowest is {lowest.Case.Name} " +
                 (lowest.Operators.Contains("Softmax") ? "(softmax's int8 output has TFLite's fixed scale 1/256, coarse for probabilities spread over many classes)." : "."));
        }
    }

    /// <summary>A refusal without the long list of supported operators that follows it.</summary>
    private static string Brief(string message)
    {
        int cut = message.IndexOf(" Supported ops", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
