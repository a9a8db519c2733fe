using QuantEdge.Compiler.Graph;

namespace QuantEdge.Compiler.Evaluation;

/// <summary>
/// Sees every value of one run: each graph input first, then each node's output right after the node
/// ran, in graph order. <paramref name="values"/> is the executor's own buffer, valid only during
/// the call (it is reused by the next run): copy what must be kept.
/// </summary>
public delegate void ValueObserver(string name, int[] shape, ReadOnlySpan<float> values);

/// <summary>
/// Runs a <see cref="ModelGraph"/> in float32 with plain loops, as the reference the quantized model is
/// measured against and the source of calibration statistics. One run evaluates one example (the
/// graph's shapes, batch dimension 1); <see cref="RunBatch"/> runs many. Dot products and sums are
/// accumulated in double, so results are at least as accurate as a float32 runtime's.
/// </summary>
/// <remarks>
/// Buffers for every value are allocated once, in the constructor, and reused: runs allocate only
/// the returned outputs. An instance is therefore not thread-safe; use one per thread.
/// </remarks>
public sealed class FloatExecutor
{
    private readonly Dictionary<string, float[]> buffers = new(StringComparer.Ordinal);
    private readonly Step[] steps;

    public FloatExecutor(ModelGraph graph)
    {
        Graph = graph;
        foreach ((string name, int[] shape) in graph.ValueShapes)
        {
            buffers[name] = new float[FloatTensor.ElementCount(shape)];
        }

        steps = graph.Nodes
            .Select(node => new Step(node, node.Inputs.Select(i => buffers[i]).ToArray(), node.Inputs.Select(graph.ShapeOf).ToArray(), buffers[node.Output]))
            .ToArray();
    }

    public ModelGraph Graph { get; }

    /// <summary>Bytes of the buffers that hold every value of a run.</summary>
    public long BufferBytes => buffers.Values.Sum(b => (long)b.Length * sizeof(float));

    /// <summary>Value <paramref name="name"/> as the last run left it (the executor's own buffer: valid until the next run).</summary>
    public ReadOnlySpan<float> Value(string name) => buffers[name];

    /// <summary>
    /// Runs the graph on one value per graph input (row-major, each of its input's full shape) and
    /// returns every graph output by name (fresh arrays).
    /// </summary>
    public IReadOnlyDictionary<string, float[]> Run(IReadOnlyDictionary<string, float[]> inputs, ValueObserver? observer = null)
    {
        foreach (GraphValue input in Graph.Inputs)
        {
            if (!inputs.TryGetValue(input.Name, out float[]? values))
            {
                throw new ArgumentException($"No value given for graph input '{input.Name}'.", nameof(inputs));
            }

            float[] buffer = buffers[input.Name];
            if (values.Length != buffer.Length)
            {
                throw new ArgumentException($"Graph input '{input.Name}' {Shapes.Format(input.Shape)} needs {buffer.Length} values, got {values.Length}.", nameof(inputs));
            }

            values.CopyTo(buffer, 0);
            observer?.Invoke(input.Name, input.Shape, buffer);
        }

        foreach (Step step in steps)
        {
            step.Node.Evaluate(step.Inputs, step.InputShapes, step.Output);
            observer?.Invoke(step.Node.Output, step.Node.OutputShape, step.Output);
        }

        return Graph.Outputs.ToDictionary(o => o.Name, o => (float[])buffers[o.Name].Clone(), StringComparer.Ordinal);
    }

    /// <summary>Runs a graph with one input and one output on one example.</summary>
    public float[] Run(float[] input, ValueObserver? observer = null)
    {
        if (Graph.Inputs.Count != 1 || Graph.Outputs.Count != 1)
        {
            throw new InvalidOperationException($"The graph has {Graph.Inputs.Count} inputs and {Graph.Outputs.Count} outputs; use the dictionary overload.");
        }

        return Run(new Dictionary<string, float[]> { [Graph.Inputs[0].Name] = input }, observer)[Graph.Outputs[0].Name];
    }

    /// <summary>
    /// Refuses a value that overflowed float32 on row <paramref name="row"/> of <paramref name="data"/>: NaN and
    /// infinities have no int8 range and no argmax, so the row (or the model's weights) is bad input, named here
    /// with the value and the node that computed it.
    /// </summary>
    public static void RequireFinite(ModelGraph graph, string name, ReadOnlySpan<float> values, Data.Dataset data, int row)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                string producer = graph.ProducerOf(name) is { } node ? $", the output of node '{node.Name}' ({node.OpName})," : "";
                throw new Data.InputFileException($"{data.Where(row)}: the float model's value '{name}'{producer} is {(float.IsNaN(values[i]) ? "NaN" : "infinite")} " +
                    "on this row: its values, or the model's weights, are too large for float32");
            }
        }
    }

    /// <summary>Runs a graph with one input and one output on each row (one example each).</summary>
    public float[][] RunBatch(IReadOnlyList<float[]> rows, ValueObserver? observer = null) =>
        rows.Select(row => Run(row, observer)).ToArray();

    /// <summary>Every value of one run (graph inputs and all node outputs) by name, as fresh arrays.</summary>
    public IReadOnlyDictionary<string, float[]> CaptureAll(IReadOnlyDictionary<string, float[]> inputs)
    {
        var values = new Dictionary<string, float[]>(StringComparer.Ordinal);
        Run(inputs, (name, _, data) => values[name] = data.ToArray());
        return values;
    }

    private sealed record Step(Node Node, float[][] Inputs, int[][] InputShapes, float[] Output);
}
