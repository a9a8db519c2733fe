using System.Runtime.Intrinsics.X86;
using QuantEdge.Runtime.Native;

namespace QuantEdge.Runtime.Tests;

/// <summary>
/// The desktop build's SIMD kernels (src/QuantEdge.Runtime.Interop/Desktop/SimdKernels.cs): present wherever the CPU has
/// AVX2, and then what NativeMethods runs when no other kernels are installed.
/// </summary>
internal static class HostSimd
{
    /// <summary>True on an AVX2 host, after checking the probe reports them; false elsewhere (the managed kernels run).</summary>
    public static bool Available
    {
        get
        {
            Assert.Equal(Avx2.IsSupported ? KernelPath.HostSimd : KernelPath.Managed, NativeKernels.Probe());
            return Avx2.IsSupported;
        }
    }
}
