using System;

namespace QuantEdge.Runtime
{
    /// <summary>
    /// The desktop build's SIMD kernels (AVX2, and AVX-512 where the CPU has it) for FullyConnected, Conv2D, DepthwiseConv2D and MaxPool2D: the same bytes out as the
    /// managed kernels, several times sooner. Off by default, so that a model loaded on the desktop is the object
    /// graph a stock device builds (what the compiler's device descriptions measure); a host program that only runs
    /// models turns them on once, at startup (<see cref="Enabled"/>), code that runs models beside code that describes them
    /// loads them with <see cref="Load"/> or within <see cref="Use"/>. Desktop .NET only: no firmware has this class.
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

        /// <summary>
        /// <see cref="Model.Load(byte[])"/> on the SIMD kernels where <see cref="Supported"/>, whatever <see cref="Enabled"/> says
        /// (<see cref="Use"/>): for a model run for its outputs.
        /// </summary>
        /// <exception cref="ModelFormatException">The blob breaks a rule of the format.</exception>
        public static Model Load(byte[] blob)
        {
            using (Use())
            {
                return Model.Load(blob);
            }
        }

        /// <summary>
        /// Until disposed, every model loaded in this flow of execution (this thread, and tasks it starts) takes the SIMD
        /// kernels where <see cref="Supported"/>, whatever <see cref="Enabled"/> says: for host code that runs models for their
        /// outputs (the same bytes out), while other code in the process still loads the stock device's object graph (which
        /// the compiler's device descriptions measure). Kernels a host program installed for this flow (tools/NativeHost) keep
        /// precedence.
        /// </summary>
        public static IDisposable Use()
        {
            return new Installation(Interop.NativeMethods.Installed);
        }

        /// <summary>The SIMD kernels installed for a flow of execution, until disposed: then what was installed before.</summary>
        private sealed class Installation : IDisposable
        {
            private readonly Interop.IHostKernels previous;

            public Installation(Interop.IHostKernels previous)
            {
                this.previous = previous;
                Interop.NativeMethods.Install(previous ?? Interop.SimdKernels.Instance);
            }

            public void Dispose()
            {
                Interop.NativeMethods.Install(previous);
            }
        }
    }
}
