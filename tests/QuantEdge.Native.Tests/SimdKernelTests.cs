using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using QuantEdge.NativeDeviceTests.Cases;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Interop;
using QuantEdge.Runtime.Kernels;
using Xunit.Abstractions;

namespace QuantEdge.Native.Tests;

/// <summary>
/// The desktop build's SIMD kernels (src/QuantEdge.Runtime.Interop/Desktop/SimdKernels.cs), which desktop .NET runs with
/// HostSimd.Enabled (KernelPath.HostSimd), held to the managed kernels: the random layers the C kernels are held to (odd
/// sizes, paddings, strides, dilations, asymmetric weights, both weight layouts, depth multipliers; pools of 1–40 channels)
/// and convolutions over whole images, each with and without the AVX-512 paths; the vector requantization (eight and
/// sixteen lanes) on its edge values, and whole models.
/// </summary>
public class SimdKernelTests(ITestOutputHelper output)
{
    private const int Cases = 3000;

    /// <summary>The random layers, with the AVX-512 paths (where the CPU has them) and with the AVX2 ones alone.</summary>
    [Theory]
    [InlineData("FullyConnected", true)]
    [InlineData("Conv2D", true)]
    [InlineData("DepthwiseConv2D", true)]
    [InlineData("MaxPool2D", true)]
    [InlineData("FullyConnected", false)]
    [InlineData("Conv2D", false)]
    public void SimdKernelGivesTheManagedBytes(string kernel, bool avx512)
    {
        int kind = Kinds.Of(kernel);
        RunCases(kernel, avx512, i => Kinds.Case(kind, i), Cases);
    }

    /// <summary>
    /// Convolutions over whole images (10–30 pixels a side, 1–3 input channels, 3 to 48 outputs): rows of many pixels
    /// and their last, partial groups, and the output stage's repeating patterns of multipliers (lcm(outputs, 16) lanes),
    /// which the small random windows above rarely reach; with and without AVX-512.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SimdConvolutionOverImagesGivesTheManagedBytes(bool avx512)
    {
        RunCases("Conv2D over images", avx512, i => new Conv2DCase(new CaseRandom((uint)(1000 + i)), i, image: true), 300);
    }

    private void RunCases(string what, bool avx512, Func<int, KernelCase> make, int cases)
    {
        if (!Supported())
        {
            return;
        }

        IHostKernels previous = NativeMethods.Install(null); // none installed: the layer methods run the SIMD kernels
        bool wide = SimdKernels.Avx512;
        SimdKernels.Avx512 = avx512;
        try
        {
            if (avx512 && !SimdKernels.Avx512)
            {
                output.WriteLine("no AVX-512 on this CPU: the AVX2 paths only");
            }

            var failures = new List<string>();
            for (int i = 0; i < cases; i++)
            {
                string? difference = CaseCheck.Difference(make(i));
                if (difference != null)
                {
                    failures.Add(difference);
                }
            }

            Assert.True(failures.Count == 0, $"{failures.Count} of {cases} {what} cases differ:\n{string.Join("\n", failures.Take(10))}");
        }
        finally
        {
            SimdKernels.Avx512 = wide;
            NativeMethods.Install(previous);
        }
    }

    /// <summary>Eight lanes of the vector requantization against OutputStage.Requantize, on the edges of every argument and at random.</summary>
    [Fact]
    public void VectorRequantizationIsTheOutputStage()
    {
        if (!Supported())
        {
            return;
        }

        int[] accs = [int.MinValue, int.MinValue + 1, -65536, -1, 0, 1, 65535, int.MaxValue];
        int[] multipliers = [0, 1, 1 << 30, (1 << 30) + 1, 1518500250, int.MaxValue - 1, int.MaxValue, 12345];
        var random = new Random(11);
        var acc = new int[8];
        var multiplier = new int[8];
        var shift = new int[8];
        for (int round = 0; round < 20000; round++)
        {
            for (int j = 0; j < 8; j++)
            {
                bool edge = round < 10000;
                acc[j] = edge ? accs[random.Next(accs.Length)] : random.Next(int.MinValue, int.MaxValue);
                multiplier[j] = edge ? multipliers[random.Next(multipliers.Length)] : random.Next(0, int.MaxValue);
                shift[j] = random.Next(-31, 31);
            }

            int zeroPoint = random.Next(-128, 128), min = random.Next(-128, 0), max = random.Next(0, 128);
            Vector256<int> y = SimdKernels.Requantize(Vector256.Create(acc), Vector256.Create(multiplier), Vector256.Create(shift), zeroPoint, min, max);
            for (int j = 0; j < 8; j++)
            {
                Assert.True(OutputStage.Requantize(acc[j], multiplier[j], shift[j], zeroPoint, min, max) == y.GetElement(j),
                    $"acc {acc[j]} multiplier {multiplier[j]} shift {shift[j]} zero point {zeroPoint}: managed {OutputStage.Requantize(acc[j], multiplier[j], shift[j], zeroPoint, min, max)}, SIMD {y.GetElement(j)}");
            }

            if (Avx512F.IsSupported)
            {
                // Sixteen lanes: these eight, then the same eight with the accumulators reversed.
                Vector256<int> reversed = Vector256.Create(acc.Reverse().ToArray());
                Vector512<int> wide = SimdKernels.Requantize(Vector512.Create(Vector256.Create(acc), reversed),
                    Vector512.Create(Vector256.Create(multiplier), Vector256.Create(multiplier)), Vector512.Create(Vector256.Create(shift), Vector256.Create(shift)),
                    Vector512.Create(zeroPoint), Vector512.Create(min), Vector512.Create(max));
                for (int j = 0; j < 16; j++)
                {
                    int a = j < 8 ? acc[j] : acc[15 - j];
                    sbyte expected = OutputStage.Requantize(a, multiplier[j % 8], shift[j % 8], zeroPoint, min, max);
                    Assert.True(expected == wide.GetElement(j),
                        $"lane {j}: acc {a} multiplier {multiplier[j % 8]} shift {shift[j % 8]} zero point {zeroPoint}: managed {expected}, AVX-512 {wide.GetElement(j)}");
                }
            }
        }
    }

    /// <summary>Every bundled model loads on the SIMD kernels (HostSimd.Load), passes its golden vector, and gives the managed outputs and sums.</summary>
    [Theory]
    [MemberData(nameof(ModelTests.Models), MemberType = typeof(ModelTests))]
    public void SimdModelGivesTheManagedOutputs(string name)
    {
        if (!Supported())
        {
            return;
        }

        byte[] blob = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Models", name + ".qem"));
        Model managed = Model.Load(blob, allowNativeKernels: false);
        Model simd = HostSimd.Load(blob);

        // Loaded on them, the model keeps calling them with nothing installed.
        Assert.Equal(KernelPath.HostSimd, simd.Kernels);
        Assert.True(simd.SelfTest(), "the golden vector");
        var random = new CaseRandom(5);
        var expected = new sbyte[managed.OutputLength];
        var actual = new sbyte[simd.OutputLength];
        for (int row = 0; row < 200; row++)
        {
            sbyte[] input = random.Int8s(managed.InputLength);
            managed.SetInputs(input);
            managed.Invoke();
            managed.GetOutputs(expected);
            simd.SetInputs(input);
            simd.Invoke();
            simd.GetOutputs(actual);
            Assert.True(expected.SequenceEqual(actual), $"{name} row {row}: [{string.Join(",", actual)}], managed [{string.Join(",", expected)}]");
            if (managed.OutputAccumulatorCount > 0)
            {
                var sums = new int[managed.OutputAccumulatorCount];
                var simdSums = new int[simd.OutputAccumulatorCount];
                managed.InvokeAccumulators(sums);
                simd.InvokeAccumulators(simdSums);
                Assert.Equal(sums, simdSums);
            }
        }
    }

    private bool Supported()
    {
        if (SimdKernels.Instance == null)
        {
            Assert.False(Avx2.IsSupported, "AVX2 is there but the SIMD kernels are not");
            output.WriteLine("skipped: no AVX2 on this CPU, desktop .NET runs the managed kernels");
            return false;
        }

        return true;
    }
}
