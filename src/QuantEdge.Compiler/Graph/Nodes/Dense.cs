namespace QuantEdge.Compiler.Graph;

/// <summary>
/// Fully connected layer: output[n, o] = Σ_i Weights[o, i] × input[n, i] + Bias[o]. Input [N, In],
/// output [N, Out]. From ONNX Gemm (alpha and transB folded into the weights, beta into the bias),
/// MatMul with constant weights, and any following Add/Sub/Mul/Div of a per-output constant or
/// BatchNormalization, all folded in.
/// </summary>
public sealed record DenseNode : Node, IOutputChannelLayer
{
    public required string Input { get; init; }

    /// <summary>[Out, In], one row per output feature.</summary>
    public required FloatTensor Weights { get; init; }

    /// <summary>[Out].</summary>
    public required float[] Bias { get; init; }

    public int InputFeatures => Weights.Shape[1];

    public int OutputFeatures => Weights.Shape[0];

    public override IReadOnlyList<string> Inputs => [Input];

    public Node WithParameters(FloatTensor weights, float[] bias) => this with { Weights = weights, Bias = bias };

    public override IEnumerable<(string What, float[] Values)> Constants() => [("weight", Weights.Data), ("bias", Bias)];

    public override int[] InferOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        int[] input = inputShapes[0];
        if (Weights.Rank != 2 || Bias.Length != Weights.Shape[0])
        {
            throw new InvalidGraphException($"Dense '{Name}': weights must be [Out, In] and bias [Out]; got {Shapes.Format(Weights.Shape)} and [{Bias.Length}].");
        }

        if (input.Length != 2 || input[1] != InputFeatures)
        {
            throw new InvalidGraphException($"Dense '{Name}': input {Shapes.Format(input)} does not match weights {Shapes.Format(Weights.Shape)} (need [N, {InputFeatures}]).");
        }

        return [input[0], OutputFeatures];
    }

    public override void Evaluate(float[][] inputs, int[][] inputShapes, float[] output) => Dense(this, inputs[0], output);

    private static void Dense(DenseNode dense, float[] x, float[] output)
    {
        int inFeatures = dense.InputFeatures;
        int outFeatures = dense.OutputFeatures;
        float[] w = dense.Weights.Data;
        int batch = x.Length / inFeatures;
        for (int n = 0; n < batch; n++)
        {
            int row = n * inFeatures;
            for (int o = 0; o < outFeatures; o++)
            {
                double acc = dense.Bias[o];
                int weightRow = o * inFeatures;
                for (int i = 0; i < inFeatures; i++)
                {
                    acc += (double)w[weightRow + i] * x[row + i];
                }

                output[n * outFeatures + o] = (float)acc;
            }
        }
    }
}
