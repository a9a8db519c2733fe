using QuantEdge.Compiler.Graph;

namespace QuantEdge.Compiler.Quantization.Lowering;

/// <summary>A graph the device cannot run as it is: the message names the node and the reason.</summary>
public sealed class UnsupportedModelException(string message) : Exception(message);

/// <summary>What a device step computes.</summary>
internal enum StepKind
{
    FullyConnected,
    Conv2D,
    DepthwiseConv2D,
    MaxPool,
    AveragePool,
    GlobalAveragePool,
    Add,
    Mul,
    Lookup,
    Softmax,
    Reshape,
    Concat,
    Sub,
    Maximum,
    Minimum,
    Pad,
    Transpose,
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

    /// <summary>True when the output must share its (first) input's quantization (pools, reshape).</summary>
    public bool OutputTiedToInput { get; init; }
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
internal sealed class DevicePlan
{
    private readonly Dictionary<string, DeviceValue> values = new(StringComparer.Ordinal);

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

        var fused = new HashSet<Node>();
        foreach (Node node in graph.Nodes)
        {
            if (!fused.Contains(node))
            {
                plan.Plan(node, fused);
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

    private void Plan(Node node, HashSet<Node> fused)
    {
        switch (node)
        {
            case DenseNode dense:
                AddStep(new Step(StepKind.FullyConnected, dense, [dense.Input], dense.Output), fused);
                break;
            case Conv2DNode conv:
                PlanConv(conv, fused);
                break;
            case ChannelAffineNode affine:
                AddStep(ChannelAffineStep(affine, affine.Scale, affine.Shift), fused);
                break;
            case MaxPoolNode pool:
                AddStep(new Step(StepKind.MaxPool, pool, [pool.Input], pool.Output) { OutputTiedToInput = true }, fused);
                break;
            case AveragePoolNode pool:
                PlanAveragePool(pool, fused);
                break;
            case GlobalAveragePoolNode pool:
                AddStep(new Step(StepKind.GlobalAveragePool, pool, [pool.Input], pool.Output), fused);
                break;
            case AddNode add when add.Other != null:
                RequireSameShape(add);
                AddStep(new Step(StepKind.Add, add, [add.Input, add.Other], add.Output), fused);
                break;
            case MulNode mul when mul.Other != null:
                RequireSameShape(mul);
                AddStep(new Step(StepKind.Mul, mul, [mul.Input, mul.Other], mul.Output), fused);
                break;
            case AddNode add:
                AddStep(ConstantStep(add, add.Constant!, (x, c) => x + c, c => (1f, c)), fused);
                break;
            case MulNode mul:
                AddStep(ConstantStep(mul, mul.Constant!, (x, c) => x * c, c => (c, 0f)), fused);
                break;
            case PointwiseNode pointwise:
                AddStep(Lookup(pointwise, pointwise.Table) with
                {
                    FixedOutput = pointwise.FixedOutput is (double scale, int zeroPoint) ? new QuantParams((float)scale, zeroPoint) : null,
                }, fused);
                break;
            case SubNode sub:
                AddStep(BroadcastStep(StepKind.Sub, sub), fused);
                break;
            case MaxNode max when max.Other != null:
                AddStep(BroadcastStep(StepKind.Maximum, max), fused);
                break;
            case MinNode min when min.Other != null:
                AddStep(BroadcastStep(StepKind.Minimum, min), fused);
                break;
            case MaxNode max:
                float floor = ScalarConstant(max);
                AddStep(Lookup(max, x => Math.Max(x, floor)), fused);
                break;
            case MinNode min:
                float ceiling = ScalarConstant(min);
                AddStep(Lookup(min, x => Math.Min(x, ceiling)), fused);
                break;
            case ReduceNode reduce:
                PlanReduce(reduce, fused);
                break;
            case TransposeNode transpose:
                // A copy in another order: the output keeps the input's quantization.
                AddStep(new Step(StepKind.Transpose, transpose, [transpose.Input], transpose.Output) { OutputTiedToInput = true }, fused);
                break;
            case PadNode pad:
                // The pad value is coded in the input's quantization, which the output shares.
                AddStep(new Step(StepKind.Pad, pad, [pad.Input], pad.Output) { OutputTiedToInput = true }, fused);
                break;
            case SoftmaxNode softmax:
                if (softmax.Axis != 1)
                {
                    throw Unsupported(softmax, $"softmax over axis {softmax.Axis}; the device takes it over the channel/feature axis (1)");
                }

                AddStep(new Step(StepKind.Softmax, softmax, [softmax.Input], softmax.Output)
                {
                    FixedOutput = new QuantParams(1f / 256, -128),
                }, fused);
                break;
            case ReshapeNode reshape:
                PlanReshape(reshape);
                break;
            case ConcatNode concat:
                AddStep(new Step(StepKind.Concat, concat, concat.Operands.Select(o => RequantizedIfFixed(o, concat)).ToList(), concat.Output), fused);
                break;
            default:
                throw Unsupported(node, "no device op for it");
        }
    }

    private void PlanConv(Conv2DNode conv, HashSet<Node> fused)
    {
        int channels = NchwShape.Of(Graph.ShapeOf(conv.Input)).Channels;
        if (conv.Group == 1)
        {
            AddStep(new Step(StepKind.Conv2D, conv, [conv.Input], conv.Output), fused);
        }
        else if (conv.Group == channels && conv.OutputChannels % channels == 0)
        {
            AddStep(new Step(StepKind.DepthwiseConv2D, conv, [conv.Input], conv.Output), fused);
        }
        else
        {
            throw Unsupported(conv, $"grouped convolution with {conv.Group} groups of {channels / conv.Group} channels; the device runs group 1 (Conv2D) and depthwise (group = input channels)");
        }
    }

    /// <summary>
    /// An average pool that counts padding (count_include_pad with pads) is not TFLite's pool; it is
    /// a depthwise convolution whose weights are all 1 / (kernel area), with zero padding.
    /// </summary>
    private void PlanAveragePool(AveragePoolNode pool, HashSet<Node> fused)
    {
        bool padded = pool.Pads != Padding2D.None;
        if (!pool.CountIncludePad || !padded)
        {
            AddStep(new Step(StepKind.AveragePool, pool, [pool.Input], pool.Output) { OutputTiedToInput = true }, fused);
            return;
        }

        int channels = NchwShape.Of(Graph.ShapeOf(pool.Input)).Channels;
        int taps = pool.Kernel.Height * pool.Kernel.Width;
        float[] weights = Enumerable.Repeat(1f / taps, taps * channels).ToArray();
        AddStep(new Step(StepKind.DepthwiseConv2D, pool, [pool.Input], pool.Output)
        {
            SyntheticDepthwise = (weights, new float[channels], pool.Kernel.Height, pool.Kernel.Width),
        }, fused);
    }

    private void PlanReshape(ReshapeNode reshape)
    {
        DeviceValue input = values[reshape.Input];
        int[] outputShape = reshape.OutputShape;
        int[] natural = NaturalOrder(outputShape);
        // The bytes do not move: device element j still holds float element input.FlatOrder[j], and a
        // reshape keeps flat indices. Fine when that is the output's natural order, or when the output
        // is a vector (its users take any order, see Lower); an image re-laid-out needs a transpose.
        if (!input.FlatOrder.SequenceEqual(natural) && outputShape.Length > 2)
        {
            throw Unsupported(reshape, $"reshaping {Shapes.Format(input.FloatShape)} to {Shapes.Format(outputShape)} reorders the device's NHWC bytes (a transpose the device does not do)");
        }

        AddValue(reshape.Output, outputShape, input.FlatOrder);
        Steps.Add(new Step(StepKind.Reshape, reshape, [reshape.Input], reshape.Output) { OutputTiedToInput = true });
    }

    /// <summary>
    /// Concat copies bytes, so all its inputs share one quantization. An input whose quantization its
    /// op fixes (sigmoid, tanh, softmax) would force that on the others; instead it is requantized
    /// into the shared one by an identity lookup table.
    /// </summary>
    private string RequantizedIfFixed(string value, ConcatNode concat)
    {
        Step? producer = Steps.LastOrDefault(s => s.Output == value);
        if (producer?.FixedOutput == null)
        {
            return value;
        }

        string copy = value + "#requantized";
        if (!values.ContainsKey(copy))
        {
            values[copy] = values[value] with { Name = copy };
            Steps.Add(new Step(StepKind.Lookup, concat, [value], copy) { Function = x => x });
        }

        return copy;
    }

    /// <summary>A per-channel affine map as a 1×1 depthwise convolution: weight = scale[c], bias = shift[c].</summary>
    private Step ChannelAffineStep(Node node, float[] scale, float[] shift) =>
        new(StepKind.DepthwiseConv2D, node, [node.Inputs[0]], node.Output)
        {
            SyntheticDepthwise = (scale, shift, 1, 1),
        };

    /// <summary>
    /// Arithmetic with a constant: a scalar becomes a lookup table; a per-channel vector becomes a
    /// per-channel affine map (a 1×1 depthwise convolution).
    /// </summary>
    private Step ConstantStep(ElementwiseBinary node, FloatTensor constant, Func<double, double, double> f, Func<float, (float Scale, float Shift)> affine)
    {
        if (constant.Length == 1)
        {
            float c = constant.Data[0];
            return Lookup(node, x => f(x, c));
        }

        int[] shape = Graph.ShapeOf(node.Input);
        int channels = shape.Length >= 2 ? shape[1] : 0;
        // Right-aligned broadcasting puts a constant on axis 1 when it reads [C] followed by one 1 per
        // spatial axis, after any leading 1s: [F] for [N, F], [C, 1, 1] or [1, C, 1, 1] for [N, C, H, W].
        int[] significant = constant.Shape.SkipWhile(d => d == 1).ToArray();
        bool perChannel = significant.Length == shape.Length - 1 && significant[0] == channels && significant.Skip(1).All(d => d == 1);
        if (!perChannel)
        {
            throw Unsupported(node, $"{node.OpName} with a constant of shape {Shapes.Format(constant.Shape)}; the device takes a scalar or one value per channel");
        }

        var scale = new float[channels];
        var shift = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            (scale[c], shift[c]) = affine(constant.Data[c]);
        }

        return ChannelAffineStep(node, scale, shift);
    }

    /// <summary>
    /// A mean or sum over the spatial plane of an image (axes 2 and 3 of NCHW, or 2 of a 1-D [N, C, W]),
    /// kept as 1s: the device's global average pool, whose multiplier then divides by the plane's size or not.
    /// </summary>
    private void PlanReduce(ReduceNode reduce, HashSet<Node> fused)
    {
        int rank = Graph.ShapeOf(reduce.Input).Length;
        bool spatial = rank is 3 or 4 && reduce.Axes.SequenceEqual(Enumerable.Range(2, rank - 2));
        if (!spatial || !reduce.KeepDims)
        {
            throw Unsupported(reduce, $"{reduce.OpName} over axes [{string.Join(", ", reduce.Axes)}] of a rank-{rank} value{(reduce.KeepDims ? "" : " without keepdims")}; the device reduces the spatial plane of an image (axes 2 and 3 of NCHW) with keepdims");
        }

        AddStep(new Step(StepKind.GlobalAveragePool, reduce, [reduce.Input], reduce.Output), fused);
    }

    private static Step Lookup(Node node, Func<double, double> f) =>
        new(StepKind.Lookup, node, [node.Inputs[0]], node.Output) { Function = f };

    /// <summary>
    /// Sub, Max or Min of two values: the device broadcasts operands of one rank (each dim equal to the
    /// other's or 1), which keeps their NHWC dims aligned.
    /// </summary>
    private Step BroadcastStep(StepKind kind, ElementwiseBinary node)
    {
        int[] a = Graph.ShapeOf(node.Input);
        int[] b = Graph.ShapeOf(node.Other!);
        if (a.Length != b.Length)
        {
            throw Unsupported(node, $"{node.OpName} of {Shapes.Format(a)} and {Shapes.Format(b)}; the device broadcasts operands of the same rank");
        }

        return new Step(kind, node, [node.Input, node.Other!], node.Output);
    }

    /// <summary>The constant operand of a Max or Min with a constant, which the device takes as a table: a single value.</summary>
    private static float ScalarConstant(ElementwiseBinary node) => node.Constant!.Length == 1
        ? node.Constant.Data[0]
        : throw Unsupported(node, $"{node.OpName} with a constant of shape {Shapes.Format(node.Constant.Shape)}; the device takes a single value");

    private void RequireSameShape(ElementwiseBinary node)
    {
        int[] a = Graph.ShapeOf(node.Input);
        int[] b = Graph.ShapeOf(node.Other!);
        if (!a.SequenceEqual(b))
        {
            throw Unsupported(node, $"{node.OpName} of {Shapes.Format(a)} and {Shapes.Format(b)}; the device adds and multiplies tensors of the same shape (no broadcasting)");
        }
    }

    private void AddStep(Step step, HashSet<Node> fused)
    {
        foreach (string input in step.Inputs)
        {
            if (!values.ContainsKey(input))
            {
                throw Unsupported(step.Node, $"input '{input}' has no device tensor");
            }

            if (step.Kind is not (StepKind.FullyConnected or StepKind.Lookup or StepKind.Add or StepKind.Mul) && !values[input].IsIdentityOrder
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
        int[]? order = step.Kind is StepKind.Lookup or StepKind.Add or StepKind.Mul ? values[step.Inputs[0]].FlatOrder : null;
        if (step.Kind is StepKind.Add or StepKind.Mul && !values[step.Inputs[0]].FlatOrder.SequenceEqual(values[step.Inputs[1]].FlatOrder))
        {
            throw Unsupported(step.Node, "its two inputs are laid out differently on the device");
        }

        AddValue(step.Output, outputShape, order);
        Steps.Add(step);
    }

    /// <summary>A ReLU or Clip right after a layer that clamps its output, when nothing else reads the layer's output.</summary>
    private Node? FusableActivation(Step step)
    {
        if (step.Kind is not (StepKind.FullyConnected or StepKind.Conv2D or StepKind.DepthwiseConv2D or StepKind.Add or StepKind.Sub
            or StepKind.Maximum or StepKind.Minimum) || step.Output == Output)
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
