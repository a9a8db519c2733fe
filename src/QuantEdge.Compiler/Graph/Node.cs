namespace QuantEdge.Compiler.Graph;

/// <summary>
/// One operation of a <see cref="ModelGraph"/>. Every node reads one or more named values
/// (<see cref="Inputs"/>: graph inputs or outputs of earlier nodes) and produces exactly one named
/// value (<see cref="Output"/>) whose shape is <see cref="OutputShape"/>. Constant operands (weights,
/// biases, clip bounds) are fields of the node, never values. Layout is ONNX's: NCHW for images,
/// [batch, features] for vectors.
/// </summary>
/// <remarks>
/// Nodes are immutable records: passes make changed copies with <c>with</c>. Build a node with an
/// empty <see cref="OutputShape"/> and call <see cref="WithInferredShape"/> once its inputs' shapes
/// are known; <see cref="ModelGraph"/> checks every node's shape again when it is built.
/// </remarks>
public abstract record Node
{
    /// <summary>Name for messages: the ONNX node's name, or one the importer made up.</summary>
    public required string Name { get; init; }

    /// <summary>The value this node produces.</summary>
    public required string Output { get; init; }

    /// <summary>Shape of <see cref="Output"/>; empty until inferred (and for scalars).</summary>
    public int[] OutputShape { get; init; } = [];

    /// <summary>Values read, in the operator's order.</summary>
    public abstract IReadOnlyList<string> Inputs { get; }

    /// <summary>The operator's name as the IR spells it ("Conv2D", "Dense", ...): the type's name without "Node".</summary>
    public string OpName => GetType().Name[..^"Node".Length];

    /// <summary>
    /// The output shape for inputs of <paramref name="inputShapes"/> (one per <see cref="Inputs"/>),
    /// from this node's parameters alone. Throws <see cref="InvalidGraphException"/> on inconsistent shapes.
    /// </summary>
    public abstract int[] InferOutputShape(IReadOnlyList<int[]> inputShapes);

    /// <summary>
    /// The float reference: this node's output elements (row-major, as ONNX lays them out) from its inputs'
    /// (one array per <see cref="Inputs"/>) and their shapes, computed as the node's documentation writes
    /// the formula. Calibration and the conformance tests run it through <c>FloatExecutor</c>.
    /// </summary>
    public abstract void Evaluate(float[][] inputs, int[][] inputShapes, float[] output);

    /// <summary>
    /// The float constants the node holds, each with what it is (weight, bias, a constant operand): folding
    /// multiplies them, and the importer checks they stayed finite.
    /// </summary>
    public virtual IEnumerable<(string What, float[] Values)> Constants() => [];

    /// <summary>This node with <see cref="OutputShape"/> set from its inputs' shapes.</summary>
    public Node WithInferredShape(Func<string, int[]> shapeOf)
    {
        int[][] inputShapes = Inputs.Select(shapeOf).ToArray();
        return this with { OutputShape = InferOutputShape(inputShapes) };
    }

    public sealed override string ToString() =>
        $"{OpName} '{Name}' ({string.Join(", ", Inputs)}) -> {Output} {Shapes.Format(OutputShape)}";
}

/// <summary>A node with one input whose output has the input's shape (activations, softmax).</summary>
public abstract record ElementwiseUnary : Node
{
    public required string Input { get; init; }

    public override IReadOnlyList<string> Inputs => [Input];

    public override int[] InferOutputShape(IReadOnlyList<int[]> inputShapes) => (int[])inputShapes[0].Clone();
}

/// <summary>
/// An element-wise operation of a value (<see cref="Input"/>, the left operand) and either a second value
/// (<see cref="Other"/>) or a constant (<see cref="Constant"/>): exactly one of the two is set. Operands
/// broadcast as in ONNX (numpy).
/// </summary>
public abstract record ElementwiseBinary : Node
{
    public required string Input { get; init; }

    /// <summary>The second operand when it is a value; null when <see cref="Constant"/> is set.</summary>
    public string? Other { get; init; }

    /// <summary>The second operand when it is a constant; null when <see cref="Other"/> is set.</summary>
    public FloatTensor? Constant { get; init; }

    public override IReadOnlyList<string> Inputs => Other is null ? [Input] : [Input, Other];

    public override int[] InferOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        if ((Other is null) == (Constant is null))
        {
            throw new InvalidGraphException($"{OpName} '{Name}' needs exactly one of a second value and a constant.");
        }

        return Shapes.Broadcast(inputShapes[0], Other is null ? Constant!.Shape : inputShapes[1]);
    }

    /// <summary>The operation on one pair of elements (left operand first), in float32.</summary>
    public abstract float Combine(float left, float right);

    public override IEnumerable<(string What, float[] Values)> Constants() => Constant is null ? [] : [("constant", Constant.Data)];

    public override void Evaluate(float[][] inputs, int[][] inputShapes, float[] output) =>
        Broadcast(inputs[0], inputShapes[0], this, inputs, inputShapes, OutputShape, output, Combine);

    private static void Broadcast(float[] a, int[] aShape, ElementwiseBinary node, float[][] inputs, int[][] inputShapes, int[] outShape, float[] y, Func<float, float, float> f)
    {
        (float[] b, int[] bShape) = node.Other is null ? (node.Constant!.Data, node.Constant.Shape) : (inputs[1], inputShapes[1]);
        if (a.Length == y.Length && b.Length == y.Length)
        {
            for (int i = 0; i < y.Length; i++)
            {
                y[i] = f(a[i], b[i]);
            }

            return;
        }

        int[] aStrides = BroadcastStrides(aShape, outShape);
        int[] bStrides = BroadcastStrides(bShape, outShape);
        var index = new int[outShape.Length];
        int ai = 0;
        int bi = 0;
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = f(a[ai], b[bi]);

            // Odometer step over the output index; each operand moves by its stride (0 on broadcast axes).
            for (int axis = outShape.Length - 1; axis >= 0; axis--)
            {
                ai += aStrides[axis];
                bi += bStrides[axis];
                if (++index[axis] < outShape[axis])
                {
                    break;
                }

                ai -= aStrides[axis] * outShape[axis];
                bi -= bStrides[axis] * outShape[axis];
                index[axis] = 0;
            }
        }
    }

    /// <summary>Row-major strides of <paramref name="shape"/> right-aligned to <paramref name="outShape"/>, 0 where it broadcasts.</summary>
    private static int[] BroadcastStrides(int[] shape, int[] outShape)
    {
        var strides = new int[outShape.Length];
        int stride = 1;
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            strides[axis + outShape.Length - shape.Length] = shape[axis] == 1 ? 0 : stride;
            stride *= shape[axis];
        }

        return strides;
    }
}
