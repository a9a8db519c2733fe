using Google.Protobuf;
using Onnx;
using QuantEdge.Compiler.Graph;

namespace QuantEdge.Compiler.Onnx;

/// <summary>
/// Writes ONNX models: a fluent way to declare inputs, initializers, nodes (with attributes) and
/// outputs, then <see cref="ToBytes"/> or <see cref="Save"/>. The result is a ModelProto with the
/// default-domain opset (plus any extra domains imported), the IR version that opset needs, the graph,
/// its initializers and value infos. Names are not checked against each other: ONNX Runtime (or the
/// importer) validates the graph when it loads it.
/// </summary>
/// <example>
/// <code>
/// byte[] model = new OnnxModelBuilder(opset: 13)
///     .Input("x", "N", 4)
///     .Initializer("W", [3, 4], weights)
///     .Initializer("b", [3], bias)
///     .Node("Gemm", ["x", "W", "b"], ["y"], a => a.Int("transB", 1))
///     .Output("y", "N", 3)
///     .ToBytes();
/// </code>
/// </example>
public sealed class OnnxModelBuilder
{
    private readonly ModelProto model;
    private readonly GraphProto graph;

    /// <param name="opset">Version of the default ("ai.onnx") operator set.</param>
    /// <param name="graphName">The graph's name.</param>
    public OnnxModelBuilder(int opset = 13, string graphName = "main")
    {
        graph = new GraphProto { Name = graphName };
        model = new ModelProto
        {
            IrVersion = IrVersionFor(opset),
            ProducerName = "QuantEdge",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
    }

    /// <summary>The IR version written: by default the lowest one that knows the opset.</summary>
    public long IrVersion
    {
        get => model.IrVersion;
        set => model.IrVersion = value;
    }

    /// <summary>Imports another operator set domain (e.g. "com.microsoft").</summary>
    public OnnxModelBuilder ImportOpset(string domain, int version)
    {
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        return this;
    }

    /// <summary>The model's doc string: free text for people (how it was made, what it expects).</summary>
    public OnnxModelBuilder DocString(string text)
    {
        model.DocString = text;
        return this;
    }

    /// <summary>Adds a key/value pair to the model's metadata_props.</summary>
    public OnnxModelBuilder Metadata(string key, string value)
    {
        model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return this;
    }

    /// <summary>A float32 graph input.</summary>
    public OnnxModelBuilder Input(string name, params Dim[] shape) => Input(name, OnnxElementType.Float, shape);

    public OnnxModelBuilder Input(string name, OnnxElementType type, params Dim[] shape)
    {
        graph.Input.Add(ValueInfoProto(name, type, shape));
        return this;
    }

    /// <summary>A float32 graph output.</summary>
    public OnnxModelBuilder Output(string name, params Dim[] shape) => Output(name, OnnxElementType.Float, shape);

    public OnnxModelBuilder Output(string name, OnnxElementType type, params Dim[] shape)
    {
        graph.Output.Add(ValueInfoProto(name, type, shape));
        return this;
    }

    /// <summary>Declares the type and shape of an intermediate value (optional in ONNX).</summary>
    public OnnxModelBuilder ValueInfo(string name, params Dim[] shape) => ValueInfo(name, OnnxElementType.Float, shape);

    public OnnxModelBuilder ValueInfo(string name, OnnxElementType type, params Dim[] shape)
    {
        graph.ValueInfo.Add(ValueInfoProto(name, type, shape));
        return this;
    }

    public OnnxModelBuilder Initializer(string name, FloatTensor tensor) => Initializer(name, tensor.Shape, tensor.Data);

    public OnnxModelBuilder Initializer(string name, int[] shape, float[] data) => AddInitializer(OnnxTensors.Create(name, shape, data));

    public OnnxModelBuilder Initializer(string name, int[] shape, long[] data) => AddInitializer(OnnxTensors.Create(name, shape, data));

    public OnnxModelBuilder Initializer(string name, int[] shape, int[] data) => AddInitializer(OnnxTensors.Create(name, shape, data));

    public OnnxModelBuilder Initializer(string name, int[] shape, sbyte[] data) => AddInitializer(OnnxTensors.Create(name, shape, data));

    public OnnxModelBuilder Initializer(string name, int[] shape, byte[] data) => AddInitializer(OnnxTensors.Create(name, shape, data));

    public OnnxModelBuilder Initializer(string name, int[] shape, bool[] data) => AddInitializer(OnnxTensors.Create(name, shape, data));

    /// <summary>
    /// Appends a node. Nodes must be added in topological order. An empty string in
    /// <paramref name="inputs"/> leaves an optional input out. <paramref name="name"/> defaults to
    /// "&lt;opType&gt;_&lt;index&gt;".
    /// </summary>
    public OnnxModelBuilder Node(
        string opType,
        string[] inputs,
        string[] outputs,
        Action<OnnxAttributes>? attributes = null,
        string? name = null,
        string domain = "")
    {
        var node = new NodeProto { OpType = opType, Name = name ?? $"{opType}_{graph.Node.Count}", Domain = domain };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        if (attributes is not null)
        {
            var set = new OnnxAttributes();
            attributes(set);
            node.Attribute.AddRange(set.Items);
        }

        graph.Node.Add(node);
        return this;
    }

    public byte[] ToBytes() => model.ToByteArray();

    public void Save(string path) => File.WriteAllBytes(path, ToBytes());

    /// <summary>The lowest IR version that supports <paramref name="opset"/> (ONNX's versioning table).</summary>
    public static long IrVersionFor(int opset) => opset switch
    {
        <= 8 => 3,
        9 => 4,
        10 => 5,
        11 => 6,
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        <= 22 => 10,
        _ => 11,
    };

    private OnnxModelBuilder AddInitializer(TensorProto tensor)
    {
        graph.Initializer.Add(tensor);
        return this;
    }

    private static ValueInfoProto ValueInfoProto(string name, OnnxElementType type, Dim[] shape)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = new TensorShapeProto() };
        foreach (Dim dim in shape)
        {
            var d = new TensorShapeProto.Types.Dimension();
            if (dim.Value is long value)
            {
                d.DimValue = value;
            }
            else if (dim.Symbol is string symbol)
            {
                d.DimParam = symbol;
            }

            tensorType.Shape.Dim.Add(d);
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
