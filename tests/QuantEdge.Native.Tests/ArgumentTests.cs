using QuantEdge.NativeHost;
using QuantEdge.Runtime.Interop;
using Xunit.Abstractions;

namespace QuantEdge.Native.Tests;

/// <summary>
/// The C checks every argument before it touches memory: NativeMethods is public on the device, so anything may
/// call it. A span outside its array throws IndexOutOfRangeException, any other bad value ArgumentException, and
/// the arena is left as it was.
/// </summary>
public class ArgumentTests(ITestOutputHelper output)
{
    // FullyConnected 2 → 3 on an arena of 8: input at 0, output at 2.
    private static int[] Fc() => [0, 2, 1, 2, 3, 0, 0, -128, 127];

    private static readonly sbyte[] Weights = [1, 2, 3, 4, 5, 6];

    /// <summary>A word of the FullyConnected args set to a bad value; true when that puts a span outside the arena.</summary>
    public static TheoryData<string, int, int, bool> BadFullyConnected() => new()
    {
        { "input past the arena", 0, 7, true },
        { "negative output offset", 1, -1, true },
        { "output past the arena", 1, 6, true },
        { "no batches", 2, 0, false },
        { "depth past 65535", 3, 65536, false },
        { "outputs that the weights do not hold", 4, 4, false },
        { "weight zero point 128", 5, 128, false },
        { "output zero point -129", 6, -129, false },
        { "clamp min above max", 7, 127, false },
    };

    [Theory]
    [MemberData(nameof(BadFullyConnected))]
    public void FullyConnectedRefusesBadArguments(string what, int word, int value, bool outOfRange)
    {
        int[] args = Fc();
        args[word] = value;
        if (word == 7)
        {
            args[8] = 50;
        }

        Refused(what, outOfRange ? typeof(IndexOutOfRangeException) : typeof(ArgumentException),
            arena => NativeMethods.FullyConnected(arena, args, Weights, [0, 0, 0], [1 << 30, 1 << 30, 1 << 30], [0, 0, 0]));
    }

    [Fact]
    public void BadRequantizationIsRefused()
    {
        Refused("shift 31", typeof(ArgumentException), arena => NativeMethods.FullyConnected(arena, Fc(), Weights, [0, 0, 0], [1, 1, 1], [0, 31, 0]));
        Refused("shift -32", typeof(ArgumentException), arena => NativeMethods.FullyConnected(arena, Fc(), Weights, [0, 0, 0], [1, 1, 1], [0, -32, 0]));
        Refused("negative multiplier", typeof(ArgumentException), arena => NativeMethods.FullyConnected(arena, Fc(), Weights, [0, 0, 0], [1, -1, 1], [0, 0, 0]));
        Refused("a bias short", typeof(ArgumentException), arena => NativeMethods.FullyConnected(arena, Fc(), Weights, [0, 0], [1, 1, 1], [0, 0, 0]));
        Refused("args short", typeof(ArgumentException), arena => NativeMethods.FullyConnected(arena, Fc()[..8], Weights, [0, 0, 0], [1, 1, 1], [0, 0, 0]));
        Refused("accumulators short", typeof(IndexOutOfRangeException), arena => NativeMethods.FullyConnectedAccumulate(arena, Fc(), Weights, [0, 0, 0], new int[2]));
    }

    [Fact]
    public void NullArraysThrowBeforeTheCRuns()
    {
        Refused("null weights", typeof(NullReferenceException), arena => NativeMethods.FullyConnected(arena, Fc(), null!, [0, 0, 0], [1, 1, 1], [0, 0, 0]));
    }

    [Fact]
    public void EveryOtherKernelChecksItsSpansAndValues()
    {
        // Conv2D 1x2x2x1, 1x1 filter -> 1x2x2x1: input at 0, output at 4, arena of 8.
        int[] conv = [0, 4, 1, 2, 2, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, -128, 127, 0];
        int[] convPast = (int[])conv.Clone();
        convPast[QeConv.Output] = 5;
        Refused("conv output past the arena", typeof(IndexOutOfRangeException), a => NativeMethods.Conv2D(a, convPast, [1], [0], [1], [0]));
        int[] convStride = (int[])conv.Clone();
        convStride[QeConv.StrideHeight] = 0;
        Refused("conv stride 0", typeof(ArgumentException), a => NativeMethods.Conv2D(a, convStride, [1], [0], [1], [0]));
        int[] depthwise = (int[])conv.Clone();
        depthwise[QeConv.Extra] = 2;
        Refused("depthwise multiplier that does not give the output depth", typeof(ArgumentException), a => NativeMethods.DepthwiseConv2D(a, depthwise, [1], [0], [1], [0]));

        // AveragePool2D 1x1x1x1 window 1, pad 1: the first window lies in the padding (a division by zero).
        Refused("average pool window in the padding", typeof(ArgumentException),
            a => NativeMethods.AveragePool2D(a, [0, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, -128, 127]));
        Refused("max pool output past the arena", typeof(IndexOutOfRangeException),
            a => NativeMethods.MaxPool2D(a, [0, 8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, -128, 127]));
        Refused("global average pool shift 31", typeof(ArgumentException),
            a => NativeMethods.GlobalAveragePool(a, [0, 4, 1, 2, 2, 1, 0, 0, 1, 31, -128, 127]));
        Refused("add left shift 21", typeof(ArgumentException),
            a => NativeMethods.Add(a, [0, 2, 4, 2, 0, 0, 0, -128, 127, 21, 1, 0, 1, 0, 1, 0]));
        Refused("mul output past the arena", typeof(IndexOutOfRangeException),
            a => NativeMethods.Mul(a, [0, 2, 7, 2, 0, 0, 0, -128, 127, 1, 0]));
        Refused("lookup table of 255", typeof(ArgumentException), a => NativeMethods.Lookup(a, [0, 4, 4], new sbyte[255]));
        Refused("softmax row of 4096", typeof(ArgumentException), a => NativeMethods.Softmax(a, [0, 0, 1, 4096, 1 << 30, 20, -100]));
        Refused("softmax diff min above 0", typeof(ArgumentException), a => NativeMethods.Softmax(a, [0, 4, 1, 4, 1 << 30, 20, 1]));
        Refused("concat with one input", typeof(ArgumentException), a => NativeMethods.Concat(a, [4, 1, 1, 0, 4]));
        Refused("concat input past the arena", typeof(IndexOutOfRangeException), a => NativeMethods.Concat(a, [6, 1, 2, 0, 2, 7, 2]));
    }

    /// <summary>Runs <paramref name="call"/> on an arena of 8 bytes with the C kernels installed: it must throw <paramref name="expected"/> and write nothing.</summary>
    private void Refused(string what, Type expected, Action<sbyte[]> call)
    {
        HostKernels? kernels = Host.Kernels(output);
        if (kernels == null)
        {
            return;
        }

        sbyte[] arena = [11, 22, 33, 44, 55, 66, 77, 88];
        using (kernels.Install())
        {
            Exception thrown = Assert.ThrowsAny<Exception>(() => call(arena));
            Assert.True(thrown.GetType() == expected, $"{what}: {thrown.GetType().Name} ({thrown.Message}), expected {expected.Name}");
        }

        Assert.Equal([11, 22, 33, 44, 55, 66, 77, 88], arena);
    }

    /// <summary>Indices of qe_kernels.h's QE_CONV_* arguments used above.</summary>
    private static class QeConv
    {
        public const int Output = 1, StrideHeight = 11, Extra = 21;
    }
}
