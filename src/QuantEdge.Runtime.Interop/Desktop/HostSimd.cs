namespace QuantEdge.Runtime
{
    /// <summary>
    /// The desktop build's SIMD kernels (AVX2) for FullyConnected, Conv2D, DepthwiseConv2D and MaxPool2D: the same bytes out as the
    /// managed kernels, several times sooner. Off by default, so that a model loaded on the desktop is the object
    /// graph a stock device builds (what the compiler's device descriptions measure); a host program that only runs
    /// models turns them on once, at startup. Desktop .NET only: no firmware has this class.
    /// </summary>
    public static class HostSimd
    {
        private static volatile bool enabled;

        /// <summary>True where the CPU has what the SIMD kernels need (AVX2).</summary>
        public static bool Supported
        {
            get { return Interop.SimdKernels.Instance != null; }
        }

        /// <summary>
        /// When true (and <see cref="Supported"/>), <see cref="Model.Load(byte[])"/> routes those ops to the SIMD kernels
        /// (<see cref="KernelPath.HostSimd"/>). A model keeps the kernels it was loaded with.
        /// </summary>
        public static bool Enabled
        {
            get { return enabled; }
            set { enabled = value; }
        }
    }
}
