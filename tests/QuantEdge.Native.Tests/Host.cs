using QuantEdge.NativeHost;
using Xunit.Abstractions;

namespace QuantEdge.Native.Tests;

/// <summary>The repository, and the C kernels compiled for this machine (once per variant and process).</summary>
internal static class Host
{
    public static string Root { get; } = FindRoot();

    /// <summary>CI sets QUANTEDGE_REQUIRE_CC: there a missing C compiler is a failure, not a reason to skip.</summary>
    public static bool Required => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("QUANTEDGE_REQUIRE_CC"));

    private static readonly Lazy<HostKernels?> Portable = new(() => Load());

    private static readonly Lazy<HostKernels?> ReferencePort = new(() => Load("QE_DOT_PORT=\"qe_dot_reference.h\""));

    /// <summary>The kernels as the firmware builds them, or null (and a line on the test's output) without a C compiler.</summary>
    public static HostKernels? Kernels(ITestOutputHelper output) => Available(Portable.Value, output);

    /// <summary>The kernels with qe_dot.h's seam plugged by qe_dot_reference.h: a port, as an ESP32-S3 variant would be.</summary>
    public static HostKernels? WithReferencePort(ITestOutputHelper output) => Available(ReferencePort.Value, output);

    private static HostKernels? Available(HostKernels? kernels, ITestOutputHelper output)
    {
        if (kernels == null)
        {
            string why = HostCompiler.Unavailable() ?? "unknown";
            Assert.False(Required, $"QUANTEDGE_REQUIRE_CC is set but the C kernels cannot be built here: {why}");
            output.WriteLine($"skipped: {why}");
        }

        return kernels;
    }

    private static HostKernels? Load(params string[] defines) =>
        HostCompiler.Unavailable() == null ? HostKernels.Load(Root, defines) : null;

    private static string FindRoot()
    {
        for (string? folder = AppContext.BaseDirectory; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, "QuantEdge.sln")))
            {
                return folder;
            }
        }

        throw new InvalidOperationException("no QuantEdge.sln above " + AppContext.BaseDirectory);
    }
}
