using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Tests.Kernels;

public class MaxPool2DTests
{
    public static TheoryData<string> Sets => CmsisVector.In("maxpool");

    public static TheoryData<string> Geometries => PoolTestCases.GeometryNames;

    [Theory]
    [MemberData(nameof(Sets))]
    public void MatchesCmsisNnBitExactly(string set)
    {
        CmsisVector v = CmsisVector.Load(set);
        v.AssertOutput(PoolTestCases.RunCmsis(v, MaxPool2D.Eval));
    }

    /// <summary>
    /// Dequantization is monotone and input and output share it, so the float max of the window
    /// dequantizes exactly to the kernel's output: tolerance 0.
    /// </summary>
    [Theory]
    [MemberData(nameof(Geometries))]
    public void EqualsTheFloatMaxOfTheClippedWindow(string geometry)
    {
        const double scale = 0.037;
        const int zeroPoint = -9;
        Pool2DParams p = PoolTestCases.Find(geometry).ToParams();
        int batches = p.Batches, channels = p.Channels, activationMin = p.ActivationMin, activationMax = p.ActivationMax;
        sbyte[] input = RandomTensor.Int8(batches * p.InputHeight * p.InputWidth * channels, seed: RandomTensor.Seed(geometry));
        var arena = new TestArena();
        int inputOffset = arena.Place(input);
        int length = batches * p.OutputHeight * p.OutputWidth * channels;
        int outputOffset = arena.Reserve(length);

        MaxPool2D.Eval(p, arena.Data, inputOffset, outputOffset);

        sbyte[] actual = arena.Read(outputOffset, length);
        List<List<int>> windows = PoolTestCases.Windows(p, input);
        for (int i = 0; i < length; i++)
        {
            double expected = Math.Clamp(windows[i].Max(q => (q - zeroPoint) * scale),
                (activationMin - zeroPoint) * scale, (activationMax - zeroPoint) * scale);
            Assert.Equal(expected, (actual[i] - zeroPoint) * scale, 12);
        }
    }
}
