using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;

namespace QuantEdge.Compiler.Tests;

/// <summary>
/// Runs a model through ONNX Runtime and through OnnxImporter + FloatExecutor on the same inputs and
/// compares every graph output.
/// </summary>
/// <remarks>
/// Tolerance: |actual − expected| ≤ 1e-5 × |expected| + 1e-5 × max(1, max |expected| of the tensor).
/// ONNX Runtime accumulates dot products in float32 (blocked, with FMA) while the executor accumulates
/// in double, so they differ by float32 rounding of sums: about (terms summed) × 2^-24 of the sum of
/// the terms' magnitudes. Our layers sum at most a few hundred terms of size ≲ 1, which stays below
/// 1e-5 of the output's scale; element-wise ops (exp, tanh) differ by a few ulps (relative 1e-5 covers it).
/// </remarks>
public static class OnnxReference
{
    public const double RelativeTolerance = 1e-5;
    public const double AbsoluteToleranceScale = 1e-5;

    /// <summary>ONNX Runtime's outputs for <paramref name="inputs"/> (name → shape and row-major data).</summary>
    public static Dictionary<string, float[]> RunOrt(byte[] model, IReadOnlyDictionary<string, (int[] Shape, float[] Data)> inputs)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model, options);
        var feeds = inputs.Select(i => NamedOnnxValue.CreateFromTensor(i.Key, new DenseTensor<float>(i.Value.Data, i.Value.Shape))).ToList();
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(feeds);
        return results.ToDictionary(r => r.Name, r => r.AsTensor<float>().ToArray());
    }

    /// <summary>
    /// Imports <paramref name="model"/>, feeds every graph input seeded random values in [−2, 2), and
    /// asserts that the executor agrees with ONNX Runtime on every output. Returns the imported graph
    /// for further checks (e.g. which nodes were folded).
    /// </summary>
    public static ModelGraph AssertAgrees(byte[] model, int seed = 1)
    {
        ModelGraph graph = OnnxImporter.Load(model);
        var random = new Random(seed);
        var inputs = graph.Inputs.ToDictionary(i => i.Name, i => (i.Shape, Random(random, FloatTensor.ElementCount(i.Shape))));
        Dictionary<string, float[]> expected = RunOrt(model, inputs);
        IReadOnlyDictionary<string, float[]> actual = new FloatExecutor(graph).Run(inputs.ToDictionary(i => i.Key, i => i.Value.Item2));
        Assert.Equal(graph.Outputs.Select(o => o.Name).Order(), expected.Keys.Order());
        foreach ((string name, float[] values) in expected)
        {
            AssertClose(name, values, actual[name]);
        }

        return graph;
    }

    public static float[] Random(Random random, int count, float low = -2, float high = 2) =>
        Enumerable.Range(0, count).Select(_ => low + (float)random.NextDouble() * (high - low)).ToArray();

    /// <summary>Element-wise comparison within the tolerance above, naming every mismatch.</summary>
    public static void AssertClose(string what, float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1, expected.Select(v => Math.Abs((double)v)).DefaultIfEmpty(0).Max());
        var mismatches = Enumerable.Range(0, expected.Length)
            .Where(i => !(Math.Abs(actual[i] - (double)expected[i]) <= RelativeTolerance * Math.Abs(expected[i]) + AbsoluteToleranceScale * scale))
            .Select(i => $"[{i}] expected {expected[i]:R} got {actual[i]:R}")
            .ToList();
        Assert.True(mismatches.Count == 0, $"{what}: {mismatches.Count} of {expected.Length} values differ: {string.Join(", ", mismatches.Take(10))}");
    }
}
