namespace QuantEdge.Compiler.Graph;

/// <summary>
/// A dense float32 constant: a shape and its elements in row-major order (last axis fastest).
/// Weights, biases and folded constants of a <see cref="ModelGraph"/> are FloatTensors. The arrays
/// are shared, not copied: treat them as read-only once the tensor is part of a graph.
/// </summary>
public sealed class FloatTensor
{
    /// <summary>Wraps <paramref name="data"/> as a tensor of <paramref name="shape"/>; the lengths must agree.</summary>
    public FloatTensor(int[] shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        int count = ElementCount(shape);
        if (count != data.Length)
        {
            throw new ArgumentException($"Shape {Shapes.Format(shape)} holds {count} elements but {data.Length} were given.", nameof(data));
        }

        Shape = shape;
        Data = data;
    }

    /// <summary>Dimensions, outermost first. Rank 0 (an empty array) is a scalar.</summary>
    public int[] Shape { get; }

    /// <summary>Elements in row-major order.</summary>
    public float[] Data { get; }

    public int Rank => Shape.Length;

    public int Length => Data.Length;

    /// <summary>A tensor of zeros.</summary>
    public static FloatTensor Zeros(params int[] shape) => new(shape, new float[ElementCount(shape)]);

    /// <summary>Number of elements of <paramref name="shape"/> (1 for a scalar); dimensions must be non-negative.</summary>
    public static int ElementCount(IReadOnlyList<int> shape)
    {
        long count = 1;
        foreach (int dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"Shape {Shapes.Format(shape)} has a negative dimension.", nameof(shape));
            }

            count *= dim;
            if (count > int.MaxValue)
            {
                throw new ArgumentException($"Shape {Shapes.Format(shape)} has more than {int.MaxValue} elements.", nameof(shape));
            }
        }

        return (int)count;
    }

    public override string ToString() => $"FloatTensor {Shapes.Format(Shape)}";
}
