using BenchmarkDotNet.Attributes;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Bench;

/// <summary>
/// Host throughput of the FullyConnected and Conv2D kernels in both weight layouts (the same C# the
/// device runs; the device itself is far slower, see nfcheck --il for what counts there).
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    public const int FcDepth = 256, FcOutputs = 64;
    public const int ConvSize = 16, ConvIn = 8, ConvOut = 16;

    private readonly sbyte[] arena = new sbyte[64 * 1024];
    private FullyConnectedParams fc = null!;
    private Conv2DParams conv = null!;

    [Params(WeightLayout.Int8Rows, WeightLayout.Int64Pairs)]
    public WeightLayout Layout { get; set; }

    public static long FcMacs => FcDepth * FcOutputs;

    public static long ConvMacs => (long)ConvSize * ConvSize * ConvOut * 3 * 3 * ConvIn;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        random.NextBytes((byte[])(Array)arena);
        fc = new FullyConnectedParams
        {
            Batches = 1,
            InputDepth = FcDepth,
            OutputDepth = FcOutputs,
            Weights = ChannelWeights.FromInt8(Int8s(random, FcDepth * FcOutputs), FcOutputs, FcDepth, Layout),
            Bias = new int[FcOutputs],
            OutputMultiplier = Enumerable.Repeat(1 << 30, FcOutputs).ToArray(),
            OutputShift = Enumerable.Repeat(-8, FcOutputs).ToArray(),
            ActivationMin = -128,
            ActivationMax = 127,
        };
        conv = new Conv2DParams
        {
            Batches = 1,
            InputHeight = ConvSize,
            InputWidth = ConvSize,
            InputDepth = ConvIn,
            OutputHeight = ConvSize,
            OutputWidth = ConvSize,
            OutputDepth = ConvOut,
            FilterHeight = 3,
            FilterWidth = 3,
            StrideHeight = 1,
            StrideWidth = 1,
            DilationHeight = 1,
            DilationWidth = 1,
            PadTop = 1,
            PadLeft = 1,
            InputZeroPoint = -3,
            Weights = ChannelWeights.FromInt8(Int8s(random, ConvOut * 9 * ConvIn), ConvOut, 9 * ConvIn, Layout),
            Bias = new int[ConvOut],
            OutputMultiplier = Enumerable.Repeat(1 << 30, ConvOut).ToArray(),
            OutputShift = Enumerable.Repeat(-10, ConvOut).ToArray(),
            ActivationMin = -128,
            ActivationMax = 127,
        };
    }

    [Benchmark(Description = "FullyConnected 256x64")]
    public void FullyConnected256x64() => FullyConnected.Eval(fc, arena, 0, 32 * 1024);

    [Benchmark(Description = "Conv2D 16x16x8 3x3 -> 16")]
    public void Conv2D16x16() => Conv2D.Eval(conv, arena, 0, 32 * 1024);

    private static sbyte[] Int8s(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
}
