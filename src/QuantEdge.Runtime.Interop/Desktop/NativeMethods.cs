using System;
using System.Threading;

namespace QuantEdge.Runtime.Interop
{
    /// <summary>
    /// The desktop build's stand-in for the interop assembly's NativeMethods (../NativeMethods.cs), the same
    /// methods compiled into the desktop QuantEdge.Runtime. By default it is a stock firmware: Version() throws
    /// NotSupportedException, so desktop .NET runs the managed kernels through the very fallback a stock ESP32
    /// takes. With <see cref="HostSimd.Enabled"/> (and AVX2) Version() answers NativeKernels.HostSimdVersion and
    /// the loader routes FullyConnected, Conv2D, DepthwiseConv2D and MaxPool2D here (KernelPath.HostSimd), to the host's SIMD
    /// kernels (<see cref="SimdKernels"/>); those methods keep running them whatever the switch says later, so a
    /// model loaded with it works on. Host programs may install other kernels for the current flow of execution:
    /// the C kernels compiled for this machine (tools/NativeHost, through P/Invoke), which the host tests use to
    /// hold the C to the managed kernels without an interpreter and the host-native benchmark to time it, the
    /// SIMD kernels themselves, or <see cref="StockFirmware"/>.
    /// </summary>
    internal static class NativeMethods
    {
        private static readonly AsyncLocal<IHostKernels> Host = new AsyncLocal<IHostKernels>();

        /// <summary>Installed, a firmware without native kernels: every method throws NotSupportedException.</summary>
        internal static readonly IHostKernels StockFirmware = new NoKernels();

        /// <summary>The kernels installed for this flow of execution (null: none).</summary>
        internal static IHostKernels Installed => Host.Value;

        /// <summary>Installs <paramref name="kernels"/> (null: none) for this flow of execution; returns what was there.</summary>
        internal static IHostKernels Install(IHostKernels kernels)
        {
            IHostKernels previous = Host.Value;
            Host.Value = kernels;
            return previous;
        }

        public static int Version() =>
            (Host.Value ?? (HostSimd.Enabled ? (IHostKernels)SimdKernels.Instance : null) ?? StockFirmware).Version();

        /// <summary>The kernels installed for this flow, or the SIMD ones where there are.</summary>

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

        private static IHostKernels Kernels => Host.Value ?? (IHostKernels)SimdKernels.Instance ?? StockFirmware;

        /// <summary>A stock firmware's interop assembly.</summary>
        private sealed class NoKernels : IHostKernels
        {
            public int Version() => throw None();

            public void FullyConnected(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] multiplier, int[] shift) => throw None();

            public void FullyConnectedAccumulate(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] accumulators) => throw None();

            public void Conv2D(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] multiplier, int[] shift) => throw None();

            public void Conv2DAccumulate(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] accumulators) => throw None();

            public void DepthwiseConv2D(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] multiplier, int[] shift) => throw None();

            public void MaxPool2D(sbyte[] arena, int[] args) => throw None();

            public void AveragePool2D(sbyte[] arena, int[] args) => throw None();

            public void GlobalAveragePool(sbyte[] arena, int[] args) => throw None();

            public void Add(sbyte[] arena, int[] args) => throw None();

            public void Mul(sbyte[] arena, int[] args) => throw None();

            public void Lookup(sbyte[] arena, int[] args, sbyte[] table) => throw None();

            public void Softmax(sbyte[] arena, int[] args) => throw None();

            public void Concat(sbyte[] arena, int[] args) => throw None();

            private static Exception None() => new NotSupportedException("no native kernels: desktop .NET runs the managed ones");
        }
    }

    /// <summary>Kernels behind <see cref="NativeMethods"/>: the C ones as a host program binds them (tools/NativeHost), or the SIMD ones.</summary>
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
