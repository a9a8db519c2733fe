using System.Reflection;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Ops;

namespace QuantEdge.Compiler.Quantization.Lowering;

/// <summary>A graph the device cannot run as it is: the message names the node and the reason.</summary>
public sealed class UnsupportedModelException(string message) : Exception(message);

/// <summary>
/// What a device step computes: one device op each (a new op adds its kind here, with what its device op
/// can do as <see cref="StepTraitsAttribute"/>; its plan and lowering go in its file, <c>Ops/&lt;Op&gt;.cs</c>).
/// </summary>
internal enum StepKind
{
    [StepTraits(FusesActivation = true, TakesAnyOrder = true)]
    FullyConnected,
    [StepTraits(FusesActivation = true)]
    Conv2D,
    [StepTraits(FusesActivation = true)]
    DepthwiseConv2D,
    [StepTraits(InputsShareQuantization = true)]
    MaxPool,
    [StepTraits(InputsShareQuantization = true)]
    AveragePool,
    GlobalAveragePool,
    [StepTraits(FusesActivation = true, ElementWise = true)]
    Add,
    [StepTraits(ElementWise = true)]
    Mul,
    [StepTraits(ElementWise = true)]
    Lookup,
    Softmax,
    [StepTraits(InputsShareQuantization = true)]
    Reshape,
    [StepTraits(InputsShareQuantization = true)]
    Concat,
    [StepTraits(FusesActivation = true)]
    Sub,
    [StepTraits(FusesActivation = true)]
    Maximum,
    [StepTraits(FusesActivation = true)]
    Minimum,
    [StepTraits(InputsShareQuantization = true)]
    Pad,
    [StepTraits(InputsShareQuantization = true)]
    Transpose,
    [StepTraits(InputsShareQuantization = true)]
    Slice,
}

/// <summary>What the device op of a <see cref="StepKind"/> can do, which the plan asks instead of listing kinds.</summary>
[AttributeUsage(AttributeTargets.Field)]
internal sealed class StepTraitsAttribute : Attribute
{
    private static readonly Dictionary<StepKind, StepTraitsAttribute> Traits = Enum.GetValues<StepKind>().ToDictionary(
        k => k, k => typeof(StepKind).GetField(k.ToString())!.GetCustomAttribute<StepTraitsAttribute>() ?? new());

    /// <summary>Its output stage clamps, so a ReLU or Clip right after it fuses into it.</summary>
    public bool FusesActivation { get; init; }

    /// <summary>
    /// It computes element by element: it takes its inputs in any element order (a flattened image in NHWC order
    /// too, both inputs in the same one) and writes its output in that order.
    /// </summary>
    public bool ElementWise { get; init; }

    /// <summary>It takes its input in any element order (a fully connected layer permutes its weights' columns).</summary>
    public bool TakesAnyOrder { get; init; }

    /// <summary>
    /// It moves codes without requantizing them (a pool, a copy in another shape or order, or its inputs' bytes side by
    /// side): every input shares the output's quantization, which the device op checks at load.
    /// </summary>
    public bool InputsShareQuantization { get; init; }

    public static StepTraitsAttribute Of(StepKind kind) => Traits[kind];
}

/// <summary>
/// One op of the device model: the graph node it comes from, the graph values it reads, and the
/// value whose int8 tensor it writes (a fused activation's output when one was fused).
/// </summary>
internal sealed record Step(StepKind Kind, Node Node, IReadOnlyList<string> Inputs, string Output)
{
    /// <summary>A ReLU or Clip fused into this step's output clamp.</summary>
    public Node? Activation { get; init; }

    /// <summary>For <see cref="StepKind.Lookup"/>: the real function the table holds.</summary>
    public Func<double, double>? Function { get; init; }

    /// <summary>For depthwise steps made from a per-channel affine map or a padded average pool: weights [C] or [KH·KW·C] and bias [C].</summary>
    public (float[] Weights, float[] Bias, int KernelHeight, int KernelWidth)? SyntheticDepthwise { get; init; }

    /// <summary>Fixed output quantization (softmax, sigmoid, tanh), or null when calibration chooses it.</summary>
    public QuantParams? FixedOutput { get; init; }
}

/// <summary>A graph value that becomes an int8 tensor on the device, and how its elements are laid out there.</summary>
internal sealed record DeviceValue(string Name, int[] FloatShape, int[] Dims, int[] FlatOrder)
{
    /// <summary>The graph value whose float values this tensor holds: itself, or the original of a requantized copy.</summary>
    public required string Source { get; init; }

    /// <summary>Element count.</summary>
    public int Length => FlatOrder.Length;

    /// <summary>True when device element j is float element j (vectors, and images with one channel or one pixel).</summary>
    public bool IsIdentityOrder => FlatOrder.Select((f, j) => f == j).All(same => same);
}

/// <summary>
/// How a float graph maps onto the device's ops: which nodes fuse, which values become int8 tensors
/// (NHWC, in what element order), which tensors must share a quantization. Made once per graph; the
/// quantizer then calibrates exactly these values and lowers the steps with the ranges it chose.
/// </summary>
internal sealed partial class DevicePlan
{
    /// <summary>Each node type's plan: a <c>[ForOp(typeof(NodeType))]</c> method in the op's file, <c>Ops/&lt;Op&gt;.cs</c>.</summary>
    private static readonly OpParts<Type> Plans = new(typeof(DevicePlan));

    private readonly Dictionary<string, DeviceValue> values = new(StringComparer.Ordinal);

    /// <summary>The activations fused into the step before them: planned with it, not on their own.</summary>
    private readonly HashSet<Node> fused = [];

    private DevicePlan(ModelGraph graph)
    {
        Graph = graph;
    }

    public ModelGraph Graph { get; }

    public List<Step> Steps { get; } = [];

    public string Input { get; private set; } = "";

    public string Output { get; private set; } = "";

    /// <summary>
    /// True when the model input is a feature vector read only by fully connected layers: then each
    /// feature gets its own scale and zero point, compensated in those layers' weights and bias.
    /// </summary>
    public bool PerFeatureInput { get; private set; }

    public IEnumerable<DeviceValue> Values => values.Values;

    public DeviceValue Value(string name) => values[name];

    public static DevicePlan Build(ModelGraph graph, bool perFeatureInput = true)
    {
        if (graph.Inputs.Count != 1 || graph.Outputs.Count != 1)
        {
            throw new UnsupportedModelException($"the device runs models with one input and one output; this one has {graph.Inputs.Count} inputs and {graph.Outputs.Count} outputs");
        }

        var plan = new DevicePlan(graph);
        plan.Input = graph.Inputs[0].Name;
        plan.Output = graph.Outputs[0].Name;
        plan.AddValue(plan.Input, graph.Inputs[0].Shape, order: null);

        foreach (Node node in graph.Nodes)
        {
            if (!plan.fused.Contains(node))
            {
                plan.Plan(node);
            }
        }

        if (!plan.values.ContainsKey(plan.Output))
        {
            throw new UnsupportedModelException($"the model output '{plan.Output}' is not produced by any device op");
        }

        if (!plan.values[plan.Output].IsIdentityOrder && graph.Outputs[0].Shape.Length <= 2)
        {
            throw new UnsupportedModelException($"the model output '{plan.Output}' would be in the device's NHWC order, not the model's; end the model with a layer that takes a flattened vector (Gemm/MatMul)");
        }

        // Per feature only for one row at a time ([1, F], the usual open batch): a fixed batch of
        // several rows takes one rule, as the blob has one rule or one per feature of a row.
        plan.PerFeatureInput = perFeatureInput && graph.Inputs[0].Shape.Length == 2 && graph.Inputs[0].Shape[0] == 1
            && plan.Steps.Where(s => s.Inputs.Contains(plan.Input)).All(s => s.Kind == StepKind.FullyConnected);
        return plan;
    }

    /// <summary>The node's plan: a <c>[ForOp(typeof(NodeType))]</c> method in the op's file, <c>Ops/&lt;Op&gt;.cs</c>.</summary>
    private void Plan(Node node)
    {
        if (!Plans.TryRunFor(this, node, [node], out _))
        {
            throw Unsupported(node, "no device op for it");
        }
    }

    /// <summary>A per-channel affine map as a 1×1 depthwise convolution: weight = scale[c], bias = shift[c].</summary>
    private Step ChannelAffineStep(Node node, float[] scale, float[] shift) =>
        new(StepKind.DepthwiseConv2D, node, [node.Inputs[0]], node.Output)
        {
            SyntheticDepthwise = (scale, shift, 1, 1),
        };

    private static Step Lookup(Node node, Func<double, double> f) =>
        new(StepKind.Lookup, node, [node.Inputs[0]], node.Output) { Function = f };

    private void AddStep(Step step)
    {
        StepTraitsAttribute traits = StepTraitsAttribute.Of(step.Kind);
        foreach (string input in step.Inputs)
        {
            if (!values.ContainsKey(input))
            {
                throw Unsupported(step.Node, $"input '{input}' has no device tensor");
            }

            if (!traits.TakesAnyOrder && !traits.ElementWise && !values[input].IsIdentityOrder
                && !values[input].FlatOrder.SequenceEqual(NaturalOrder(values[input].FloatShape)))
            {
                throw Unsupported(step.Node, $"input '{input}' is a flattened image in the device's NHWC order, which only fully connected layers and element-wise ops can take");
            }
        }

        Node? activation = FusableActivation(step);
        if (activation != null)
        {
            fused.Add(activation);
            step = step with { Activation = activation, Output = activation.Output };
        }

        // Element-wise ops keep their input's element order; everything else writes its natural order.
        int[] outputShape = Graph.ShapeOf(step.Output);
        int[]? order = traits.ElementWise ? values[step.Inputs[0]].FlatOrder : null;
        if (traits.ElementWise && step.Inputs.Count == 2 && !values[step.Inputs[0]].FlatOrder.SequenceEqual(values[step.Inputs[1]].FlatOrder))
        {
            throw Unsupported(step.Node, "its two inputs are laid out differently on the device");
        }

        AddValue(step.Output, outputShape, order);
        Steps.Add(step);
    }

    /// <summary>A ReLU or Clip right after a layer that clamps its output, when nothing else reads the layer's output.</summary>
    private Node? FusableActivation(Step step)
    {
        if (!StepTraitsAttribute.Of(step.Kind).FusesActivation || step.Output == Output)
        {
            return null;
        }

        IReadOnlyList<Node> users = Graph.ConsumersOf(step.Output);
        return users.Count == 1 && users[0] is PointwiseNode { ClampRange: not null } ? users[0] : null;
    }

    private void AddValue(string name, int[] floatShape, int[]? order)
    {
        values[name] = new DeviceValue(name, floatShape, DeviceDims(floatShape), order ?? NaturalOrder(floatShape)) { Source = name };
    }

    /// <summary>NHWC dims of a float value: [N,C,H,W] → [N,H,W,C], [N,C,W] → [N,1,W,C], [N,F] → [N,1,1,F], [F] → [1,1,1,F].</summary>
    public static int[] DeviceDims(int[] shape) => shape.Length switch
    {
        4 => [shape[0], shape[2], shape[3], shape[1]],
        3 => [shape[0], 1, shape[2], shape[1]],
        2 => [shape[0], 1, 1, shape[1]],
        1 => [1, 1, 1, shape[0]],
        _ => throw new UnsupportedModelException($"a value of shape {Shapes.Format(shape)}: the device takes tensors of rank 1 to 4"),
    };

    /// <summary>For each axis of a rank-1 to rank-4 float value, the NHWC axis of its device tensor that holds it (as <see cref="DeviceDims"/> lays them).</summary>
    public static int[] DeviceAxes(int rank) => rank switch
    {
        4 => [0, 3, 1, 2],
        3 => [0, 3, 2],
        2 => [0, 3],
        1 => [3],
        _ => throw new UnsupportedModelException($"a value of rank {rank}: the device takes tensors of rank 1 to 4"),
    };

    /// <summary>For each device (NHWC) element, the index of the float (NCHW, row-major) element it holds.</summary>
    public static int[] NaturalOrder(int[] shape)
    {
        if (shape.Length <= 2)
        {
            return Enumerable.Range(0, FloatTensor.ElementCount(shape)).ToArray();
        }

        NchwShape s = NchwShape.Of(shape);
        var order = new int[s.Batch * s.Channels * s.Height * s.Width];
        int j = 0;
        for (int n = 0; n < s.Batch; n++)
        {
            for (int h = 0; h < s.Height; h++)
            {
                for (int w = 0; w < s.Width; w++)
                {
                    for (int c = 0; c < s.Channels; c++)
                    {
                        order[j++] = ((n * s.Channels + c) * s.Height + h) * s.Width + w;
                    }
                }
            }
        }

        return order;
    }

    private static UnsupportedModelException Unsupported(Node node, string why) =>
        new($"{node.OpName} '{node.Name}': {why}");
}
