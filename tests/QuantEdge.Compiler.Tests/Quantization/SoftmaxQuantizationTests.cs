using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Tests;

namespace QuantEdge.Compiler.Tests.Quantization;

public class SoftmaxQuantizationTests
{
    /// <summary>
    /// The CMSIS-NN softmax set records input_multiplier 1077952640 (0x40404080), left shift 19 and
    /// diff_min -3968. They come from beta = 1 and input scale 1/255 rounded to float32 (TFLite keeps
    /// scales as float32): 0x40404080 is that float's 24-bit significand, shifted.
    /// </summary>
    [Fact]
    public void ReproducesTheCmsisSet()
    {
        CmsisVector v = CmsisVector.Load("softmax/softmax.json");
        SoftmaxParams p = SoftmaxQuantization.Create(v.Param("num_rows"), v.Param("row_size"), beta: 1.0, inputScale: (float)(1.0 / 255));
        Assert.Equal(v.Param("input_multiplier"), p.InputMultiplier);
        Assert.Equal(v.Param("input_left_shift"), p.InputLeftShift);
        Assert.Equal(v.Param("diff_min"), p.DiffMin);
        Assert.Equal(v.Param("num_rows"), p.Rows);
        Assert.Equal(v.Param("row_size"), p.RowSize);
    }

    /// <summary>
    /// Exactly the beta × scale in [1077952639.5, 1077952640.5) × 2^-38 reproduce the set (the
    /// multiplier rounds half away from zero); the double 1/255 lies outside and gives 1077952576.
    /// </summary>
    [Fact]
    public void TheSetPinsBetaTimesScaleToOneQ31Step()
    {
        double lower = 1077952639.5 * Math.Pow(2, -38), upper = 1077952640.5 * Math.Pow(2, -38);
        Assert.Equal(1077952640, SoftmaxQuantization.Create(1, 5, 1.0, lower).InputMultiplier);
        Assert.Equal(1077952640, SoftmaxQuantization.Create(1, 5, 1.0, Math.BitDecrement(upper)).InputMultiplier);
        Assert.Equal(1077952639, SoftmaxQuantization.Create(1, 5, 1.0, Math.BitDecrement(lower)).InputMultiplier);
        Assert.Equal(1077952641, SoftmaxQuantization.Create(1, 5, 1.0, upper).InputMultiplier);
        Assert.Equal(1077952576, SoftmaxQuantization.Create(1, 5, 1.0, 1.0 / 255).InputMultiplier);
        // beta and the scale only enter as their product.
        Assert.Equal(1077952640, SoftmaxQuantization.Create(1, 5, 2.0, (float)(1.0 / 255) / 2).InputMultiplier);
    }

    [Theory]
    [InlineData(5, 19, 3968)]        // 31 × 2^26 / 2^19
    [InlineData(5, 0, 31 << 26)]
    [InlineData(5, 30, 1)]           // 31 / 16 = 1.94, floored
    [InlineData(5, 27, 15)]          // 15.5 floored
    public void InputRadius_IsTheFlooredLargestUnscaledDifference(int integerBits, int leftShift, int expected) =>
        Assert.Equal(expected, SoftmaxQuantization.InputRadius(integerBits, leftShift));

    /// <summary>The DiffMin keeps DiffMin × 2^shift within Q5.26 (no overflow before the multiply).</summary>
    [Theory]
    [InlineData(1.0, 1.0 / 255)]
    [InlineData(1.0, 0.1)]
    [InlineData(0.3, 0.0007)]
    [InlineData(1.0, 5.0)]
    public void ScaledDiffMinStaysAboveMinusThirtyTwo(double beta, double inputScale)
    {
        SoftmaxParams p = SoftmaxQuantization.Create(1, 10, beta, inputScale);
        Assert.InRange((long)p.DiffMin << p.InputLeftShift, -31L << 26, 0);
        Assert.InRange(p.InputLeftShift, 0, 30);
        // The pair stands for beta × scale × 2^26 to 31 bits.
        double real = p.InputMultiplier / 2147483648.0 * Math.Pow(2, p.InputLeftShift);
        Assert.Equal(1.0, real / (beta * inputScale * Math.Pow(2, 26)), 8);
    }

    /// <summary>TFLite caps beta × scale × 2^26 at 2^31 - 1; the shift then saturates at 30 and only a difference of -1 still counts.</summary>
    [Fact]
    public void HugeBetaTimesScaleIsCapped()
    {
        SoftmaxParams p = SoftmaxQuantization.Create(1, 4, 1.0, 1000.0);
        Assert.Equal(int.MaxValue, p.InputMultiplier);
        Assert.Equal(30, p.InputLeftShift);
        Assert.Equal(-1, p.DiffMin);
    }

    [Fact]
    public void RejectsWhatTheKernelCannotRun()
    {
        // beta × scale × 2^26 must exceed 1 (TFLite's QuantizeMultiplierGreaterThanOne).
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxQuantization.Create(1, 10, 1.0, 1e-9));
        // The Q12.19 sum of 4096 exps of 1 would overflow.
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxQuantization.Create(1, 4096, 1.0, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxQuantization.Create(1, 0, 1.0, 0.1));
    }
}
