namespace QuantEdge.Compiler.Graph;

/// <summary>
/// A strided slice: along each axis a, the input's elements <see cref="Starts"/>[a], Starts[a] + <see cref="Steps"/>[a],
/// ... up to but not including <see cref="Ends"/>[a] (ONNX Slice, with its starts, ends, axes and steps resolved for
/// every axis by the importer: a start inside the input, an end clamped to it, a step that is not 0; ONNX Split is one
/// slice per output). An empty slice is refused: the device has no empty tensors.
/// </summary>
public sealed record SliceNode : ElementwiseUnary
{
    public required int[] Starts { get; init; }

    public required int[] Ends { get; init; }

    public required int[] Steps { get; init; }

    public override int[] InferOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        int[] input = inputShapes[0];
        if (Starts.Length != input.Length || Ends.Length != input.Length || Steps.Length != input.Length)
        {
            throw new InvalidGraphException($"Slice '{Name}': starts, ends and steps must give each of the {input.Length} axes of input {Shapes.Format(input)}.");
        }

        int[] output = new int[input.Length];
        for (int a = 0; a < input.Length; a++)
        {
            int start = Starts[a], end = Ends[a], step = Steps[a];
            bool inside = step > 0 ? start >= 0 && end <= input[a] : step < 0 && start < input[a] && end >= -1;
            output[a] = inside ? Count(start, end, step) : 0;
            if (output[a] <= 0)
            {
                throw new InvalidGraphException($"Slice '{Name}': axis {a} from {start} to {end} by {step} takes no element of input {Shapes.Format(input)} (or leaves it).");
            }
        }

        return output;
    }

    /// <summary>How many of start, start + step, ... lie before end (after it for a negative step).</summary>
    public static int Count(int start, int end, int step) =>
        step > 0 ? Math.Max(0, (end - start + step - 1) / step) : Math.Max(0, (start - end - step - 1) / -step);

    public override void Evaluate(float[][] inputs, int[][] inputShapes, float[] output)
    {
        int[] strides = Shapes.Strides(inputShapes[0]);
        int first = Starts.Select((s, a) => s * strides[a]).Sum();
        Shapes.StridedCopy(inputs[0], first, Steps.Select((s, a) => s * strides[a]).ToArray(), OutputShape, output);
    }
}
