using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Quantization;

/// <summary>Parameters of the device's int8 softmax, computed as TFLite prepares its reference kernel.</summary>
public static class SoftmaxQuantization
{
    /// <summary>Integer bits of the scaled input difference (Q5.26), fixed by the kernel.</summary>
    public const int ScaledDiffIntegerBits = 5;

    /// <summary>Longest row whose Q12.19 sum of exps (each at most 1) cannot overflow.</summary>
    public const int MaxRowSize = 4095;

    /// <summary>
    /// TFLite's PreprocessSoftmaxScaling and diff_min: beta × inScale × 2^26, capped at 2^31 - 1, as a
    /// Q31 multiplier with a left shift; DiffMin = -CalculateInputRadius(5, leftShift), the most negative
    /// difference that still fits Q5.26 after scaling.
    /// </summary>
    public static SoftmaxParams Create(int rows, int rowSize, double beta, double inputScale)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rowSize, MaxRowSize);
        double real = Math.Min(beta * inputScale * Math.Pow(2, 31 - ScaledDiffIntegerBits), int.MaxValue);
        // TFLite's QuantizeMultiplierGreaterThanOne: the kernel only shifts left.
        if (!(real > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta * inputScale,
                "beta × input scale must exceed 2^-26 for the int8 softmax.");
        }

        QuantizedMultiplier q = QuantizedMultiplier.FromReal(real);
        return new SoftmaxParams
        {
            Rows = rows,
            RowSize = rowSize,
            InputMultiplier = q.Multiplier,
            InputLeftShift = q.Shift,
            DiffMin = -InputRadius(ScaledDiffIntegerBits, q.Shift),
        };
    }

    /// <summary>
    /// TFLite's CalculateInputRadius: the largest |difference| whose left shift stays within
    /// (2^integerBits - 1) in Q(integerBits).(31 - integerBits), floored.
    /// </summary>
    public static int InputRadius(int integerBits, int leftShift)
    {
        double maxInputRescaled = ((1 << integerBits) - 1) * Math.Pow(2, 31 - integerBits) / Math.Pow(2, leftShift);
        return (int)Math.Floor(maxInputRescaled);
    }
}
