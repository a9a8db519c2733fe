using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Tests.Kernels;

public class SoftmaxTests
{
    public static TheoryData<string> Sets => CmsisVector.In("softmax");

    [Theory]
    [MemberData(nameof(Sets))]
    public void MatchesCmsisNnBitExactly(string set)
    {
        CmsisVector v = CmsisVector.Load(set);
        var p = new SoftmaxParams
        {
            Rows = v.Param("num_rows"),
            RowSize = v.Param("row_size"),
            InputMultiplier = v.Param("input_multiplier"),
            InputLeftShift = v.Param("input_left_shift"),
            DiffMin = v.Param("diff_min"),
        };
        var arena = new TestArena();
        int input = arena.Place(v.SBytes("input"));
        int output = arena.Reserve(p.Rows * p.RowSize);
        Softmax.Eval(p, Softmax.ExpTable(p), arena.Data, input, output);
        v.AssertOutput(arena.Read(output, p.Rows * p.RowSize));
    }

    /// <summary>
    /// Against double-precision softmax(beta × dequantized input), on the implied output grid (1/256,
    /// zero point -128). The output rounding costs half an LSB (1/512). On top of it: exp's error
    /// (below 2.6e-7 absolute, see FixedPointFunctionTests), the reciprocal's (2e-8 relative) and the
    /// rounding of each exp to Q12.19 when summed (2^-20 per element, relative to a sum of at least 1).
    /// So |error| ≤ 1/512 + 1e-6 + rowSize × 2^-20. Measured over ~50,000 random rows (beta × scale
    /// from 1e-7 to 100, rows of 1 to 4095): worst 0.500015 LSB.
    /// </summary>
    [Theory]
    [InlineData(1.0, 1.0 / 255, 1)]
    [InlineData(1.0, 1.0 / 255, 10)]
    [InlineData(1.0, 0.05, 2)]
    [InlineData(1.0, 0.1, 3)]
    [InlineData(0.5, 0.2, 7)]
    [InlineData(2.0, 0.01, 9)]
    [InlineData(1.0, 0.3, 33)]  // most differences fall below DiffMin
    [InlineData(1.0, 7.0, 9)]   // only the maxima count
    [InlineData(1.0, 1e-4, 100)] // nearly uniform
    public void IsTheFloatSoftmaxWithinHalfAnLsbPlusTheFixedPointError(double beta, double inputScale, int rowSize)
    {
        const int rows = 40;
        SoftmaxParams p = SoftmaxQuantization.Create(rows, rowSize, beta, inputScale);
        var random = new Random(rowSize * 1000 + (int)(inputScale * 1e4));
        // Each row its own spread, so some rows are nearly flat and others have one clear maximum.
        sbyte[] input = Enumerable.Range(0, rows).SelectMany(r =>
        {
            int low = random.Next(-128, 128), high = random.Next(low, 128);
            return Enumerable.Range(0, rowSize).Select(_ => (sbyte)random.Next(low, high + 1));
        }).ToArray();
        var arena = new TestArena();
        int inputOffset = arena.Place(input);
        int outputOffset = arena.Reserve(input.Length);

        Softmax.Eval(p, Softmax.ExpTable(p), arena.Data, inputOffset, outputOffset);

        sbyte[] actual = arena.Read(outputOffset, input.Length);
        double tolerance = 1.0 / 512 + 1e-6 + rowSize * Math.Pow(2, -20);
        for (int r = 0; r < rows; r++)
        {
            double[] real = input.Skip(r * rowSize).Take(rowSize).Select(q => q * inputScale * beta).ToArray();
            double max = real.Max();
            double sum = real.Sum(x => Math.Exp(x - max));
            for (int i = 0; i < rowSize; i++)
            {
                // The grid ends at 255/256: a probability of 1 saturates there.
                double expected = Math.Min(Math.Exp(real[i] - max) / sum, 255.0 / 256);
                double got = (actual[r * rowSize + i] + 128) / 256.0;
                Assert.True(Math.Abs(got - expected) <= tolerance,
                    $"row {r} [{i}]: got {got} expected {expected} ({Math.Abs(got - expected) * 256:F5} LSB)");
            }
        }
    }

    /// <summary>
    /// From a sum of exps of 512 on (512 equal elements), the output needs a rounding shift beyond 31
    /// bits, where TFLite's reference stops with a check failure. The Q0.31 product it would shift is
    /// below 2^31, so the result is 0 (-128): the kernel outputs exactly that.
    /// </summary>
    [Theory]
    [InlineData(511, -127)]  // 256/511 = 0.501 → 1 step above zero
    [InlineData(512, -128)]  // 256/512 = 0.5 exactly, but exp(0) and the reciprocal saturate just below 1
    [InlineData(600, -128)]
    [InlineData(4095, -128)]
    public void LongFlatRowsRoundToZero(int rowSize, int expected)
    {
        SoftmaxParams p = SoftmaxQuantization.Create(1, rowSize, 1.0, 0.1);
        var arena = new TestArena();
        int offset = arena.Place(Enumerable.Repeat((sbyte)42, rowSize).ToArray());
        Softmax.Eval(p, Softmax.ExpTable(p), arena.Data, offset, offset);
        Assert.All(arena.Read(offset, rowSize), value => Assert.Equal(expected, value));
    }

    [Fact]
    public void WorksInPlace()
    {
        SoftmaxParams p = SoftmaxQuantization.Create(3, 7, 1.0, 0.08);
        sbyte[] input = RandomTensor.Int8(21, seed: 9);
        var separate = new TestArena();
        int a = separate.Place(input), o = separate.Reserve(21);
        Softmax.Eval(p, Softmax.ExpTable(p), separate.Data, a, o);
        var inPlace = new TestArena();
        int b = inPlace.Place(input);
        Softmax.Eval(p, Softmax.ExpTable(p), inPlace.Data, b, b);
        Assert.Equal(separate.Read(o, 21), inPlace.Read(b, 21));
    }
}
