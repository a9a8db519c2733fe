namespace QuantEdge.Compiler.Graph;

/// <summary>
/// A reduction of the input over <see cref="Axes"/> (non-negative, ascending, at least one), keeping
/// each reduced axis as a 1 when <see cref="KeepDims"/> (ONNX ReduceMean, ReduceSum). An ONNX reduction
/// over no axes with noop_with_empty_axes is imported as the identity, without one of these.
/// </summary>
public abstract record ReduceNode : ElementwiseUnary
{
    public required int[] Axes { get; init; }

    public required bool KeepDims { get; init; }

    public override int[] InferOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        int[] input = inputShapes[0];
        if (Axes.Length == 0 || Axes.Any(a => a < 0 || a >= input.Length) || Axes.Distinct().Count() != Axes.Length)
        {
            throw new InvalidGraphException($"{OpName} '{Name}': axes [{string.Join(", ", Axes)}] are not distinct axes of input {Shapes.Format(input)}.");
        }

        return KeepDims
            ? input.Select((d, a) => Axes.Contains(a) ? 1 : d).ToArray()
            : input.Where((_, a) => !Axes.Contains(a)).ToArray();
    }

    /// <summary>How many input elements each output element reduces.</summary>
    public int ReducedCount(int[] inputShape) => Axes.Aggregate(1, (count, a) => count * inputShape[a]);

    public override void Evaluate(float[][] inputs, int[][] inputShapes, float[] output) => Reduce(this, inputs[0], inputShapes[0], output);

    /// <summary>Each output element sums (in double) the input elements that agree with it off the reduced axes.</summary>
    private static void Reduce(ReduceNode reduce, float[] x, int[] shape, float[] y)
    {
        var sums = new double[y.Length];
        int[] strides = new int[shape.Length];
        int outputStride = 1;
        for (int a = shape.Length - 1; a >= 0; a--)
        {
            strides[a] = reduce.Axes.Contains(a) ? 0 : outputStride;
            outputStride *= reduce.Axes.Contains(a) ? 1 : shape[a];
        }

        for (int i = 0; i < x.Length; i++)
        {
            int rest = i, at = 0;
            for (int a = shape.Length - 1; a >= 0; a--)
            {
                at += rest % shape[a] * strides[a];
                rest /= shape[a];
            }

            sums[at] += x[i];
        }

        double count = reduce is ReduceMeanNode ? reduce.ReducedCount(shape) : 1;
        for (int o = 0; o < y.Length; o++)
        {
            y[o] = (float)(sums[o] / count);
        }
    }
}

/// <summary>The mean over <see cref="ReduceNode.Axes"/>.</summary>
public sealed record ReduceMeanNode : ReduceNode;

/// <summary>The sum over <see cref="ReduceNode.Axes"/>.</summary>
public sealed record ReduceSumNode : ReduceNode;
