using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Tests;

namespace QuantEdge.Compiler.Tests.Quantization;

public class AddQuantizationTests
{
    /// <summary>
    /// The CMSIS-NN add set has input multipliers 2^30 (0.5, shift 0) and output 2^30 with shift -19
    /// (2^-20): equal input scales s and an output scale of 2s. Any s reproduces it.
    /// </summary>
    [Theory]
    [InlineData(1.0 / 255)]
    [InlineData(0.0625)]
    [InlineData(0.0123)]
    public void ReproducesTheCmsisSet(double inputScale)
    {
        CmsisVector v = CmsisVector.Load("add/add.json");
        AddParams p = AddQuantization.Create(v.Param("size"),
            inputScale, v.Param("input1_zero_point"), inputScale, v.Param("input2_zero_point"),
            2 * inputScale, v.Param("output_zero_point"), v.Param("activation_min"), v.Param("activation_max"));
        Assert.Equal(v.Param("size"), p.Size);
        Assert.Equal(v.Param("input1_zero_point"), p.Input1ZeroPoint);
        Assert.Equal(v.Param("input2_zero_point"), p.Input2ZeroPoint);
        Assert.Equal(v.Param("output_zero_point"), p.OutputZeroPoint);
        Assert.Equal(v.Param("left_shift"), p.LeftShift);
        Assert.Equal(v.Param("input1_multiplier"), p.Input1Multiplier);
        Assert.Equal(v.Param("input1_shift"), p.Input1Shift);
        Assert.Equal(v.Param("input2_multiplier"), p.Input2Multiplier);
        Assert.Equal(v.Param("input2_shift"), p.Input2Shift);
        Assert.Equal(v.Param("output_multiplier"), p.OutputMultiplier);
        Assert.Equal(v.Param("output_shift"), p.OutputShift);
        Assert.Equal(v.Param("activation_min"), p.ActivationMin);
        Assert.Equal(v.Param("activation_max"), p.ActivationMax);
    }

    /// <summary>TFLite's formulas: s_i / (2 max s) for the inputs, 2 max s / (2^20 outScale) for the output.</summary>
    [Theory]
    [InlineData(0.02, 0.05, 0.1)]
    [InlineData(0.05, 0.02, 0.01)]
    [InlineData(0.3, 0.3, 0.3)]
    public void MultipliersEncodeTheScaleRatios(double scale1, double scale2, double outputScale)
    {
        AddParams p = AddQuantization.Create(4, scale1, 0, scale2, 0, outputScale, 0);
        double twiceMax = 2 * Math.Max(scale1, scale2);
        AssertEncodes(scale1 / twiceMax, p.Input1Multiplier, p.Input1Shift);
        AssertEncodes(scale2 / twiceMax, p.Input2Multiplier, p.Input2Shift);
        AssertEncodes(twiceMax / (Math.Pow(2, 20) * outputScale), p.OutputMultiplier, p.OutputShift);
        // The larger input's multiplier is exactly one half: shift 0, as TFLite's SmallerThanOneExp requires (≤ 0).
        Assert.Equal(1 << 30, scale1 >= scale2 ? p.Input1Multiplier : p.Input2Multiplier);
        Assert.True(p.Input1Shift <= 0 && p.Input2Shift <= 0);
    }

    /// <summary>A Q31 multiplier is exact to half a step of 2^-31, relative.</summary>
    private static void AssertEncodes(double real, int multiplier, int shift) =>
        Assert.InRange(multiplier / 2147483648.0 * Math.Pow(2, shift) / real, 1 - Math.Pow(2, -30), 1 + Math.Pow(2, -30));
}
