using System.Runtime.CompilerServices;

namespace QuantEdge.Runtime.Interop
{
    /// <summary>
    /// The native int8 kernels (src/QuantEdge.Native), one extern method per op taking a whole layer: a
    /// firmware built with this interop assembly (tools/build-native-nanoclr, docs/native-kernels.md) runs
    /// C for them; on a stock firmware every method throws NotSupportedException, and the runtime keeps
    /// its managed kernels (QuantEdge.Runtime.Native.NativeKernels probes once per Model.Load).
    /// <para>
    /// This class is the whole assembly, and must stay so: the firmware finds each method's C body by its
    /// position in the assembly, so any other type or method here shifts them (the wrong body runs). After
    /// any change to this file: regenerate the stubs (tools/native-stubs), rebuild the firmware, and bump
    /// <see cref="Version"/>'s QE_ABI_VERSION and AssemblyNativeVersion when an argument's meaning changes.
    /// </para>
    /// <para>
    /// Arguments: <c>arena</c> is the model's arena; <c>args</c> a layer's scalars in the order
    /// src/QuantEdge.Native/kernels/qe_kernels.h lists (NativeKernels builds them at load); the arrays are
    /// the layer's weights (int8 rows, OHWI for convolutions, 1HWC for depthwise), biases and per-channel
    /// requantization. The C checks every argument first: a span outside its array throws
    /// IndexOutOfRangeException, any other bad value ArgumentException, a null array NullReferenceException,
    /// and nothing is written.
    /// </para>
    /// </summary>
    public static class NativeMethods
    {
        /// <summary>The interface version of the native kernels (QE_ABI_VERSION).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int Version();

        /// <summary>FullyConnected, int8 outputs.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void FullyConnected(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] multiplier, int[] shift);

        /// <summary>FullyConnected, the int32 sums before requantization (Model.InvokeAccumulators).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void FullyConnectedAccumulate(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] accumulators);

        /// <summary>Conv2D, int8 outputs.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Conv2D(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] multiplier, int[] shift);

        /// <summary>Conv2D, the int32 sums before requantization.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Conv2DAccumulate(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] accumulators);

        /// <summary>DepthwiseConv2D.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void DepthwiseConv2D(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] multiplier, int[] shift);

        /// <summary>MaxPool2D.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void MaxPool2D(sbyte[] arena, int[] args);

        /// <summary>AveragePool2D.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void AveragePool2D(sbyte[] arena, int[] args);

        /// <summary>GlobalAveragePool.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void GlobalAveragePool(sbyte[] arena, int[] args);

        /// <summary>Add.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Add(sbyte[] arena, int[] args);

        /// <summary>Mul.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Mul(sbyte[] arena, int[] args);

        /// <summary>Lookup through a 256-entry table.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Lookup(sbyte[] arena, int[] args, sbyte[] table);

        /// <summary>Softmax.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Softmax(sbyte[] arena, int[] args);

        /// <summary>Concat.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Concat(sbyte[] arena, int[] args);
    }
}
