using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Quantization;

/// <summary>Parameters of the device's int8 global average pool.</summary>
public static class GlobalAveragePoolQuantization
{
    /// <summary>
    /// The mean's division by Height × Width is folded into the multiplier inScale / (outScale × H × W); a
    /// <paramref name="sum"/> (ReduceSum over the plane) keeps inScale / outScale.
    /// </summary>
    public static GlobalAveragePoolParams Create(int batches, int height, int width, int channels,
        double inputScale, int inputZeroPoint, double outputScale, int outputZeroPoint,
        int activationMin = sbyte.MinValue, int activationMax = sbyte.MaxValue, bool sum = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputScale);
        // The int32 sum of up to 255 per element must not overflow.
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)height * width, int.MaxValue / 255);
        QuantizedMultiplier q = QuantizedMultiplier.FromReal(sum ? inputScale / outputScale : inputScale / (outputScale * height * width));
        return new GlobalAveragePoolParams
        {
            Batches = batches,
            Height = height,
            Width = width,
            Channels = channels,
            InputZeroPoint = inputZeroPoint,
            OutputZeroPoint = outputZeroPoint,
            Multiplier = q.Multiplier,
            Shift = q.Shift,
            ActivationMin = activationMin,
            ActivationMax = activationMax,
        };
    }
}
