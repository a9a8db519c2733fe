namespace QuantEdge.Compiler.Graph;

/// <summary>
/// A sliding-window pool over the spatial plane of an NCHW value (rank 3 [N, C, W] is viewed as
/// [N, C, 1, W], see <see cref="NchwShape"/>). Output size rounds down; ONNX's ceil_mode and auto_pad
/// are resolved by the importer into <see cref="Pads"/>, which may therefore exceed the ONNX pads on
/// the bottom/right.
/// </summary>
public abstract record Pool2DNode : ElementwiseUnary
{
    public required Size2D Kernel { get; init; }

    public required Size2D Strides { get; init; }

    public required Padding2D Pads { get; init; }

    public override int[] InferOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        NchwShape input = NchwShape.Of(inputShapes[0]);
        if (inputShapes[0].Length == 3 && (Kernel.Height != 1 || Pads.Top != 0 || Pads.Bottom != 0))
        {
            throw new InvalidGraphException($"{OpName} '{Name}': a 1-D (rank-3) input needs kernel height 1 and no vertical padding.");
        }

        int height = Shapes.WindowOutputSize(input.Height, Kernel.Height, Strides.Height, 1, Pads.Top, Pads.Bottom);
        int width = Shapes.WindowOutputSize(input.Width, Kernel.Width, Strides.Width, 1, Pads.Left, Pads.Right);
        return (input with { Height = height, Width = width }).ToShape(inputShapes[0].Length);
    }

    public override void Evaluate(float[][] inputs, int[][] inputShapes, float[] output) =>
        Pool(this, inputs[0], NchwShape.Of(inputShapes[0]), NchwShape.Of(OutputShape), output);

    private static void Pool(Pool2DNode pool, float[] x, NchwShape input, NchwShape output, float[] y)
    {
        bool isMax = pool is MaxPoolNode;
        bool countIncludePad = pool is AveragePoolNode { CountIncludePad: true };
        for (int plane = 0; plane < output.Batch * output.Channels; plane++)
        {
            for (int oy = 0; oy < output.Height; oy++)
            {
                for (int ox = 0; ox < output.Width; ox++)
                {
                    double sum = 0;
                    float max = float.MinValue;
                    int count = 0;
                    for (int ky = 0; ky < pool.Kernel.Height; ky++)
                    {
                        int iy = oy * pool.Strides.Height - pool.Pads.Top + ky;
                        for (int kx = 0; kx < pool.Kernel.Width; kx++)
                        {
                            int ix = ox * pool.Strides.Width - pool.Pads.Left + kx;
                            if (iy >= 0 && iy < input.Height && ix >= 0 && ix < input.Width)
                            {
                                float v = x[(plane * input.Height + iy) * input.Width + ix];
                                sum += v;
                                max = Math.Max(max, v);
                                count++;
                            }
                        }
                    }

                    int divisor = countIncludePad ? pool.Kernel.Height * pool.Kernel.Width : count;
                    y[(plane * output.Height + oy) * output.Width + ox] = isMax ? max : count == 0 ? 0 : (float)(sum / divisor);
                }
            }
        }
    }
}

/// <summary>Maximum over each window; padding never wins (it is −∞).</summary>
public sealed record MaxPoolNode : Pool2DNode;

/// <summary>
/// Mean over each window. The divisor is the full kernel area when <see cref="CountIncludePad"/>
/// (padding counts as zeros), else the number of window positions inside the input.
/// </summary>
public sealed record AveragePoolNode : Pool2DNode
{
    public required bool CountIncludePad { get; init; }
}

/// <summary>Mean over the whole spatial plane: [N, C, H, W] → [N, C, 1, 1] ([N, C, W] → [N, C, 1]).</summary>
public sealed record GlobalAveragePoolNode : ElementwiseUnary
{
    public override int[] InferOutputShape(IReadOnlyList<int[]> inputShapes) =>
        (NchwShape.Of(inputShapes[0]) with { Height = 1, Width = 1 }).ToShape(inputShapes[0].Length);

    public override void Evaluate(float[][] inputs, int[][] inputShapes, float[] output) => GlobalAverage(inputs[0], NchwShape.Of(inputShapes[0]), output);

    private static void GlobalAverage(float[] x, NchwShape input, float[] y)
    {
        int area = input.Height * input.Width;
        for (int plane = 0; plane < input.Batch * input.Channels; plane++)
        {
            double sum = 0;
            for (int i = 0; i < area; i++)
            {
                sum += x[plane * area + i];
            }

            y[plane] = (float)(sum / area);
        }
    }
}
