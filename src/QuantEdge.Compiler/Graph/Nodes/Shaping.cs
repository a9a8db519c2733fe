namespace QuantEdge.Compiler.Graph;

/// <summary>
/// Reinterprets the row-major elements with a new shape (data order unchanged, as ONNX Reshape does in
/// NCHW). <see cref="TargetShape"/> is fully resolved: ONNX's 0 and −1 entries and Flatten are turned
/// into plain dimensions by the importer.
/// </summary>
public sealed record ReshapeNode : ElementwiseUnary
{
    public required int[] TargetShape { get; init; }

    public override int[] InferOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        if (FloatTensor.ElementCount(TargetShape) != FloatTensor.ElementCount(inputShapes[0]))
        {
            throw new InvalidGraphException($"Reshape '{Name}': input {Shapes.Format(inputShapes[0])} cannot become {Shapes.Format(TargetShape)} (element counts differ).");
        }

        return (int[])TargetShape.Clone();
    }

    /// <summary>The elements as they are: only the shape changes.</summary>
    public override void Evaluate(float[][] inputs, int[][] inputShapes, float[] output) => inputs[0].CopyTo(output, 0);
}

/// <summary>Joins <see cref="Operands"/> along <see cref="Axis"/> (non-negative); all other dimensions must agree.</summary>
public sealed record ConcatNode : Node
{
    public required IReadOnlyList<string> Operands { get; init; }

    public required int Axis { get; init; }

    public override IReadOnlyList<string> Inputs => Operands;

    public override int[] InferOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        int[] first = inputShapes[0];
        if (Axis < 0 || Axis >= first.Length)
        {
            throw new InvalidGraphException($"Concat '{Name}': axis {Axis} is outside input {Shapes.Format(first)}.");
        }

        int[] result = (int[])first.Clone();
        for (int i = 1; i < inputShapes.Count; i++)
        {
            int[] shape = inputShapes[i];
            bool compatible = shape.Length == first.Length
                && Enumerable.Range(0, first.Length).All(axis => axis == Axis || shape[axis] == first[axis]);
            if (!compatible)
            {
                throw new InvalidGraphException($"Concat '{Name}': input {i} {Shapes.Format(shape)} does not match input 0 {Shapes.Format(first)} off axis {Axis}.");
            }

            result[Axis] += shape[Axis];
        }

        return result;
    }

    public override void Evaluate(float[][] inputs, int[][] inputShapes, float[] output) => Concat(inputs, inputShapes, Axis, output);

    private static void Concat(float[][] inputs, int[][] shapes, int axis, float[] y)
    {
        int outer = FloatTensor.ElementCount(shapes[0][..axis]);
        int offset = 0;
        for (int o = 0; o < outer; o++)
        {
            for (int k = 0; k < inputs.Length; k++)
            {
                int block = inputs[k].Length / outer;
                Array.Copy(inputs[k], o * block, y, offset, block);
                offset += block;
            }
        }
    }
}
