namespace QuantEdge.Compiler.Graph;

/// <summary>Small helpers on shapes (int arrays, outermost dimension first) shared by the IR and its users.</summary>
public static class Shapes
{
    /// <summary>"[1, 3, 28, 28]".</summary>
    public static string Format(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";

    public static bool Equal(IReadOnlyList<int> a, IReadOnlyList<int> b) => a.SequenceEqual(b);

    /// <summary>
    /// The shape two operands broadcast to under ONNX's multidirectional (numpy) rule: shapes are
    /// right-aligned and each pair of dimensions must be equal or contain a 1.
    /// </summary>
    public static int[] Broadcast(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        int rank = Math.Max(a.Count, b.Count);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Count ? 1 : a[i - (rank - a.Count)];
            int db = i < rank - b.Count ? 1 : b[i - (rank - b.Count)];
            if (da != db && da != 1 && db != 1)
            {
                throw new InvalidGraphException($"Shapes {Format(a)} and {Format(b)} do not broadcast (axis {i}: {da} vs {db}).");
            }

            result[i] = da == 1 ? db : da;
        }

        return result;
    }

    /// <summary>
    /// Spatial output size of a sliding window (convolution or pooling), rounding down as ONNX does
    /// without ceil_mode: (input + padBegin + padEnd − ((kernel − 1) × dilation + 1)) / stride + 1.
    /// </summary>
    public static int WindowOutputSize(int input, int kernel, int stride, int dilation, int padBegin, int padEnd)
    {
        if (kernel < 1 || stride < 1 || dilation < 1 || padBegin < 0 || padEnd < 0)
        {
            throw new InvalidGraphException($"Invalid window: kernel {kernel}, stride {stride}, dilation {dilation}, pads {padBegin}/{padEnd} (kernel, stride and dilation must be ≥ 1, pads ≥ 0).");
        }

        int span = input + padBegin + padEnd - ((kernel - 1) * dilation + 1);
        if (span < 0)
        {
            throw new InvalidGraphException($"A window of {kernel} (dilation {dilation}) does not fit an input of {input} padded by {padBegin}+{padEnd}.");
        }

        return span / stride + 1;
    }

    /// <summary>Row-major element strides of a shape: how many elements one step along each axis moves.</summary>
    public static int[] Strides(IReadOnlyList<int> shape)
    {
        var strides = new int[shape.Count];
        for (int a = shape.Count - 1, stride = 1; a >= 0; stride *= shape[a], a--)
        {
            strides[a] = stride;
        }

        return strides;
    }

    /// <summary>
    /// output[i0, i1, ...] (row-major over <paramref name="outputShape"/>) = x[first + i0·steps[0] + i1·steps[1] + ...]:
    /// a transpose (steps: the input's strides permuted) or a strided slice (steps: strides times the slice's steps).
    /// </summary>
    public static void StridedCopy(float[] x, int first, int[] steps, int[] outputShape, float[] output)
    {
        int rank = outputShape.Length;
        var index = new int[rank];
        for (int o = 0; o < output.Length; o++)
        {
            int at = first;
            for (int a = 0; a < rank; a++)
            {
                at += index[a] * steps[a];
            }

            output[o] = x[at];
            for (int a = rank - 1; a >= 0 && ++index[a] == outputShape[a]; a--)
            {
                index[a] = 0;
            }
        }
    }
}
