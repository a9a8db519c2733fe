using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Quantization;

/// <summary>Parameters of the device's int8 element-wise multiply.</summary>
public static class MulQuantization
{
    /// <summary>One requantization of the integer product: multiplier input1Scale × input2Scale / outScale.</summary>
    public static MulParams Create(int size,
        double input1Scale, int input1ZeroPoint,
        double input2Scale, int input2ZeroPoint,
        double outputScale, int outputZeroPoint,
        int activationMin = sbyte.MinValue, int activationMax = sbyte.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputScale);
        QuantizedMultiplier output = QuantizedMultiplier.FromReal(input1Scale * input2Scale / outputScale);
        return new MulParams
        {
            Size = size,
            Input1ZeroPoint = input1ZeroPoint,
            Input2ZeroPoint = input2ZeroPoint,
            OutputZeroPoint = outputZeroPoint,
            OutputMultiplier = output.Multiplier,
            OutputShift = output.Shift,
            ActivationMin = activationMin,
            ActivationMax = activationMax,
        };
    }
}
