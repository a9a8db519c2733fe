namespace QuantEdge.Compiler.Graph;

/// <summary>A named graph input or output and its shape.</summary>
public sealed record GraphValue(string Name, int[] Shape)
{
    public override string ToString() => $"{Name} {Shapes.Format(Shape)}";
}

/// <summary>
/// A dimension the model left open (an ONNX dim_param such as "batch", or no value at all) that the
/// importer fixed. <paramref name="Symbol"/> is null when the dimension had neither value nor name.
/// </summary>
public sealed record ResolvedDimension(string ValueName, int Axis, string? Symbol, int Value);

/// <summary>
/// A float inference graph: typed nodes in topological order over named values. Every value is
/// either a graph input or the output of exactly one node; constants live inside the nodes. All
/// shapes are concrete: an open batch dimension is fixed at 1 (see <see cref="ResolvedDimensions"/>),
/// so one run of the graph processes one example.
/// </summary>
/// <remarks>
/// The constructor checks the graph: unique names, every input defined before use, every node's
/// <see cref="Node.OutputShape"/> equal to its inferred shape, every graph output produced with the
/// declared shape. A graph that exists is consistent.
/// </remarks>
public sealed class ModelGraph
{
    private readonly Dictionary<string, int[]> shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Node> producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Node>> consumers = new(StringComparer.Ordinal);

    public ModelGraph(
        IReadOnlyList<GraphValue> inputs,
        IReadOnlyList<GraphValue> outputs,
        IReadOnlyList<Node> nodes,
        IReadOnlyList<ResolvedDimension>? resolvedDimensions = null)
    {
        Inputs = inputs.ToArray();
        Outputs = outputs.ToArray();
        Nodes = nodes.ToArray();
        ResolvedDimensions = (resolvedDimensions ?? []).ToArray();

        foreach (GraphValue input in Inputs)
        {
            FloatTensor.ElementCount(input.Shape);
            Define(input.Name, input.Shape, $"graph input '{input.Name}'");
        }

        foreach (Node node in Nodes)
        {
            var inputShapes = new int[node.Inputs.Count][];
            for (int i = 0; i < inputShapes.Length; i++)
            {
                string name = node.Inputs[i];
                if (!shapes.TryGetValue(name, out int[]? shape))
                {
                    throw new InvalidGraphException($"{node}: input '{name}' is not a graph input nor produced by an earlier node.");
                }

                inputShapes[i] = shape;
                if (!consumers.TryGetValue(name, out List<Node>? users))
                {
                    consumers[name] = users = [];
                }

                users.Add(node);
            }

            int[] inferred = node.InferOutputShape(inputShapes);
            if (!Shapes.Equal(inferred, node.OutputShape))
            {
                throw new InvalidGraphException($"{node}: output shape should be {Shapes.Format(inferred)}.");
            }

            Define(node.Output, node.OutputShape, node.ToString());
            producers[node.Output] = node;
        }

        var outputNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (GraphValue output in Outputs)
        {
            if (!outputNames.Add(output.Name))
            {
                throw new InvalidGraphException($"Graph output '{output.Name}' is listed twice.");
            }

            if (!shapes.TryGetValue(output.Name, out int[]? shape))
            {
                throw new InvalidGraphException($"Graph output '{output.Name}' is never produced.");
            }

            if (!Shapes.Equal(shape, output.Shape))
            {
                throw new InvalidGraphException($"Graph output '{output.Name}' is declared {Shapes.Format(output.Shape)} but computed as {Shapes.Format(shape)}.");
            }
        }
    }

    public IReadOnlyList<GraphValue> Inputs { get; }

    public IReadOnlyList<GraphValue> Outputs { get; }

    /// <summary>In topological order: a node's inputs are graph inputs or outputs of nodes before it.</summary>
    public IReadOnlyList<Node> Nodes { get; }

    /// <summary>The model's metadata (ONNX metadata_props): key → value.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; internal set; } = new Dictionary<string, string>();

    /// <summary>Open dimensions of graph inputs and outputs that the importer fixed (to 1).</summary>
    public IReadOnlyList<ResolvedDimension> ResolvedDimensions { get; }

    /// <summary>Shape of every value: graph inputs and node outputs.</summary>
    public IReadOnlyDictionary<string, int[]> ValueShapes => shapes;

    public int[] ShapeOf(string value) =>
        shapes.TryGetValue(value, out int[]? shape) ? shape : throw new KeyNotFoundException($"No value '{value}' in the graph.");

    /// <summary>The node producing <paramref name="value"/>, or null for a graph input.</summary>
    public Node? ProducerOf(string value) => producers.GetValueOrDefault(value);

    /// <summary>The nodes reading <paramref name="value"/>, in graph order.</summary>
    public IReadOnlyList<Node> ConsumersOf(string value) =>
        consumers.TryGetValue(value, out List<Node>? users) ? users : [];

    private void Define(string name, int[] shape, string what)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new InvalidGraphException($"{what} has an empty value name.");
        }

        if (!shapes.TryAdd(name, shape))
        {
            throw new InvalidGraphException($"{what}: value '{name}' is defined twice.");
        }
    }
}
