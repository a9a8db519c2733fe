namespace QuantEdge.Compiler.Graph;

/// <summary>
/// A constant pad: the input placed in an output grown by <see cref="Pads"/> (ONNX's order: every axis's
/// pad before, then every axis's pad after; none negative) and filled with <see cref="Value"/> elsewhere.
/// ONNX's reflect, edge and wrap modes and negative pads (crops) are refused by the importer.
/// </summary>
public sealed record PadNode : ElementwiseUnary
{
    public required int[] Pads { get; init; }

    public required float Value { get; init; }

    public override int[] InferOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        int[] input = inputShapes[0];
        if (Pads.Length != 2 * input.Length || Pads.Any(p => p < 0))
        {
            throw new InvalidGraphException($"Pad '{Name}': pads [{string.Join(", ", Pads)}] are not two non-negative values per axis of input {Shapes.Format(input)}.");
        }

        return input.Select((d, a) => checked(d + Pads[a] + Pads[input.Length + a])).ToArray();
    }

    public override void Evaluate(float[][] inputs, int[][] inputShapes, float[] output)
    {
        float[] x = inputs[0];
        int[] input = inputShapes[0];
        int rank = input.Length;
        Array.Fill(output, Value);
        var index = new int[rank];
        for (int i = 0; i < x.Length; i++)
        {
            // The input element's position, shifted by the pads before, in the output's row-major order.
            int at = 0;
            for (int a = 0; a < rank; a++)
            {
                at = at * OutputShape[a] + index[a] + Pads[a];
            }

            output[at] = x[i];
            for (int a = rank - 1; a >= 0 && ++index[a] == input[a]; a--)
            {
                index[a] = 0;
            }
        }
    }
}
