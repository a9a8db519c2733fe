using Onnx;
using QuantEdge.Compiler.Graph;
using QuantEdge.Runtime.Format;

namespace QuantEdge.Compiler.Onnx;

/// <summary>
/// Converts one ONNX GraphProto into a <see cref="ModelGraph"/>. This file holds the graph-level work
/// (inputs, constants, removed pass-through nodes, outputs, pruning); OnnxGraphImporter.Dispatch.cs hands
/// each node to its op's import (src/QuantEdge.Compiler/Ops/) and holds what those share.
/// </summary>
internal sealed partial class OnnxGraphImporter
{
    private readonly GraphProto graph;
    private readonly int opset;
    private readonly string? baseDirectory;

    private readonly Dictionary<string, OnnxConstant> constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int[]> shapes = new(StringComparer.Ordinal);
    private readonly List<Node> nodes = [];
    private readonly Dictionary<string, int> producerIndex = new(StringComparer.Ordinal);

    /// <summary>Outputs of removed Identity/Dropout nodes, mapped to the value they pass through.</summary>
    private readonly Dictionary<string, string> aliases = new(StringComparer.Ordinal);

    /// <summary>How many node inputs and graph outputs read each (alias-resolved) value.</summary>
    private readonly Dictionary<string, int> useCounts = new(StringComparer.Ordinal);

    /// <summary>Every name an ONNX node reads, before alias resolution.</summary>
    private readonly HashSet<string> consumedNames = new(StringComparer.Ordinal);

    private readonly HashSet<string> graphOutputs = new(StringComparer.Ordinal);
    private readonly HashSet<string> usedNames = new(StringComparer.Ordinal);

    public OnnxGraphImporter(GraphProto graph, int opset, string? baseDirectory)
    {
        this.graph = graph;
        this.opset = opset;
        this.baseDirectory = baseDirectory;
    }

    public ModelGraph Import()
    {
        if (graph.Node.Count > HostLimits.MaxGraphNodes)
        {
            throw new OnnxImportException($"The graph has {HostLimits.Count(graph.Node.Count)} nodes; at most {HostLimits.Count(HostLimits.MaxGraphNodes)} are imported " +
                $"(a device model runs at most {HostLimits.Count(BlobFormat.MaxOps)} ops).");
        }

        foreach (TensorProto initializer in graph.Initializer)
        {
            string context = $"Initializer '{initializer.Name}'";
            if (!constants.TryAdd(initializer.Name, RequireFinite(OnnxTensors.Read(initializer, baseDirectory, context), context)))
            {
                throw new OnnxImportException($"Initializer '{initializer.Name}' is defined twice.");
            }
        }

        var resolved = new List<ResolvedDimension>();
        List<GraphValue> inputs = ReadInputs(resolved);
        FindPassThroughsAndUses();

        for (int i = 0; i < graph.Node.Count; i++)
        {
            var context = new OnnxNodeContext(graph.Node[i], i);
            try
            {
                Convert(context);
                context.RejectUnreadAttributes();
            }
            catch (Exception e) when (e is not OnnxImportException)
            {
                throw context.Error($"malformed node: {e.Message.Split(" (Parameter '")[0].TrimEnd('.')}.", e);
            }
        }

        List<GraphValue> outputs = ReadOutputs(resolved);
        CheckDeclaredValueInfos();
        List<Node> live = FeatureScalingFolding.Fold(LiveNodes(outputs), outputs.Select(o => o.Name).ToArray());
        CheckFoldedConstants(live);
        try
        {
            return new ModelGraph(inputs, outputs, live, resolved);
        }
        catch (InvalidGraphException e)
        {
            throw new OnnxImportException($"The imported graph is inconsistent: {e.Message}", e);
        }
    }

    /// <summary>
    /// A constant's floating-point elements must be finite: a NaN weight or an infinite bias has no int8 value
    /// and makes every output it reaches NaN. The message names the constant and the element's index.
    /// </summary>
    internal static OnnxConstant RequireFinite(OnnxConstant constant, string context)
    {
        if (constant.Floats is { } values)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                {
                    throw new OnnxImportException($"{context}: element {HostLimits.Count(i)}{Index(constant.Shape, i)} is {Describe(values[i])} in float32; " +
                        "constants must be finite float32 numbers (a float64 or float16 value past float32's range overflows to infinity).");
                }
            }
        }

        return constant;
    }

    private static string Describe(float value) => float.IsNaN(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity";

    /// <summary>" [0, 1, 2]": the element's position in a multi-dimensional shape (nothing for a vector).</summary>
    private static string Index(int[] shape, int flat)
    {
        if (shape.Length < 2)
        {
            return "";
        }

        var index = new int[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            index[axis] = shape[axis] == 0 ? 0 : flat % shape[axis];
            flat = shape[axis] == 0 ? 0 : flat / shape[axis];
        }

        return " [" + string.Join(", ", index) + "]";
    }

    /// <summary>
    /// Folding multiplies constants (a BatchNormalization's scale into weights, a Mul into a bias): finite
    /// inputs can overflow float32 there. The message names the node the constants ended up in.
    /// </summary>
    private static void CheckFoldedConstants(List<Node> live)
    {
        foreach (Node node in live)
        {
            foreach ((string what, float[] values) in node.Constants())
            {
                int bad = Array.FindIndex(values, v => !float.IsFinite(v));
                if (bad >= 0)
                {
                    throw new OnnxImportException($"Node '{node.Name}' ({node.OpName}): {what} {HostLimits.Count(bad)} is {Describe(values[bad])} after folding " +
                        "the constants around it (they overflow float32); check the model's weights and normalization constants.");
                }
            }
        }
    }

    private List<GraphValue> ReadInputs(List<ResolvedDimension> resolved)
    {
        var inputs = new List<GraphValue>();
        foreach (ValueInfoProto input in graph.Input)
        {
            if (constants.ContainsKey(input.Name))
            {
                continue; // IR < 4 lists initializers among the inputs too.
            }

            string context = $"Graph input '{input.Name}'";
            int[] shape = DeclaredInputShape(input, context, resolved)
                ?? throw new OnnxImportException($"{context} has no shape; export the model with a static input shape (an open batch dimension is fine).");
            if (shape.Aggregate(1L, (product, d) => Math.Min(product * d, 1L << 40)) > int.MaxValue)
            {
                throw new OnnxImportException($"{context}: shape {Shapes.Format(shape)} holds more elements than a tensor can ({int.MaxValue}).");
            }

            inputs.Add(new GraphValue(input.Name, shape));
            DefineActivation(input.Name, shape, context);
        }

        return inputs.Count > 0 ? inputs : throw new OnnxImportException("The graph has no (non-initializer) inputs.");
    }

    /// <summary>The tensor type of a graph input or output, which must be float32.</summary>
    private static TypeProto.Types.Tensor TensorType(ValueInfoProto value, string context)
    {
        if (value.Type?.TensorType is not { } tensorType)
        {
            throw new OnnxImportException($"{context} is not a tensor (sequences, maps and optionals are not supported).");
        }

        if (tensorType.HasElemType && tensorType.ElemType != (int)TensorProto.Types.DataType.Float)
        {
            throw new OnnxImportException($"{context} has element type {(TensorProto.Types.DataType)tensorType.ElemType}; only float32 graph inputs and outputs are supported.");
        }

        return tensorType;
    }

    /// <summary>
    /// A graph input's declared shape, with an open first (batch) dimension fixed at 1; null when no
    /// shape is declared. Open dimensions elsewhere are refused.
    /// </summary>
    private static int[]? DeclaredInputShape(ValueInfoProto value, string context, List<ResolvedDimension> resolved)
    {
        TypeProto.Types.Tensor tensorType = TensorType(value, context);
        if (tensorType.Shape is null)
        {
            return null;
        }

        var shape = new int[tensorType.Shape.Dim.Count];
        for (int axis = 0; axis < shape.Length; axis++)
        {
            TensorShapeProto.Types.Dimension dim = tensorType.Shape.Dim[axis];
            if (dim.HasDimValue && dim.DimValue > 0)
            {
                shape[axis] = dim.DimValue <= int.MaxValue ? (int)dim.DimValue : throw new OnnxImportException($"{context}: dimension {axis} is {dim.DimValue}, too large.");
            }
            else if (axis == 0)
            {
                shape[axis] = 1;
                resolved.Add(new ResolvedDimension(value.Name, axis, dim.HasDimParam && dim.DimParam.Length > 0 ? dim.DimParam : null, 1));
            }
            else
            {
                string what = dim.HasDimParam ? $"symbolic ('{dim.DimParam}')" : dim.HasDimValue ? $"{dim.DimValue}" : "unknown";
                throw new OnnxImportException($"{context}: dimension {axis} is {what}; only the first (batch) dimension may be open.");
            }
        }

        return shape;
    }

    /// <summary>
    /// Decides which Identity/Dropout nodes disappear (all but those writing a graph output, which
    /// become copies so that output names survive) and counts the readers of every value, which tells
    /// whether a Conv/Dense output can absorb the operation after it.
    /// </summary>
    private void FindPassThroughsAndUses()
    {
        graphOutputs.UnionWith(graph.Output.Select(o => o.Name));
        usedNames.UnionWith(graphOutputs);
        usedNames.UnionWith(constants.Keys);
        usedNames.UnionWith(shapes.Keys);
        foreach (NodeProto node in graph.Node)
        {
            consumedNames.UnionWith(node.Input.Where(n => n.Length > 0));
            usedNames.UnionWith(node.Output);
            if (IsPassThrough(node) && node.Input.Count > 0 && node.Output.Count > 0 && !graphOutputs.Contains(node.Output[0]))
            {
                aliases[node.Output[0]] = node.Input[0];
            }
        }

        foreach (NodeProto node in graph.Node)
        {
            if (node.Output.Count > 0 && aliases.ContainsKey(node.Output[0]))
            {
                continue;
            }

            foreach (string input in node.Input.Where(n => n.Length > 0))
            {
                CountUse(input);
            }
        }

        foreach (string output in graphOutputs)
        {
            CountUse(output);
        }
    }

    private static bool IsPassThrough(NodeProto node) => node.Domain is "" or "ai.onnx" && node.OpType is "Identity" or "Dropout";

    private void CountUse(string name)
    {
        string value = Resolve(name);
        useCounts[value] = useCounts.GetValueOrDefault(value) + 1;
    }

    private string Resolve(string name)
    {
        for (int hops = 0; aliases.TryGetValue(name, out string? target); hops++)
        {
            if (hops > aliases.Count)
            {
                throw new OnnxImportException($"Identity/Dropout nodes form a cycle through '{name}'.");
            }

            name = target;
        }

        return name;
    }

    private List<GraphValue> ReadOutputs(List<ResolvedDimension> resolved)
    {
        var outputs = new List<GraphValue>();
        foreach (ValueInfoProto output in graph.Output)
        {
            string context = $"Graph output '{output.Name}'";
            if (constants.ContainsKey(output.Name))
            {
                throw new OnnxImportException($"{context} is a constant; the graph must compute it from its inputs.");
            }

            if (!shapes.TryGetValue(output.Name, out int[]? shape))
            {
                throw new OnnxImportException($"{context} is not produced by any node.");
            }

            TensorShapeProto? declared = TensorType(output, context).Shape;
            if (declared is not null)
            {
                if (!Compatible(output, shape))
                {
                    throw new OnnxImportException($"{context} is declared {DescribeDeclared(output)} but computes as {Shapes.Format(shape)}.");
                }

                if (declared.Dim.Count > 0 && !(declared.Dim[0].HasDimValue && declared.Dim[0].DimValue > 0))
                {
                    resolved.Add(new ResolvedDimension(output.Name, 0, declared.Dim[0].DimParam is { Length: > 0 } symbol ? symbol : null, shape[0]));
                }
            }

            outputs.Add(new GraphValue(output.Name, shape));
        }

        return outputs.Count > 0 ? outputs : throw new OnnxImportException("The graph has no outputs.");
    }

    /// <summary>Intermediate value_info entries that survived folding must agree with the inferred shapes.</summary>
    private void CheckDeclaredValueInfos()
    {
        foreach (ValueInfoProto info in graph.ValueInfo)
        {
            if (shapes.TryGetValue(info.Name, out int[]? shape) && info.Type?.TensorType?.Shape is not null && !Compatible(info, shape))
            {
                throw new OnnxImportException($"Value '{info.Name}' is declared {DescribeDeclared(info)} in the model but computes as {Shapes.Format(shape)}.");
            }
        }
    }

    /// <summary>Same rank, and every declared numeric dimension (other than an open 0 or −1) equal.</summary>
    private static bool Compatible(ValueInfoProto declared, int[] shape)
    {
        var dims = declared.Type.TensorType.Shape.Dim;
        return dims.Count == shape.Length
            && dims.Select((d, axis) => !d.HasDimValue || d.DimValue <= 0 || d.DimValue == shape[axis]).All(ok => ok);
    }

    private static string DescribeDeclared(ValueInfoProto value) =>
        "[" + string.Join(", ", value.Type.TensorType.Shape.Dim.Select(d => d.HasDimValue ? d.DimValue.ToString() : d.HasDimParam ? d.DimParam : "?")) + "]";

    /// <summary>The nodes some graph output depends on, in order.</summary>
    private List<Node> LiveNodes(List<GraphValue> outputs)
    {
        var needed = new HashSet<string>(outputs.Select(o => o.Name), StringComparer.Ordinal);
        var live = new List<Node>();
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            if (needed.Contains(nodes[i].Output))
            {
                live.Add(nodes[i]);
                needed.UnionWith(nodes[i].Inputs);
            }
        }

        live.Reverse();
        return live;
    }

    private void DefineActivation(string name, int[] shape, string context)
    {
        if (shapes.ContainsKey(name) || constants.ContainsKey(name))
        {
            throw new OnnxImportException($"{context}: value '{name}' is defined twice.");
        }

        shapes[name] = shape;
    }

    private void DefineConstant(string name, OnnxConstant value, OnnxNodeContext context)
    {
        if (shapes.ContainsKey(name) || !constants.TryAdd(name, value))
        {
            throw context.Error($"value '{name}' is defined twice.");
        }
    }

    /// <summary>Adds an IR node after inferring its output shape; shape errors name the ONNX node.</summary>
    private Node Emit(Node node, OnnxNodeContext context)
    {
        try
        {
            node = node.WithInferredShape(name => shapes[name]);
        }
        catch (InvalidGraphException e)
        {
            throw context.Error($"inconsistent shapes: {e.Message}");
        }

        DefineActivation(node.Output, node.OutputShape, context.Description);
        producerIndex[node.Output] = nodes.Count;
        nodes.Add(node);
        return node;
    }

    /// <summary>A fresh value name for a node the importer adds (e.g. the reshapes around an old-style Softmax).</summary>
    private string NewValueName(string stem)
    {
        string name = stem;
        for (int i = 1; !usedNames.Add(name); i++)
        {
            name = $"{stem}_{i}";
        }

        return name;
    }

    /// <summary>
    /// The node producing <paramref name="value"/> when the one operation reading it may be merged
    /// into it: nothing else reads the value and it is not a graph output.
    /// </summary>
    private bool TryGetSoleProducer(string value, out int index)
    {
        index = -1;
        return useCounts.GetValueOrDefault(value) == 1
            && !graphOutputs.Contains(value)
            && producerIndex.TryGetValue(value, out index);
    }

    /// <summary>The Conv2D or Dense producing <paramref name="value"/>, when an operation on it can be folded in.</summary>
    private bool TryGetFoldTarget(string value, out int index) =>
        TryGetSoleProducer(value, out index) && nodes[index] is IOutputChannelLayer;

    /// <summary>Replaces a node with its folded version (or itself), which now produces <paramref name="output"/>.</summary>
    private void ReplaceFolded(int index, Node folded, string output, OnnxNodeContext context)
    {
        string old = nodes[index].Output;
        shapes.Remove(old);
        producerIndex.Remove(old);
        nodes[index] = folded with { Output = output };
        DefineActivation(output, folded.OutputShape, context.Description);
        producerIndex[output] = index;
    }
}
