using Onnx;

namespace QuantEdge.Compiler.Onnx;

/// <summary>
/// One ONNX node under conversion: typed access to its attributes (remembering which were read, so
/// that any other attribute is refused) and a message prefix naming the node.
/// </summary>
internal sealed class OnnxNodeContext
{
    private readonly Dictionary<string, AttributeProto> attributes = new(StringComparer.Ordinal);
    private readonly HashSet<string> read = new(StringComparer.Ordinal);

    public OnnxNodeContext(NodeProto node, int index)
    {
        Node = node;
        Index = index;
        Description = $"Node {index} '{(node.Name.Length > 0 ? node.Name : "<unnamed>")}' ({node.OpType})";
        foreach (AttributeProto attribute in node.Attribute)
        {
            if (!attributes.TryAdd(attribute.Name, attribute))
            {
                throw Error($"attribute '{attribute.Name}' appears twice.");
            }
        }
    }

    public NodeProto Node { get; }

    public int Index { get; }

    /// <summary>"Node 3 'conv1' (Conv)".</summary>
    public string Description { get; }

    /// <summary>A name for the IR node: the ONNX name, or one made from the op type and index.</summary>
    public string IrName => Node.Name.Length > 0 ? Node.Name : $"{Node.OpType}_{Index}";

    public OnnxImportException Error(string detail) => new($"{Description}: {detail}");

    public OnnxImportException Error(string detail, Exception inner) => new($"{Description}: {detail}", inner);

    /// <summary>The name of input <paramref name="i"/>, or null when it is absent or left empty.</summary>
    public string? InputName(int i) => i < Node.Input.Count && Node.Input[i].Length > 0 ? Node.Input[i] : null;

    public string OutputName(int i) => i < Node.Output.Count && Node.Output[i].Length > 0
        ? Node.Output[i]
        : throw Error($"output {i} is missing.");

    public void RequireInputs(int min, int max)
    {
        if (Node.Input.Count < min || Node.Input.Count > max || InputName(0) is null)
        {
            throw Error(min == max
                ? $"needs {min} input(s), has {Node.Input.Count}."
                : $"needs {min} to {max} inputs, has {Node.Input.Count}.");
        }
    }

    /// <summary>Whether the node carries attribute <paramref name="name"/> (which counts as supported).</summary>
    public bool Has(string name)
    {
        read.Add(name);
        return attributes.ContainsKey(name);
    }

    public long Int(string name, long fallback) =>
        Get(name, AttributeProto.Types.AttributeType.Int) is { } a ? a.I : fallback;

    public float Float(string name, float fallback) =>
        Get(name, AttributeProto.Types.AttributeType.Float) is { } a ? a.F : fallback;

    public string String(string name, string fallback) =>
        Get(name, AttributeProto.Types.AttributeType.String) is { } a ? a.S.ToStringUtf8() : fallback;

    public long[]? Ints(string name) =>
        Get(name, AttributeProto.Types.AttributeType.Ints) is { } a ? a.Ints.ToArray() : null;

    public float[]? Floats(string name) =>
        Get(name, AttributeProto.Types.AttributeType.Floats) is { } a ? a.Floats.ToArray() : null;

    public TensorProto? Tensor(string name) =>
        Get(name, AttributeProto.Types.AttributeType.Tensor) is { } a ? a.T : null;

    /// <summary>Marks attributes that do not change inference results (e.g. a dropout seed) as understood.</summary>
    public void Ignore(params string[] names) => read.UnionWith(names);

    /// <summary>Refuses the node if it carries an attribute no handler read.</summary>
    public void RejectUnreadAttributes()
    {
        string[] unread = attributes.Keys.Where(k => !read.Contains(k)).Order(StringComparer.Ordinal).ToArray();
        if (unread.Length > 0)
        {
            string known = read.Count == 0 ? "none" : string.Join(", ", read.Order(StringComparer.Ordinal));
            throw Error($"attribute(s) {string.Join(", ", unread.Select(u => $"'{u}'"))} not supported (supported for this op: {known}).");
        }
    }

    private AttributeProto? Get(string name, AttributeProto.Types.AttributeType type)
    {
        read.Add(name);
        if (!attributes.TryGetValue(name, out AttributeProto? attribute))
        {
            return null;
        }

        if (attribute.Type != AttributeProto.Types.AttributeType.Undefined && attribute.Type != type)
        {
            throw Error($"attribute '{name}' is {attribute.Type}, expected {type}.");
        }

        return attribute;
    }
}
