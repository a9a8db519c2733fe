namespace QuantEdge.Compiler.Graph;

/// <summary>
/// Softmax along the single axis <see cref="Axis"/> (non-negative), ONNX opset-13 semantics.
/// Older opsets' "flatten to 2-D from axis" softmax is imported as Reshape, Softmax(1), Reshape.
/// </summary>
public sealed record SoftmaxNode : ElementwiseUnary
{
    public required int Axis { get; init; }

    public override int[] InferOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        if (Axis < 0 || Axis >= inputShapes[0].Length)
        {
            throw new InvalidGraphException($"Softmax '{Name}': axis {Axis} is outside input {Shapes.Format(inputShapes[0])}.");
        }

        return base.InferOutputShape(inputShapes);
    }

    public override void Evaluate(float[][] inputs, int[][] inputShapes, float[] output) => Softmax(inputs[0], inputShapes[0], Axis, output);

    private static void Softmax(float[] x, int[] shape, int axis, float[] y)
    {
        int outer = FloatTensor.ElementCount(shape[..axis]);
        int length = shape[axis];
        int inner = FloatTensor.ElementCount(shape[(axis + 1)..]);
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int first = o * length * inner + i;
                float max = float.NegativeInfinity;
                for (int k = 0; k < length; k++)
                {
                    max = Math.Max(max, x[first + k * inner]);
                }

                double sum = 0;
                for (int k = 0; k < length; k++)
                {
                    sum += Math.Exp(x[first + k * inner] - max);
                }

                for (int k = 0; k < length; k++)
                {
                    y[first + k * inner] = (float)(Math.Exp(x[first + k * inner] - max) / sum);
                }
            }
        }
    }
}
