using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;

namespace QuantEdge.Compiler.Tests.Evaluation;

/// <summary>FloatRowRuns shows an observer what one executor run row after row shows it, value for value, whatever runs ahead on other cores.</summary>
public class FloatRowRunsTests
{
    /// <summary>A CNN over more rows than one block holds (blocks of 64 rows, run ahead while the observer reads): the same names, shapes and values in the same order.</summary>
    [Fact]
    public void ObserverSeesWhatOneExecutorShowsRowByRow()
    {
        ModelGraph graph = OnnxImporter.Load(TestOnnxModels.Cnn());
        var random = new Random(3);
        int features = FloatTensor.ElementCount(graph.Inputs[0].Shape);
        float[][] rows = Enumerable.Range(0, 150).Select(_ => Enumerable.Range(0, features).Select(_ => (float)random.NextDouble() * 4 - 1).ToArray()).ToArray();
        var data = new Dataset(Enumerable.Range(0, features).Select(f => $"f{f}").ToArray(), rows, null, "rows");
        var expected = new List<(string, int[], float[])>();
        var executor = new FloatExecutor(graph);
        foreach (float[] row in rows)
        {
            executor.Run(row, (name, shape, values) => expected.Add((name, shape, values.ToArray())));
        }

        var seen = new List<(string, int[], float[])>();
        var runs = new FloatRowRuns(graph, data);
        for (int r = 0; r < rows.Length; r++)
        {
            runs.Observe(r, (name, shape, values) => seen.Add((name, shape, values.ToArray())));
        }

        Assert.Equal(expected.Count, seen.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Item1, seen[i].Item1);
            Assert.Equal(expected[i].Item2, seen[i].Item2);
            Assert.Equal(expected[i].Item3, seen[i].Item3);
        }
    }

    [Fact]
    public void RowsAreObservedInOrder()
    {
        ModelGraph graph = OnnxImporter.Load(TestOnnxModels.Cnn());
        int features = FloatTensor.ElementCount(graph.Inputs[0].Shape);
        var data = new Dataset(Enumerable.Range(0, features).Select(f => $"f{f}").ToArray(), [new float[features], new float[features]], null, "rows");
        var runs = new FloatRowRuns(graph, data);
        Assert.Throws<InvalidOperationException>(() => runs.Observe(1, (_, _, _) => { }));
    }
}
