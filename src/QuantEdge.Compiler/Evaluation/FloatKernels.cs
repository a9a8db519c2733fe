using QuantEdge.Compiler.Graph;

namespace QuantEdge.Compiler.Evaluation;

/// <summary>Float32 reference implementations of the IR's nodes, written as the formulas in each node's documentation.</summary>
internal static class FloatKernels
{
    public static void Evaluate(Node node, float[][] inputs, int[][] inputShapes, float[] output)
    {
        float[] x = inputs[0];
        switch (node)
        {
            case DenseNode dense: Dense(dense, x, output); break;
            case Conv2DNode conv: Conv2D(conv, x, NchwShape.Of(inputShapes[0]), NchwShape.Of(node.OutputShape), output); break;
            case MaxPoolNode pool: Pool(pool, x, NchwShape.Of(inputShapes[0]), NchwShape.Of(node.OutputShape), output); break;
            case AveragePoolNode pool: Pool(pool, x, NchwShape.Of(inputShapes[0]), NchwShape.Of(node.OutputShape), output); break;
            case GlobalAveragePoolNode: GlobalAverage(x, NchwShape.Of(inputShapes[0]), output); break;
            case ReluNode: Map(x, output, v => v > 0 ? v : 0); break;
            case ClipNode clip: Map(x, output, v => Math.Min(Math.Max(v, clip.Min), clip.Max)); break;
            case LeakyReluNode leaky: Map(x, output, v => v >= 0 ? v : leaky.Alpha * v); break;
            case SigmoidNode: Map(x, output, v => 1f / (1f + MathF.Exp(-v))); break;
            case TanhNode: Map(x, output, MathF.Tanh); break;
            case NegNode: Map(x, output, v => -v); break;
            case ExpNode: Map(x, output, MathF.Exp); break;
            case HardSigmoidNode hard: Map(x, output, v => Math.Max(0, Math.Min(1, hard.Alpha * v + hard.Beta))); break;
            case HardSwishNode: Map(x, output, v => v * Math.Max(0, Math.Min(1, v / 6 + 0.5f))); break;
            case ReduceNode reduce: Reduce(reduce, x, inputShapes[0], output); break;
            case SoftmaxNode softmax: Softmax(x, inputShapes[0], softmax.Axis, output); break;
            case ChannelAffineNode affine: ChannelAffine(affine, x, inputShapes[0], output); break;
            case ReshapeNode: x.CopyTo(output, 0); break;
            case AddNode add: Broadcast(x, inputShapes[0], add, inputs, inputShapes, node.OutputShape, output, static (a, b) => a + b); break;
            case MulNode mul: Broadcast(x, inputShapes[0], mul, inputs, inputShapes, node.OutputShape, output, static (a, b) => a * b); break;
            case SubNode sub: Broadcast(x, inputShapes[0], sub, inputs, inputShapes, node.OutputShape, output, static (a, b) => a - b); break;
            case MaxNode max: Broadcast(x, inputShapes[0], max, inputs, inputShapes, node.OutputShape, output, MathF.Max); break;
            case MinNode min: Broadcast(x, inputShapes[0], min, inputs, inputShapes, node.OutputShape, output, MathF.Min); break;
            case ConcatNode concat: Concat(inputs, inputShapes, concat.Axis, output); break;
            default: throw new NotSupportedException($"The float executor has no kernel for {node.OpName}.");
        }
    }

    private static void Map(float[] x, float[] output, Func<float, float> f)
    {
        for (int i = 0; i < x.Length; i++)
        {
            output[i] = f(x[i]);
        }
    }

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

    private static void Broadcast(float[] a, int[] aShape, ElementwiseBinary node, float[][] inputs, int[][] inputShapes, int[] outShape, float[] y, Func<float, float, float> f)
    {
        (float[] b, int[] bShape) = node.Other is null ? (node.Constant!.Data, node.Constant.Shape) : (inputs[1], inputShapes[1]);
        if (a.Length == y.Length && b.Length == y.Length)
        {
            for (int i = 0; i < y.Length; i++)
            {
                y[i] = f(a[i], b[i]);
            }

            return;
        }

        int[] aStrides = BroadcastStrides(aShape, outShape);
        int[] bStrides = BroadcastStrides(bShape, outShape);
        var index = new int[outShape.Length];
        int ai = 0;
        int bi = 0;
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = f(a[ai], b[bi]);

            // Odometer step over the output index; each operand moves by its stride (0 on broadcast axes).
            for (int axis = outShape.Length - 1; axis >= 0; axis--)
            {
                ai += aStrides[axis];
                bi += bStrides[axis];
                if (++index[axis] < outShape[axis])
                {
                    break;
                }

                ai -= aStrides[axis] * outShape[axis];
                bi -= bStrides[axis] * outShape[axis];
                index[axis] = 0;
            }
        }
    }

    /// <summary>Row-major strides of <paramref name="shape"/> right-aligned to <paramref name="outShape"/>, 0 where it broadcasts.</summary>
    private static int[] BroadcastStrides(int[] shape, int[] outShape)
    {
        var strides = new int[outShape.Length];
        int stride = 1;
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            strides[axis + outShape.Length - shape.Length] = shape[axis] == 1 ? 0 : stride;
            stride *= shape[axis];
        }

        return strides;
    }

    private static void Concat(float[][] inputs, int[][] shapes, int axis, float[] y)
    {
        int outer = FloatTensor.ElementCount(shapes[0][..axis]);
        int offset = 0;
        for (int o = 0; o < outer; o++)
        {
            for (int k = 0; k < inputs.Length; k++)
            {
                int block = inputs[k].Length / outer;
                Array.Copy(inputs[k], o * block, y, offset, block);
                offset += block;
            }
        }
    }
}
