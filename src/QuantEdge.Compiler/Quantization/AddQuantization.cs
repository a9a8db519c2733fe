using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Quantization;

/// <summary>Parameters of the device's int8 element-wise add, with TFLite's formulas.</summary>
public static class AddQuantization
{
    /// <summary>Headroom bits for int8 inputs (TFLite's value): room for the rescaled sum's precision.</summary>
    public const int LeftShift = 20;

    /// <summary>
    /// Both inputs are rescaled to twice the larger input scale (multipliers s_i / (2 max s), at most
    /// 1/2), summed with <see cref="LeftShift"/> bits of headroom, and the sum rescaled by
    /// 2 max s / (2^LeftShift × outScale).
    /// </summary>
    public static AddParams Create(int size,
        double input1Scale, int input1ZeroPoint,
        double input2Scale, int input2ZeroPoint,
        double outputScale, int outputZeroPoint,
        int activationMin = sbyte.MinValue, int activationMax = sbyte.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(input1Scale);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(input2Scale);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputScale);
        double twiceMaxInputScale = 2 * Math.Max(input1Scale, input2Scale);
        QuantizedMultiplier input1 = QuantizedMultiplier.FromReal(input1Scale / twiceMaxInputScale);
        QuantizedMultiplier input2 = QuantizedMultiplier.FromReal(input2Scale / twiceMaxInputScale);
        QuantizedMultiplier output = QuantizedMultiplier.FromReal(twiceMaxInputScale / ((1 << LeftShift) * outputScale));
        return new AddParams
        {
            Size = size,
            Input1ZeroPoint = input1ZeroPoint,
            Input2ZeroPoint = input2ZeroPoint,
            OutputZeroPoint = outputZeroPoint,
            LeftShift = LeftShift,
            Input1Multiplier = input1.Multiplier,
            Input1Shift = input1.Shift,
            Input2Multiplier = input2.Multiplier,
            Input2Shift = input2.Shift,
            OutputMultiplier = output.Multiplier,
            OutputShift = output.Shift,
            ActivationMin = activationMin,
            ActivationMax = activationMax,
        };
    }
}
