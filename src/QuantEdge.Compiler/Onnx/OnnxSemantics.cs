using QuantEdge.Compiler.Graph;

namespace QuantEdge.Compiler.Onnx;

/// <summary>Strides, dilations and pads (auto_pad resolved) of a Conv or pool, as 2-D values (a 1-D one has height 1).</summary>
internal readonly record struct OnnxWindow(Size2D Strides, Size2D Dilations, Padding2D Pads);

/// <summary>
/// ONNX's shape rules as both front ends apply them — the float importer (<see cref="OnnxGraphImporter"/>)
/// and the pre-quantized one (PreQuantized/): axes, Reshape and Flatten shapes (0, −1, allowzero),
/// broadcasting (numpy's, and the legacy axis form before opset 7; <see cref="Shapes.Broadcast"/> gives
/// the result shape), kernels, strides, dilations, pads, auto_pad and ceil_mode. A fix here lands in both.
/// </summary>
internal static class OnnxSemantics
{
    /// <summary>An axis in [−rank, rank) (or up to rank inclusive when <paramref name="allowRank"/>) made non-negative.</summary>
    public static int NormalizeAxis(OnnxNodeContext c, long axis, int rank, bool allowRank = false)
    {
        long upper = allowRank ? rank : rank - 1;
        if (axis < -rank || axis > upper)
        {
            throw c.Error($"axis {axis} is outside [{-rank}, {upper}] for a rank-{rank} input.");
        }

        return (int)(axis < 0 ? axis + rank : axis);
    }

    /// <summary>Flatten's 2-D shape: [product of the dims before axis, product of the rest]; axis in [−rank, rank].</summary>
    public static int[] FlattenedShape(OnnxNodeContext c, int[] shape, long axisAttribute)
    {
        int axis = NormalizeAxis(c, axisAttribute, shape.Length, allowRank: true);
        return [FloatTensor.ElementCount(shape[..axis]), FloatTensor.ElementCount(shape[axis..])];
    }

    /// <summary>
    /// Reshape's target: a 0 copies the input's dimension at that index (unless <paramref name="allowZero"/>,
    /// opset 14's allowzero=1, where a 0 would make an empty tensor, which the device does not have), one
    /// −1 takes what the element count leaves.
    /// </summary>
    public static int[] ReshapedShape(OnnxNodeContext c, int[] inputShape, long[] requested, bool allowZero)
    {
        var target = new int[requested.Length];
        int inferred = -1;
        for (int i = 0; i < requested.Length; i++)
        {
            long dim = requested[i];
            if (dim == 0 && !allowZero)
            {
                target[i] = i < inputShape.Length ? inputShape[i] : throw c.Error($"shape entry {i} is 0 (copy the input's dimension) but input {Shapes.Format(inputShape)} has no dimension {i}.");
            }
            else if (dim == 0)
            {
                throw c.Error($"shape entry {i} is 0 with allowzero=1, which makes an empty tensor; tensors with no elements are not supported.");
            }
            else if (dim == -1)
            {
                inferred = inferred < 0 ? i : throw c.Error("shape has more than one -1.");
            }
            else if (dim < 0 || dim > int.MaxValue)
            {
                throw c.Error($"shape entry {i} is {dim}.");
            }
            else
            {
                target[i] = (int)dim;
            }
        }

        int total = FloatTensor.ElementCount(inputShape);
        if (inferred >= 0)
        {
            int known = FloatTensor.ElementCount(target.Where((_, i) => i != inferred).ToArray());
            if (known == 0 || total % known != 0)
            {
                throw c.Error($"inconsistent shapes: input {Shapes.Format(inputShape)} cannot be reshaped to [{string.Join(", ", requested)}].");
            }

            target[inferred] = total / known;
        }
        else if (FloatTensor.ElementCount(target) != total)
        {
            throw c.Error($"inconsistent shapes: input {Shapes.Format(inputShape)} cannot be reshaped to [{string.Join(", ", requested)}] (element counts differ).");
        }

        return target;
    }

    /// <summary>
    /// Before opset 7, Add/Sub/Mul/Div broadcast only with broadcast=1, and then B's dimensions line
    /// up with A's from <c>axis</c> on (default: A's trailing dimensions, numpy's alignment). Returns B's
    /// shape with the trailing 1s that give it numpy's alignment; without broadcast=1 the shapes must match.
    /// </summary>
    public static int[] LegacyBroadcastShape(OnnxNodeContext c, int opset, int[] bShape, int[] aShape)
    {
        if (opset >= 7)
        {
            return bShape;
        }

        if (c.Int("broadcast", 0) == 0)
        {
            return bShape.SequenceEqual(aShape) ? bShape : throw c.Error($"operands {Shapes.Format(aShape)} and {Shapes.Format(bShape)} differ and broadcast is not set.");
        }

        int axis = checked((int)c.Int("axis", aShape.Length - bShape.Length));
        int trailing = aShape.Length - axis - bShape.Length;
        if (axis < 0 || trailing < 0)
        {
            throw c.Error($"B {Shapes.Format(bShape)} does not fit A {Shapes.Format(aShape)} from axis {axis}.");
        }

        return [.. bShape, .. Enumerable.Repeat(1, trailing)];
    }

    /// <summary>A computed B (or a constant A) is only taken where the legacy alignment is numpy's.</summary>
    public static void RequireNumpyAlignment(OnnxNodeContext c, int opset, int[] bShape, int[] aShape)
    {
        if (!LegacyBroadcastShape(c, opset, bShape, aShape).SequenceEqual(bShape))
        {
            throw c.Error($"broadcasting B {Shapes.Format(bShape)} from an axis other than A's trailing ones is supported for a constant B only.");
        }
    }

    /// <summary>
    /// Axes as a reduction, Squeeze or Unsqueeze names them: each in [−rank, rank), made non-negative,
    /// none twice, in ascending order.
    /// </summary>
    public static int[] Axes(OnnxNodeContext c, long[] axes, int rank)
    {
        int[] normalized = axes.Select(a => NormalizeAxis(c, a, rank)).Order().ToArray();
        return normalized.Distinct().Count() == normalized.Length ? normalized : throw c.Error($"axes [{string.Join(", ", axes)}] name an axis twice.");
    }

    /// <summary>Squeeze's result: the input without the named axes, each of which must be 1; without axes, every 1 goes.</summary>
    public static int[] SqueezedShape(OnnxNodeContext c, int[] shape, long[]? axes)
    {
        int[] removed = axes is null ? Enumerable.Range(0, shape.Length).Where(a => shape[a] == 1).ToArray() : Axes(c, axes, shape.Length);
        if (removed.FirstOrDefault(a => shape[a] != 1, -1) is int wide and >= 0)
        {
            throw c.Error($"inconsistent shapes: axis {wide} of input {Shapes.Format(shape)} is {shape[wide]}, not 1; only axes of size 1 can be squeezed.");
        }

        return shape.Where((_, a) => !removed.Contains(a)).ToArray();
    }

    /// <summary>Unsqueeze's result: 1s inserted at the named axes of the output (axes in [−r, r) for the output's rank r).</summary>
    public static int[] UnsqueezedShape(OnnxNodeContext c, int[] shape, long[] axes)
    {
        int rank = shape.Length + axes.Length;
        int[] inserted = Axes(c, axes, rank);
        var result = new int[rank];
        int next = 0;
        for (int a = 0; a < rank; a++)
        {
            result[a] = inserted.Contains(a) ? 1 : shape[next++];
        }

        return result;
    }

    /// <summary>A pool's kernel_shape: one size of at least 1 per spatial axis of a 1-D or 2-D input.</summary>
    public static int[] PoolKernel(OnnxNodeContext c, int[] inputShape)
    {
        if (inputShape.Length is not (3 or 4))
        {
            throw c.Error($"only 1-D and 2-D pooling (rank-3 or rank-4 input) is supported; input is {Shapes.Format(inputShape)}.");
        }

        long[] kernelShape = c.Ints("kernel_shape") ?? throw c.Error("kernel_shape is required.");
        if (kernelShape.Any(k => k < 1 || k > int.MaxValue))
        {
            throw c.Error($"kernel_shape [{string.Join(", ", kernelShape)}]: every size must be at least 1 (and fit 32 bits).");
        }

        int[] kernel = kernelShape.Select(k => (int)k).ToArray();
        return kernel.Length == inputShape.Length - 2 ? kernel : throw c.Error($"kernel_shape has {kernel.Length} dims for input {Shapes.Format(inputShape)}.");
    }

    /// <summary>Strides, dilations and pads of a Conv or pool with auto_pad resolved.</summary>
    public static OnnxWindow ReadWindow(OnnxNodeContext c, int[] inputShape, int[] kernel, bool allowDilations)
    {
        int spatial = inputShape.Length - 2;
        int[] strides = SpatialInts(c, "strides", spatial, 1);
        int[] dilations = SpatialInts(c, "dilations", spatial, 1);
        if (!allowDilations && dilations.Any(d => d != 1))
        {
            throw c.Error("dilations other than 1 are not supported for pooling.");
        }

        if (strides.Any(s => s < 1) || dilations.Any(d => d < 1))
        {
            throw c.Error("strides and dilations must be at least 1.");
        }

        string autoPad = c.String("auto_pad", "NOTSET");
        long[]? pads = c.Ints("pads");
        var begin = new int[spatial];
        var end = new int[spatial];
        switch (autoPad)
        {
            case "NOTSET":
                if (pads is not null)
                {
                    if (pads.Length != 2 * spatial || pads.Any(p => p < 0 || p > int.MaxValue))
                    {
                        throw c.Error($"pads [{string.Join(", ", pads)}] must be {2 * spatial} non-negative values (begins, then ends).");
                    }

                    for (int i = 0; i < spatial; i++)
                    {
                        begin[i] = (int)pads[i];
                        end[i] = (int)pads[spatial + i];
                    }
                }

                break;
            case "VALID":
                break;
            case "SAME_UPPER":
            case "SAME_LOWER":
                for (int i = 0; i < spatial; i++)
                {
                    int size = inputShape[2 + i];
                    int output = (size + strides[i] - 1) / strides[i];
                    int total = Math.Max(0, (output - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - size);
                    int small = total / 2;
                    begin[i] = autoPad == "SAME_UPPER" ? small : total - small;
                    end[i] = total - begin[i];
                }

                break;
            default:
                throw c.Error($"auto_pad '{autoPad}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID.");
        }

        if (autoPad != "NOTSET" && pads is not null && pads.Any(p => p != 0))
        {
            throw c.Error($"explicit pads cannot be combined with auto_pad {autoPad}.");
        }

        return spatial == 1
            ? new OnnxWindow(new Size2D(1, strides[0]), new Size2D(1, dilations[0]), new Padding2D(0, begin[0], 0, end[0]))
            : new OnnxWindow(new Size2D(strides[0], strides[1]), new Size2D(dilations[0], dilations[1]), new Padding2D(begin[0], begin[1], end[0], end[1]));
    }

    /// <summary>
    /// ceil_mode rounds a pool's output size up, as long as the last window starts inside the input or its
    /// leading pad. The IR and the device round down, so the extra windows become extra bottom/right
    /// padding — exact for MaxPool and for AveragePool without count_include_pad (padding is then never counted).
    /// </summary>
    public static OnnxWindow CeilModePads(OnnxNodeContext c, OnnxWindow window, int[] inputShape, int[] kernel, bool countIncludePad)
    {
        NchwShape input = NchwShape.Of(inputShape);
        int kernelHeight = kernel.Length == 1 ? 1 : kernel[0];
        int extraBottom = CeilExtra(input.Height, kernelHeight, window.Strides.Height, window.Pads.Top, window.Pads.Bottom);
        int extraRight = CeilExtra(input.Width, kernel[^1], window.Strides.Width, window.Pads.Left, window.Pads.Right);
        if (countIncludePad && (extraBottom > 0 || extraRight > 0))
        {
            throw c.Error("ceil_mode=1 together with count_include_pad=1 is not supported when it adds windows.");
        }

        return window with { Pads = window.Pads with { Bottom = window.Pads.Bottom + extraBottom, Right = window.Pads.Right + extraRight } };

        static int CeilExtra(int size, int k, int stride, int padBegin, int padEnd)
        {
            int span = size + padBegin + padEnd - k;
            int floorOut = span / stride + 1;
            int ceilOut = (span + stride - 1) / stride + 1;
            if ((ceilOut - 1) * stride >= size + padBegin)
            {
                ceilOut--;
            }

            return ceilOut > floorOut ? (ceilOut - 1) * stride + k - (size + padBegin + padEnd) : 0;
        }
    }

    private static int[] SpatialInts(OnnxNodeContext c, string name, int spatial, int fallback)
    {
        long[]? values = c.Ints(name);
        if (values is null)
        {
            return Enumerable.Repeat(fallback, spatial).ToArray();
        }

        return values.Length == spatial && values.All(v => v is >= int.MinValue and <= int.MaxValue)
            ? values.Select(v => (int)v).ToArray()
            : throw c.Error($"{name} [{string.Join(", ", values)}] must have {spatial} value(s).");
    }
}
