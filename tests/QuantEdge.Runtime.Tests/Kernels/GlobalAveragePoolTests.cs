using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Tests.Kernels;

public class GlobalAveragePoolTests
{
    /// <summary>
    /// Against the float mean of the dequantized input, requantized to a different output scale and
    /// zero point. The kernel's only errors are the final rounding (half an LSB), MBQM's double
    /// rounding and the Q31 multiplier (far below an LSB at these sums): within 1 LSB.
    /// </summary>
    [Theory]
    [InlineData(1, 1, 1, 1, -128, 127)]
    [InlineData(2, 3, 5, 2, -128, 127)]
    [InlineData(1, 7, 7, 3, -128, 127)]
    [InlineData(2, 5, 9, 7, -20, 40)]
    [InlineData(1, 13, 11, 9, -128, 127)]
    [InlineData(2, 1, 17, 9, 0, 127)]
    public void IsTheFloatMeanWithinOneLsb(int batches, int height, int width, int channels, int activationMin, int activationMax)
    {
        const double inputScale = 0.043, outputScale = 0.0061;
        const int inputZeroPoint = -7, outputZeroPoint = 5;
        GlobalAveragePoolParams p = GlobalAveragePoolQuantization.Create(batches, height, width, channels,
            inputScale, inputZeroPoint, outputScale, outputZeroPoint, activationMin, activationMax);
        sbyte[] input = RandomTensor.Int8(batches * height * width * channels, seed: height * 100 + width * 10 + channels);
        var arena = new TestArena();
        int inputOffset = arena.Place(input);
        int outputOffset = arena.Reserve(batches * channels);

        GlobalAveragePool.Eval(p, arena.Data, inputOffset, outputOffset);

        sbyte[] actual = arena.Read(outputOffset, batches * channels);
        for (int b = 0; b < batches; b++)
        {
            for (int c = 0; c < channels; c++)
            {
                double mean = Enumerable.Range(0, height * width)
                    .Average(k => (input[(b * height * width + k) * channels + c] - inputZeroPoint) * inputScale);
                double expected = Math.Clamp(mean, (activationMin - outputZeroPoint) * outputScale, (activationMax - outputZeroPoint) * outputScale);
                double got = (actual[b * channels + c] - outputZeroPoint) * outputScale;
                Assert.True(Math.Abs(got - expected) <= outputScale,
                    $"[{b},{c}] got {got} expected {expected} ({Math.Abs(got - expected) / outputScale:F3} LSB)");
            }
        }
    }

    /// <summary>With the same scale in and out the mean is only rounded: a constant image comes back unchanged.</summary>
    [Fact]
    public void ConstantImageKeepsItsValue()
    {
        GlobalAveragePoolParams p = GlobalAveragePoolQuantization.Create(1, 3, 3, 2, 0.1, 10, 0.1, 10);
        var arena = new TestArena();
        int input = arena.Place(Enumerable.Range(0, 9).SelectMany(_ => new sbyte[] { -128, 127 }).ToArray());
        int output = arena.Reserve(2);
        GlobalAveragePool.Eval(p, arena.Data, input, output);
        Assert.Equal(new sbyte[] { -128, 127 }, arena.Read(output, 2));
    }
}
