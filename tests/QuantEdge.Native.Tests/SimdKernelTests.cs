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
/// sizes, paddings, strides, dilations, asymmetric weights, both weight layouts, depth multipliers; pools of 1–40 channels), the vector requantization on
/// its edge values, and whole models.
/// </summary>
public class SimdKernelTests(ITestOutputHelper output)
{
    private const int Cases = 3000;

    [Theory]
    [InlineData("FullyConnected")]
    [InlineData("Conv2D")]
    [InlineData("DepthwiseConv2D")]
    [InlineData("MaxPool2D")]
    public void SimdKernelGivesTheManagedBytes(string kernel)
    {
        if (!Supported())
        {
            return;
        }

        IHostKernels previous = NativeMethods.Install(null); // none installed: the layer methods run the SIMD kernels
        try
        {
            int kind = Kinds.Of(kernel);
            var failures = new List<string>();
            for (int i = 0; i < Cases; i++)
            {
                string? difference = CaseCheck.Difference(Kinds.Case(kind, i));
                if (difference != null)
                {
                    failures.Add(difference);
                }
            }

            Assert.True(failures.Count == 0, $"{failures.Count} of {Cases} {kernel} cases differ:\n{string.Join("\n", failures.Take(10))}");
        }
        finally
        {
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
