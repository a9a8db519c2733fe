using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Tests.Quantization;

public class GlobalAveragePoolQuantizationTests
{
    [Theory]
    [InlineData(7, 7, 0.05, 0.05)]
    [InlineData(1, 1, 0.1, 0.02)]     // a 1x1 image: the multiplier is the scale ratio alone (above 1)
    [InlineData(13, 11, 0.043, 0.0061)]
    public void MultiplierFoldsTheCountIntoTheScaleRatio(int height, int width, double inputScale, double outputScale)
    {
        GlobalAveragePoolParams p = GlobalAveragePoolQuantization.Create(2, height, width, 3, inputScale, -4, outputScale, 9, -100, 100);
        double real = p.Multiplier / 2147483648.0 * Math.Pow(2, p.Shift);
        Assert.InRange(real / (inputScale / (outputScale * height * width)), 1 - Math.Pow(2, -30), 1 + Math.Pow(2, -30));
        Assert.Equal((2, height, width, 3), (p.Batches, p.Height, p.Width, p.Channels));
        Assert.Equal((-4, 9, -100, 100), (p.InputZeroPoint, p.OutputZeroPoint, p.ActivationMin, p.ActivationMax));
    }

    [Fact]
    public void RejectsImagesWhoseSumCouldOverflow() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => GlobalAveragePoolQuantization.Create(1, 4096, 4096, 1, 0.1, 0, 0.1, 0));
}
