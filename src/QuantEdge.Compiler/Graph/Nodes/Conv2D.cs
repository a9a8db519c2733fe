namespace QuantEdge.Compiler.Graph;

/// <summary>
/// 2-D convolution, NCHW, cross-correlation as in ONNX Conv:
/// output[n, o, y, x] = Bias[o] + Σ_{c, ky, kx} Weights[o, c, ky, kx] ×
/// input[n, g × C/Group + c, y × Strides.Height − Pads.Top + ky × Dilations.Height, x × Strides.Width − Pads.Left + kx × Dilations.Width]
/// where g = o / (Out / Group) and out-of-range input positions read zero.
/// A rank-3 input [N, C, W] (ONNX Conv 1-D) is viewed as [N, C, 1, W]: its kernel height is 1 and
/// its vertical pads are 0, and the output is rank 3 too (see <see cref="NchwShape"/>).
/// Group = C = Out with one input channel per group is a depthwise convolution.
/// Pads are explicit; ONNX's auto_pad is resolved by the importer, which also folds a following
/// BatchNormalization or per-channel constant Add/Sub/Mul/Div into Weights and Bias.
/// </summary>
public sealed record Conv2DNode : Node, IOutputChannelLayer
{
    public required string Input { get; init; }

    /// <summary>OIHW: [Out, C / Group, KernelHeight, KernelWidth].</summary>
    public required FloatTensor Weights { get; init; }

    /// <summary>[Out].</summary>
    public required float[] Bias { get; init; }

    public required Size2D Strides { get; init; }

    public required Padding2D Pads { get; init; }

    public required Size2D Dilations { get; init; }

    public required int Group { get; init; }

    public int OutputChannels => Weights.Shape[0];

    public Size2D Kernel => new(Weights.Shape[2], Weights.Shape[3]);

    public bool IsDepthwise(int inputChannels) => Group == inputChannels && Group == OutputChannels && Group > 1;

    public override IReadOnlyList<string> Inputs => [Input];

    public Node WithParameters(FloatTensor weights, float[] bias) => this with { Weights = weights, Bias = bias };

    public override IEnumerable<(string What, float[] Values)> Constants() => [("weight", Weights.Data), ("bias", Bias)];

    public override int[] InferOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        NchwShape input = NchwShape.Of(inputShapes[0]);
        if (Weights.Rank != 4 || Bias.Length != Weights.Shape[0])
        {
            throw new InvalidGraphException($"Conv2D '{Name}': weights must be [Out, C/Group, KH, KW] and bias [Out]; got {Shapes.Format(Weights.Shape)} and [{Bias.Length}].");
        }

        if (Group < 1 || input.Channels % Group != 0 || OutputChannels % Group != 0 || Weights.Shape[1] * Group != input.Channels)
        {
            throw new InvalidGraphException($"Conv2D '{Name}': input {Shapes.Format(inputShapes[0])} with group {Group} does not match weights {Shapes.Format(Weights.Shape)} (need C = {Weights.Shape[1]} × group and Out divisible by group).");
        }

        if (inputShapes[0].Length == 3 && (Kernel.Height != 1 || Pads.Top != 0 || Pads.Bottom != 0))
        {
            throw new InvalidGraphException($"Conv2D '{Name}': a 1-D (rank-3) input needs kernel height 1 and no vertical padding.");
        }

        int height = Shapes.WindowOutputSize(input.Height, Kernel.Height, Strides.Height, Dilations.Height, Pads.Top, Pads.Bottom);
        int width = Shapes.WindowOutputSize(input.Width, Kernel.Width, Strides.Width, Dilations.Width, Pads.Left, Pads.Right);
        return new NchwShape(input.Batch, OutputChannels, height, width).ToShape(inputShapes[0].Length);
    }

    public override void Evaluate(float[][] inputs, int[][] inputShapes, float[] output) =>
        Conv2D(this, inputs[0], NchwShape.Of(inputShapes[0]), NchwShape.Of(OutputShape), output);

    private static void Conv2D(Conv2DNode conv, float[] x, NchwShape input, NchwShape output, float[] y)
    {
        float[] w = conv.Weights.Data;
        int groupChannels = input.Channels / conv.Group;
        int outPerGroup = output.Channels / conv.Group;
        Size2D kernel = conv.Kernel;
        for (int n = 0; n < output.Batch; n++)
        {
            for (int o = 0; o < output.Channels; o++)
            {
                int firstChannel = o / outPerGroup * groupChannels;
                for (int oy = 0; oy < output.Height; oy++)
                {
                    for (int ox = 0; ox < output.Width; ox++)
                    {
                        double acc = conv.Bias[o];
                        for (int c = 0; c < groupChannels; c++)
                        {
                            int plane = (n * input.Channels + firstChannel + c) * input.Height;
                            int weightPlane = (o * groupChannels + c) * kernel.Height;
                            for (int ky = 0; ky < kernel.Height; ky++)
                            {
                                int iy = oy * conv.Strides.Height - conv.Pads.Top + ky * conv.Dilations.Height;
                                if (iy < 0 || iy >= input.Height)
                                {
                                    continue;
                                }

                                for (int kx = 0; kx < kernel.Width; kx++)
                                {
                                    int ix = ox * conv.Strides.Width - conv.Pads.Left + kx * conv.Dilations.Width;
                                    if (ix >= 0 && ix < input.Width)
                                    {
                                        acc += (double)w[(weightPlane + ky) * kernel.Width + kx] * x[(plane + iy) * input.Width + ix];
                                    }
                                }
                            }
                        }

                        y[((n * output.Channels + o) * output.Height + oy) * output.Width + ox] = (float)acc;
                    }
                }
            }
        }
    }
}
