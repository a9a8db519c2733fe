using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Tests.Kernels;

public class AveragePool2DTests
{
    public static TheoryData<string> Sets => CmsisVector.In("avgpool");

    public static TheoryData<string> Geometries => PoolTestCases.GeometryNames;

    [Theory]
    [MemberData(nameof(Sets))]
    public void MatchesCmsisNnBitExactly(string set)
    {
        CmsisVector v = CmsisVector.Load(set);
        v.AssertOutput(PoolTestCases.RunCmsis(v, AveragePool2D.Eval));
    }

    /// <summary>
    /// Input and output share scale and zero point, so the exact float mean is a real number of output
    /// steps and the kernel only rounds it: within half an LSB (plus float noise), tighter than 1 LSB.
    /// Padding is not counted: the mean is over the clipped window.
    /// </summary>
    [Theory]
    [MemberData(nameof(Geometries))]
    public void IsTheFloatMeanOfTheClippedWindowRounded(string geometry)
    {
        const double scale = 0.021;
        const int zeroPoint = 17;
        Pool2DParams p = PoolTestCases.Find(geometry).ToParams();
        int batches = p.Batches, channels = p.Channels, activationMin = p.ActivationMin, activationMax = p.ActivationMax;
        sbyte[] input = RandomTensor.Int8(batches * p.InputHeight * p.InputWidth * channels, seed: RandomTensor.Seed(geometry) + 1);
        var arena = new TestArena();
        int inputOffset = arena.Place(input);
        int length = batches * p.OutputHeight * p.OutputWidth * channels;
        int outputOffset = arena.Reserve(length);

        AveragePool2D.Eval(p, arena.Data, inputOffset, outputOffset);

        sbyte[] actual = arena.Read(outputOffset, length);
        List<List<int>> windows = PoolTestCases.Windows(p, input);
        for (int i = 0; i < length; i++)
        {
            double expected = Math.Clamp(windows[i].Average(q => (q - zeroPoint) * scale),
                (activationMin - zeroPoint) * scale, (activationMax - zeroPoint) * scale);
            double error = Math.Abs((actual[i] - zeroPoint) * scale - expected);
            Assert.True(error <= 0.5 * scale + 1e-12, $"output {i}: {actual[i]} is {error / scale:F3} LSB from {expected / scale + zeroPoint:F3}");
        }
    }

    /// <summary>Ties round away from zero, on both signs, as TFLite's (s ± n/2) / n does.</summary>
    [Theory]
    [InlineData(new sbyte[] { 1, 2 }, 2)]       // 1.5 → 2
    [InlineData(new sbyte[] { -1, -2 }, -2)]    // -1.5 → -2
    [InlineData(new sbyte[] { -1, 0 }, -1)]     // -0.5 → -1
    [InlineData(new sbyte[] { 1, 0, 0 }, 0)]    // 0.33 → 0
    [InlineData(new sbyte[] { -128, -128, -127, -127 }, -128)] // -127.5 → -128
    public void RoundsHalfAwayFromZero(sbyte[] values, int expected)
    {
        var p = new Pool2DParams
        {
            Batches = 1, InputHeight = 1, InputWidth = values.Length, Channels = 1, OutputHeight = 1, OutputWidth = 1,
            FilterHeight = 1, FilterWidth = values.Length, StrideHeight = 1, StrideWidth = 1,
            ActivationMin = -128, ActivationMax = 127,
        };
        var arena = new TestArena();
        int input = arena.Place(values);
        int output = arena.Reserve(1);
        AveragePool2D.Eval(p, arena.Data, input, output);
        Assert.Equal(expected, arena.Read(output, 1)[0]);
    }

    [Theory]
    [InlineData(3, 3, 1, 1, 2, true)]    // pad 2 < filter 3: first window keeps a row
    [InlineData(3, 3, 1, 1, 3, false)]   // pad 3 = filter 3: first window all padding
    [InlineData(4, 3, 2, 2, 0, true)]    // the last window starts at row 2, inside
    [InlineData(4, 3, 2, 3, 0, false)]   // a third window would start at row 4, past the input
    public void EveryWindowOverlapsInput_DetectsEmptyWindows(int inputHeight, int filterHeight, int strideHeight, int outputHeight, int padTop, bool expected)
    {
        var p = new Pool2DParams
        {
            Batches = 1, InputHeight = inputHeight, InputWidth = 1, Channels = 1, OutputHeight = outputHeight, OutputWidth = 1,
            FilterHeight = filterHeight, FilterWidth = 1, StrideHeight = strideHeight, StrideWidth = 1, PadTop = padTop,
        };
        Assert.Equal(expected, p.EveryWindowOverlapsInput());
    }
}
