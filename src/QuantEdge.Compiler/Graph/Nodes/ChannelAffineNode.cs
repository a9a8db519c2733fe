namespace QuantEdge.Compiler.Graph;

/// <summary>
/// Per-channel affine map y = x × Scale[c] + Shift[c], c the index on axis 1 (the channel of NCHW and
/// the feature of [N, F]). An inference-mode BatchNormalization that could not be folded into a
/// preceding Conv2D or Dense (its input comes from elsewhere or is used twice).
/// </summary>
public sealed record ChannelAffineNode : ElementwiseUnary
{
    /// <summary>[C].</summary>
    public required float[] Scale { get; init; }

    /// <summary>[C].</summary>
    public required float[] Shift { get; init; }

    public override IEnumerable<(string What, float[] Values)> Constants() => [("scale", Scale), ("shift", Shift)];

    public override int[] InferOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        int[] input = inputShapes[0];
        if (input.Length < 2 || input[1] != Scale.Length || Shift.Length != Scale.Length)
        {
            throw new InvalidGraphException($"ChannelAffine '{Name}': input {Shapes.Format(input)} needs {Scale.Length} channels on axis 1 (scale [{Scale.Length}], shift [{Shift.Length}]).");
        }

        return base.InferOutputShape(inputShapes);
    }

    public override void Evaluate(float[][] inputs, int[][] inputShapes, float[] output) => ChannelAffine(this, inputs[0], inputShapes[0], output);

    private static void ChannelAffine(ChannelAffineNode affine, float[] x, int[] shape, float[] y)
    {
        int channels = shape[1];
        int inner = FloatTensor.ElementCount(shape[2..]);
        for (int i = 0; i < x.Length; i++)
        {
            int c = i / inner % channels;
            y[i] = x[i] * affine.Scale[c] + affine.Shift[c];
        }
    }
}
