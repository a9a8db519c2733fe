using System;
using System.Threading;

namespace QuantEdge.Runtime.Interop
{
    /// <summary>
    /// The desktop build's stand-in for the interop assembly's NativeMethods (../NativeMethods.cs), the same
    /// methods compiled into the desktop QuantEdge.Runtime: by default it is a stock firmware, every
    /// method throwing NotSupportedException, so desktop .NET runs the managed kernels through the very
    /// fallback a stock ESP32 takes. Host programs may install the C kernels compiled for this machine
    /// (tools/NativeHost, through P/Invoke) for the current flow of execution: the host tests use that to
    /// hold the C to the managed kernels without an interpreter, the host-native benchmark to time it.
    /// </summary>
    internal static class NativeMethods
    {
        private static readonly AsyncLocal<IHostKernels> Host = new AsyncLocal<IHostKernels>();

        /// <summary>Installs <paramref name="kernels"/> (null: none) for this flow of execution; returns what was there.</summary>
        internal static IHostKernels Install(IHostKernels kernels)
        {
            IHostKernels previous = Host.Value;
            Host.Value = kernels;
            return previous;
        }

        public static int Version() => Kernels.Version();

        public static void FullyConnected(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] multiplier, int[] shift) =>
            Kernels.FullyConnected(arena, args, weights, bias, multiplier, shift);

        public static void FullyConnectedAccumulate(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] accumulators) =>
            Kernels.FullyConnectedAccumulate(arena, args, weights, bias, accumulators);

        public static void Conv2D(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] multiplier, int[] shift) =>
            Kernels.Conv2D(arena, args, weights, bias, multiplier, shift);

        public static void Conv2DAccumulate(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] accumulators) =>
            Kernels.Conv2DAccumulate(arena, args, weights, bias, accumulators);

        public static void DepthwiseConv2D(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] multiplier, int[] shift) =>
            Kernels.DepthwiseConv2D(arena, args, weights, bias, multiplier, shift);

        public static void MaxPool2D(sbyte[] arena, int[] args) => Kernels.MaxPool2D(arena, args);

        public static void AveragePool2D(sbyte[] arena, int[] args) => Kernels.AveragePool2D(arena, args);

        public static void GlobalAveragePool(sbyte[] arena, int[] args) => Kernels.GlobalAveragePool(arena, args);

        public static void Add(sbyte[] arena, int[] args) => Kernels.Add(arena, args);

        public static void Mul(sbyte[] arena, int[] args) => Kernels.Mul(arena, args);

        public static void Lookup(sbyte[] arena, int[] args, sbyte[] table) => Kernels.Lookup(arena, args, table);

        public static void Softmax(sbyte[] arena, int[] args) => Kernels.Softmax(arena, args);

        public static void Concat(sbyte[] arena, int[] args) => Kernels.Concat(arena, args);

        private static IHostKernels Kernels =>
            Host.Value ?? throw new NotSupportedException("no native kernels: desktop .NET runs the managed ones");
    }

    /// <summary>The C kernels as a host program binds them (tools/NativeHost); the methods of <see cref="NativeMethods"/>.</summary>
    internal interface IHostKernels
    {
        int Version();

        void FullyConnected(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] multiplier, int[] shift);

        void FullyConnectedAccumulate(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] accumulators);

        void Conv2D(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] multiplier, int[] shift);

        void Conv2DAccumulate(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] accumulators);

        void DepthwiseConv2D(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] multiplier, int[] shift);

        void MaxPool2D(sbyte[] arena, int[] args);

        void AveragePool2D(sbyte[] arena, int[] args);

        void GlobalAveragePool(sbyte[] arena, int[] args);

        void Add(sbyte[] arena, int[] args);

        void Mul(sbyte[] arena, int[] args);

        void Lookup(sbyte[] arena, int[] args, sbyte[] table);

        void Softmax(sbyte[] arena, int[] args);

        void Concat(sbyte[] arena, int[] args);
    }
}
