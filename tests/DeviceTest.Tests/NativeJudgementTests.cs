using QuantEdge.DeviceTest.Native;
using QuantEdge.DeviceTest.Running;

namespace QuantEdge.DeviceTest.Tests;

/// <summary>How tools/device-test --native and tools/native-stubs judge what they run.</summary>
public class NativeJudgementTests
{
    private const string Banner = """
        nanoFramework MetadataProcessor Utility vFile:             /kit/mdp/nanoFramework.Tools.MetadataProcessor.dll
        Copyright (c) 2019 nanoFramework project contributors

        For documentation, report issues and support visit our GitHub repo: www.github.com\nanoFramework


        """;

    private const string ChecksumBox = """
        ++++++++++++++++++++++++++++++++++++++++++++
        + Native declaration checksum: 0xB76E6B93 +
        ++++++++++++++++++++++++++++++++++++++++++++
        """;

    [Fact]
    public void StubGenerationGivesItsChecksumOnlyWhenNothingElseFollowsTheBanner()
    {
        string pe = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(pe, [1, 2, 3]);
            Assert.Equal("0xB76E6B93", NativeStubs.Checksum(new ProcessResult(0, Banner + ChecksumBox, "", false), pe));
            Assert.Null(NativeStubs.Checksum(new ProcessResult(0, Banner, "", false), pe));
            Assert.Null(NativeStubs.Checksum(new ProcessResult(0, Banner + "Error: bad type\n" + ChecksumBox, "", false), pe));
            Assert.Null(NativeStubs.Checksum(new ProcessResult(1, Banner + ChecksumBox, "", false), pe));
            File.WriteAllBytes(pe, []);
            Assert.Null(NativeStubs.Checksum(new ProcessResult(0, Banner + ChecksumBox, "", false), pe));
        }
        finally
        {
            File.Delete(pe);
        }
    }

    [Fact]
    public void TheFindModulesSourcesAreItsCAndCppFiles()
    {
        const string Module = """
            set(QuantEdge.Runtime.Interop_SRCS

                QuantEdge_Runtime_Interop.cpp
                QuantEdge_Runtime_Interop_QuantEdge_Runtime_Interop_NativeMethods_mshl.cpp
            )
            set(QuantEdge.Runtime.Interop_KERNELS qe_add.c)
            """;
        Assert.Equal(["QuantEdge_Runtime_Interop.cpp", "QuantEdge_Runtime_Interop_QuantEdge_Runtime_Interop_NativeMethods_mshl.cpp", "qe_add.c"],
            NativeStubs.Sources(Module));
    }

    [Fact]
    public void TheReportedKernelsMustBeTheInterpretersOwn()
    {
        Assert.Null(KernelPathCheck.Problem(["kernels: native"], native: true));
        Assert.Null(KernelPathCheck.Problem(["kernels: managed"], native: false));
        Assert.Contains("should give \"kernels: native\"", KernelPathCheck.Problem(["kernels: managed"], native: true));
        Assert.Contains("should give \"kernels: managed\"", KernelPathCheck.Problem(["kernels: native"], native: false));
        Assert.Contains("no test reported", KernelPathCheck.Problem([], native: true));
        Assert.True(KernelPathCheck.IsReport("kernels: native"));
        Assert.False(KernelPathCheck.IsReport("    kernels: native"));
    }
}
