using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Tests;

namespace QuantEdge.Compiler.Tests.Quantization;

public class MulQuantizationTests
{
    /// <summary>
    /// The CMSIS-NN mul set's output multiplier 1077952640 with shift -7 is s1 × s2 / sOut = 1/255
    /// rounded to float32, as with all three scales equal to float32(1/255) (the double 1/255 would
    /// give 1077952576, see SoftmaxQuantizationTests).
    /// </summary>
    [Fact]
    public void ReproducesTheCmsisSet()
    {
        CmsisVector v = CmsisVector.Load("mul/mul.json");
        double scale = (float)(1.0 / 255);
        MulParams p = MulQuantization.Create(v.Param("size"),
            scale, v.Param("input1_zero_point"), scale, v.Param("input2_zero_point"),
            scale, v.Param("output_zero_point"), v.Param("activation_min"), v.Param("activation_max"));
        Assert.Equal(v.Param("size"), p.Size);
        Assert.Equal(v.Param("input1_zero_point"), p.Input1ZeroPoint);
        Assert.Equal(v.Param("input2_zero_point"), p.Input2ZeroPoint);
        Assert.Equal(v.Param("output_zero_point"), p.OutputZeroPoint);
        Assert.Equal(v.Param("output_multiplier"), p.OutputMultiplier);
        Assert.Equal(v.Param("output_shift"), p.OutputShift);
        Assert.Equal(v.Param("activation_min"), p.ActivationMin);
        Assert.Equal(v.Param("activation_max"), p.ActivationMax);
    }

    [Theory]
    [InlineData(0.02, 0.05, 0.1)]
    [InlineData(0.5, 0.5, 0.001)]   // multiplier above 1: positive shift
    [InlineData(0.001, 0.002, 0.3)]
    public void MultiplierIsTheProductOfInputScalesOverOutputScale(double scale1, double scale2, double outputScale)
    {
        MulParams p = MulQuantization.Create(3, scale1, 1, scale2, 2, outputScale, 3);
        double real = p.OutputMultiplier / 2147483648.0 * Math.Pow(2, p.OutputShift);
        Assert.InRange(real / (scale1 * scale2 / outputScale), 1 - Math.Pow(2, -30), 1 + Math.Pow(2, -30));
        Assert.Equal((1, 2, 3), (p.Input1ZeroPoint, p.Input2ZeroPoint, p.OutputZeroPoint));
    }
}
