namespace QuantEdge.Compiler.Graph;

/// <summary>
/// The input's axes permuted: output axis i is input axis <see cref="Perm"/>[i] (ONNX Transpose; the
/// importer resolves the default, the axes reversed).
/// </summary>
public sealed record TransposeNode : ElementwiseUnary
{
    public required int[] Perm { get; init; }

    public override int[] InferOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        int[] input = inputShapes[0];
        if (Perm.Length != input.Length || !Perm.Order().SequenceEqual(Enumerable.Range(0, input.Length)))
        {
            throw new InvalidGraphException($"Transpose '{Name}': perm [{string.Join(", ", Perm)}] is not a permutation of the axes of input {Shapes.Format(input)}.");
        }

        return Perm.Select(a => input[a]).ToArray();
    }

    public override void Evaluate(float[][] inputs, int[][] inputShapes, float[] output)
    {
        int[] strides = Shapes.Strides(inputShapes[0]);
        Shapes.StridedCopy(inputs[0], 0, Perm.Select(a => strides[a]).ToArray(), OutputShape, output);
    }
}
