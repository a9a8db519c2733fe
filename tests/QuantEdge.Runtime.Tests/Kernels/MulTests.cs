using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Tests.Kernels;

public class MulTests
{
    public static TheoryData<string> Sets => CmsisVector.In("mul");

    [Theory]
    [MemberData(nameof(Sets))]
    public void MatchesCmsisNnBitExactly(string set)
    {
        CmsisVector v = CmsisVector.Load(set);
        var p = new MulParams
        {
            Size = v.Param("size"),
            Input1ZeroPoint = v.Param("input1_zero_point"),
            Input2ZeroPoint = v.Param("input2_zero_point"),
            OutputZeroPoint = v.Param("output_zero_point"),
            OutputMultiplier = v.Param("output_multiplier"),
            OutputShift = v.Param("output_shift"),
            ActivationMin = v.Param("activation_min"),
            ActivationMax = v.Param("activation_max"),
        };
        var arena = new TestArena();
        int input1 = arena.Place(v.SBytes("input1"));
        int input2 = arena.Place(v.SBytes("input2"));
        int output = arena.Reserve(p.Size);
        Mul.Eval(p, arena.Data, input1, input2, output);
        v.AssertOutput(arena.Read(output, p.Size));
    }

    /// <summary>
    /// Against the float product of the dequantized inputs, quantized to the output. The integer
    /// product is exact; only MBQM rounds (half an LSB plus double rounding): within 1 LSB.
    /// </summary>
    [Theory]
    [InlineData(1, 0.05, -3, 0.05, 7, 0.1, 2, -128, 127)]
    [InlineData(7, 0.02, 10, 0.09, -20, 0.01, -5, -128, 127)]
    [InlineData(9, 0.3, 0, 0.01, 0, 0.25, -128, -128, 127)]
    [InlineData(33, 0.011, -128, 0.013, 127, 0.004, 0, -40, 90)]
    [InlineData(160, 1.0 / 255, -128, 1.0 / 255, -128, 1.0 / 255, -128, -128, 127)]
    [InlineData(3, 0.5, 0, 0.5, 0, 0.001, 0, -128, 127)] // product up to 16000 LSB: saturates
    public void IsTheFloatProductWithinOneLsb(int size, double scale1, int zeroPoint1, double scale2, int zeroPoint2,
        double outputScale, int outputZeroPoint, int activationMin, int activationMax)
    {
        MulParams p = MulQuantization.Create(size, scale1, zeroPoint1, scale2, zeroPoint2, outputScale, outputZeroPoint, activationMin, activationMax);
        sbyte[] x1 = RandomTensor.Int8(size, seed: size + 7);
        sbyte[] x2 = RandomTensor.Int8(size, seed: size + 2000);
        var arena = new TestArena();
        int input1 = arena.Place(x1);
        int input2 = arena.Place(x2);
        int output = arena.Reserve(size);

        Mul.Eval(p, arena.Data, input1, input2, output);

        sbyte[] actual = arena.Read(output, size);
        for (int i = 0; i < size; i++)
        {
            double product = (x1[i] - zeroPoint1) * scale1 * ((x2[i] - zeroPoint2) * scale2);
            double expected = Math.Clamp(product, (activationMin - outputZeroPoint) * outputScale, (activationMax - outputZeroPoint) * outputScale);
            double got = (actual[i] - outputZeroPoint) * outputScale;
            Assert.True(Math.Abs(got - expected) <= outputScale, $"[{i}] {x1[i]} × {x2[i]}: got {got} expected {expected}");
        }
    }

    [Fact]
    public void WorksInPlaceOnEitherInput()
    {
        MulParams p = MulQuantization.Create(13, 0.07, 3, 0.05, -2, 0.02, 1);
        BinaryInPlace.AssertMatchesSeparateOutput((arena, input1, input2, output) => Mul.Eval(p, arena, input1, input2, output), p.Size);
    }
}
