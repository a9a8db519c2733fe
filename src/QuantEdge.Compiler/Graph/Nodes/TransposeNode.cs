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
        float[] x = inputs[0];
        int[] input = inputShapes[0];
        int rank = input.Length;
        var strides = new int[rank];
        for (int a = rank - 1, stride = 1; a >= 0; stride *= input[a], a--)
        {
            strides[a] = stride;
        }

        var index = new int[rank];
        for (int o = 0; o < output.Length; o++)
        {
            int at = 0;
            for (int a = 0; a < rank; a++)
            {
                at += index[a] * strides[Perm[a]];
            }

            output[o] = x[at];
            for (int a = rank - 1; a >= 0 && ++index[a] == OutputShape[a]; a--)
            {
                index[a] = 0;
            }
        }
    }
}
