using QuantEdge.NativeDeviceTests.Cases;
using QuantEdge.NativeHost;
using Xunit.Abstractions;

namespace QuantEdge.Native.Tests;

/// <summary>
/// Every native kernel against its managed twin on thousands of random layers (the native device tests' cases,
/// more of them): the whole arena after the run, outputs and every other byte, and the int32 sums of
/// FullyConnected and Conv2D, bit for bit.
/// </summary>
public class KernelCaseTests(ITestOutputHelper output)
{
    /// <summary>Cases per kernel here; the nanoCLR runs the first NativeKernelTests.Cases of each.</summary>
    private const int Cases = 3000;

    public static TheoryData<string> Kernels()
    {
        var data = new TheoryData<string>();
        for (int kind = 0; kind < Kinds.Count; kind++)
        {
            data.Add(Kinds.Name(kind));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void NativeKernelGivesTheManagedBytes(string kernel) => Run(Host.Kernels(output), kernel, Cases);

    /// <summary>The dot products of qe_dot.h's seam replaced by a port (one multiply-accumulate at a time, backwards).</summary>
    [Theory]
    [InlineData("FullyConnected")]
    [InlineData("Conv2D")]
    public void APortBehindTheDotProductSeamGivesTheSameBytes(string kernel) => Run(Host.WithReferencePort(output), kernel, 500);

    private void Run(HostKernels? kernels, string kernel, int cases)
    {
        if (kernels == null)
        {
            return;
        }

        using IDisposable installed = kernels.Install();
        int kind = Kinds.Of(kernel);
        var failures = new List<string>();
        long work = 0;
        for (int i = 0; i < cases; i++)
        {
            KernelCase c = Kinds.Case(kind, i);
            work += c.Work;
            string? difference = CaseCheck.Difference(c);
            if (difference != null)
            {
                failures.Add(difference);
            }
        }

        output.WriteLine($"{kernel}: {cases} cases, {work:N0} units of work, {failures.Count} differ");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} {kernel} cases differ:\n{string.Join("\n", failures.Take(10))}");
    }
}
