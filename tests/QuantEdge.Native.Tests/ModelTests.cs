using QuantEdge.NativeDeviceTests.Cases;
using QuantEdge.NativeHost;
using QuantEdge.Runtime;
using Xunit.Abstractions;

namespace QuantEdge.Native.Tests;

/// <summary>
/// Whole models through Model.Load's dispatch: with the C kernels installed the loader picks them
/// (KernelPath.Native) and every output equals the managed model's; without them (stock firmware, desktop
/// .NET) nothing changes.
/// </summary>
public class ModelTests(ITestOutputHelper output)
{
    /// <summary>The device tests' models: the demo MLP, the benchmarks' CNN, every op in both layouts, a sensor MLP.</summary>
    public static TheoryData<string> Models() =>
        new(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Models"), "*.qem").Select(Path.GetFileNameWithoutExtension).Order()!);

    private static byte[] Blob(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Models", name + ".qem"));

    [Theory]
    [MemberData(nameof(Models))]
    public void NativeModelGivesTheManagedOutputs(string name)
    {
        HostKernels? kernels = Host.Kernels(output);
        if (kernels == null)
        {
            return;
        }

        Model managed = Model.Load(Blob(name), allowNativeKernels: false);
        Model native;
        using (kernels.Install())
        {
            native = Model.Load(Blob(name));
            Assert.Equal(KernelPath.Native, native.Kernels);
            Assert.True(native.SelfTest(), "the golden vector");
            var random = new CaseRandom(7);
            var expected = new sbyte[managed.OutputLength];
            var actual = new sbyte[native.OutputLength];
            for (int row = 0; row < 200; row++)
            {
                sbyte[] input = random.Int8s(managed.InputLength);
                managed.SetInputs(input);
                managed.Invoke();
                managed.GetOutputs(expected);
                native.SetInputs(input);
                native.Invoke();
                native.GetOutputs(actual);
                Assert.True(expected.SequenceEqual(actual), $"{name} row {row}: [{string.Join(",", actual)}], managed [{string.Join(",", expected)}]");
            }

            if (managed.OutputAccumulatorCount > 0)
            {
                sbyte[] input = random.Int8s(managed.InputLength);
                var sums = new int[managed.OutputAccumulatorCount];
                var nativeSums = new int[native.OutputAccumulatorCount];
                managed.SetInputs(input);
                managed.InvokeAccumulators(sums);
                native.SetInputs(input);
                native.InvokeAccumulators(nativeSums);
                Assert.Equal(sums, nativeSums);
            }
        }

        Assert.Equal(KernelPath.Managed, managed.Kernels);
        Assert.True(native.WeightBytes <= managed.WeightBytes, "native weights are int8 rows, never more than the managed layout");
    }

    /// <summary>On a stock firmware (here: its interop assembly installed) the probe finds no native code, and the managed kernels run.</summary>
    [Fact]
    public void WithoutNativeKernelsTheManagedOnesRun()
    {
        var previous = QuantEdge.Runtime.Interop.NativeMethods.Install(QuantEdge.Runtime.Interop.NativeMethods.StockFirmware);
        try
        {
            Assert.False(QuantEdge.Runtime.Native.NativeKernels.Available());
            Assert.Throws<NotSupportedException>(() => QuantEdge.Runtime.Interop.NativeMethods.Version());
            Model model = Model.Load(Blob("DemoMlp"));
            Assert.Equal(KernelPath.Managed, model.Kernels);
            Assert.True(model.SelfTest());
        }
        finally
        {
            QuantEdge.Runtime.Interop.NativeMethods.Install(previous);
        }
    }

    /// <summary>Desktop .NET is a stock firmware by default (HostSimd.Enabled is off): the managed kernels run.</summary>
    [Fact]
    public void DesktopDefaultIsTheStockFirmware()
    {
        Assert.False(HostSimd.Enabled);
        Assert.False(QuantEdge.Runtime.Native.NativeKernels.Available());
        Assert.Throws<NotSupportedException>(() => QuantEdge.Runtime.Interop.NativeMethods.Version());
        Model model = Model.Load(Blob("DemoMlp"));
        Assert.Equal(KernelPath.Managed, model.Kernels);
        Assert.True(model.SelfTest());
    }

    /// <summary>
    /// HostSimd.Load and HostSimd.Use put one load, or the loads of one flow of execution, on the SIMD kernels (where the CPU has
    /// them) and leave every other load the stock firmware's; C kernels installed for the flow keep precedence.
    /// </summary>
    [Fact]
    public async Task HostSimdLoadsOnlyWhereAsked()
    {
        KernelPath simd = HostSimd.Supported ? KernelPath.HostSimd : KernelPath.Managed;
        Assert.Equal(simd, HostSimd.Load(Blob("Cnn")).Kernels);
        Assert.Equal(KernelPath.Managed, Model.Load(Blob("Cnn")).Kernels);
        using (HostSimd.Use())
        {
            Assert.Equal(simd, Model.Load(Blob("Cnn")).Kernels);
            Assert.Equal(simd, Model.Load(new ByteArrayBlobSource(Blob("Cnn"))).Kernels);
            Assert.Equal(KernelPath.Managed, Model.Load(Blob("Cnn"), allowNativeKernels: false).Kernels);
            Assert.Equal(simd, await Task.Run(() => Model.Load(Blob("Cnn")).Kernels));
        }

        Assert.Equal(KernelPath.Managed, Model.Load(Blob("Cnn")).Kernels);
        HostKernels? kernels = Host.Kernels(output);
        if (kernels == null)
        {
            return;
        }

        using (kernels.Install())
        {
            Assert.Equal(KernelPath.Native, HostSimd.Load(Blob("Cnn")).Kernels);
        }
    }

    /// <summary>Model.Load(blob, false) keeps the managed kernels even where native ones are installed.</summary>
    [Fact]
    public void NativeKernelsCanBeDeclined()
    {
        HostKernels? kernels = Host.Kernels(output);
        if (kernels == null)
        {
            return;
        }

        using (kernels.Install())
        {
            Assert.True(QuantEdge.Runtime.Native.NativeKernels.Available());
            Assert.Equal(KernelPath.Managed, Model.Load(Blob("Cnn"), allowNativeKernels: false).Kernels);
            Assert.Equal(KernelPath.Native, Model.Load(new ByteArrayBlobSource(Blob("Cnn"))).Kernels);
            Assert.Equal(KernelPath.Managed, Model.Load(new ByteArrayBlobSource(Blob("Cnn")), allowNativeKernels: false).Kernels);
        }
    }
}
