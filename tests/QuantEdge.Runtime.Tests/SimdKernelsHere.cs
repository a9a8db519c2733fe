using System.Runtime.Intrinsics.X86;

namespace QuantEdge.Runtime.Tests;

/// <summary>
/// The desktop build's SIMD kernels (src/QuantEdge.Runtime.Interop/Desktop/SimdKernels.cs): present wherever the CPU has
/// AVX2, and then what NativeMethods' layer methods run when no other kernels are installed.
/// </summary>
internal static class SimdKernelsHere
{
    /// <summary>True on an AVX2 host (where <see cref="Runtime.HostSimd.Supported"/> must agree); false elsewhere.</summary>
    public static bool Available
    {
        get
        {
            Assert.Equal(Avx2.IsSupported, Runtime.HostSimd.Supported);
            return Avx2.IsSupported;
        }
    }
}
