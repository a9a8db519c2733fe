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
}

/// <summary>The mean over <see cref="ReduceNode.Axes"/>.</summary>
public sealed record ReduceMeanNode : ReduceNode;

/// <summary>The sum over <see cref="ReduceNode.Axes"/>.</summary>
public sealed record ReduceSumNode : ReduceNode;
