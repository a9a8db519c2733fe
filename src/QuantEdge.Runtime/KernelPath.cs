namespace QuantEdge.Runtime
{
    /// <summary>Which kernels a loaded <see cref="Model"/> runs (<see cref="Model.Kernels"/>).</summary>
    public enum KernelPath
    {
        /// <summary>The C# kernels of QuantEdge.Runtime.Kernels: any firmware, and desktop .NET.</summary>
        Managed = 0,

        /// <summary>
        /// The C kernels of a firmware built with QuantEdge.Runtime.Interop (docs/native-kernels.md): the
        /// same bytes out, one to two orders of magnitude sooner.
        /// </summary>
        Native = 1,

        /// <summary>
        /// Desktop .NET on a CPU with AVX2: FullyConnected, Conv2D, DepthwiseConv2D and MaxPool2D run on SIMD kernels of the desktop
        /// build (the same bytes out), the other ops on the managed kernels. Never on a device.
        /// </summary>
        HostSimd = 2,
    }
}
