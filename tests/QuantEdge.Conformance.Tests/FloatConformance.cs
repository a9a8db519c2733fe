using Onnx;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;

namespace QuantEdge.Conformance.Tests;

/// <summary>
/// Runs a float case through <see cref="OnnxImporter"/> and <see cref="FloatExecutor"/> and compares
/// every output with ONNX's expected values.
/// </summary>
/// <remarks>
/// Tolerance: |actual − expected| ≤ <see cref="AbsoluteTolerance"/> + <see cref="RelativeTolerance"/> × |expected|,
/// numpy's assert_allclose with the rtol/atol ONNX Runtime's backend-test script has run this same suite
/// with (onnxruntime/test/python/onnx_backend_test_series.py). The expected values come from numpy, often
/// in float64 or with another summation order; the executor sums in double and stores float32, so
/// an exact match is not the right test, and ONNX publishes no tighter one. The largest error seen is
/// reported per operator in docs/conformance.md, so a loose pass is visible.
/// </remarks>
internal static class FloatConformance
{
    public const double RelativeTolerance = 1e-3;
    public const double AbsoluteTolerance = 1e-5;

    public static CaseResult Run(OnnxCase c, CaseSubject subject)
    {
        double maxError = 0;
        foreach (DataSet set in c.ReadDataSets())
        {
            (ModelProto model, Dictionary<string, TensorProto> inputs) = ParameterBinding.Bind(c, set);
            ModelGraph graph;
            try
            {
                graph = OnnxImporter.Load(ParameterBinding.Bytes(model));
            }
            catch (OnnxImportException e)
            {
                return ImportRefusal(c, subject, e);
            }

            IReadOnlyDictionary<string, float[]> actual;
            try
            {
                var feeds = graph.Inputs.ToDictionary(i => i.Name, i => OnnxTensors.Read(inputs[i.Name], null, i.Name).Floats!);
                actual = new FloatExecutor(graph).Run(feeds);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return new CaseResult(c, subject, Verdict.Failed, $"the executor threw {e.GetType().Name}: {e.Message}");
            }

            for (int i = 0; i < model.Graph.Output.Count; i++)
            {
                string name = model.Graph.Output[i].Name;
                OnnxConstant expected = OnnxTensors.Read(set.Outputs[i], null, name);
                if (!expected.Shape.SequenceEqual(graph.ShapeOf(name)))
                {
                    return new CaseResult(c, subject, Verdict.Failed,
                        $"output '{name}' is {Shapes.Format(graph.ShapeOf(name))}, expected {Shapes.Format(expected.Shape)}");
                }

                float[] want = expected.Floats!;
                float[] got = actual[name];
                for (int j = 0; j < want.Length; j++)
                {
                    if (float.IsNaN(want[j]) && float.IsNaN(got[j]) || want[j] == got[j])
                    {
                        continue;
                    }

                    double error = Math.Abs((double)got[j] - want[j]);
                    maxError = Math.Max(maxError, double.IsNaN(error) ? double.PositiveInfinity : error);
                    if (!(error <= AbsoluteTolerance + RelativeTolerance * Math.Abs(want[j])))
                    {
                        return new CaseResult(c, subject, Verdict.Failed,
                            $"output '{name}'[{j}] is {got[j]:R}, expected {want[j]:R}") { MaxAbsError = maxError };
                    }
                }
            }
        }

        return new CaseResult(c, subject, Verdict.Passed, "") { MaxAbsError = maxError };
    }

    /// <summary>
    /// A refusal the importer explains (an attribute, type, rank or form it does not take) is an
    /// unsupported variant. A refusal it cannot explain is a failure: shapes it inferred wrongly, or
    /// an internal error it wrapped as a malformed node.
    /// </summary>
    private static CaseResult ImportRefusal(OnnxCase c, CaseSubject subject, OnnxImportException e)
    {
        bool importerFault = e.Message.Contains("inconsistent", StringComparison.Ordinal)
            || e.Message.Contains("computes as", StringComparison.Ordinal)
            || e.Message.Contains("malformed node", StringComparison.Ordinal);
        return new CaseResult(c, subject, importerFault ? Verdict.Failed : Verdict.UnsupportedVariant, e.Message);
    }
}
