using QuantEdge.Runtime.Interop;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Native
{
    /// <summary>
    /// The seam between the runtime and the native kernels of QuantEdge.Runtime.Interop: whether this
    /// firmware has them (<see cref="Available"/>, which <see cref="Model.Load(byte[])"/> asks once), and the
    /// <c>args</c> array each extern method takes for a layer, built once at load from the same parameters
    /// the managed kernel runs on (the order is src/QuantEdge.Native/kernels/qe_kernels.h's). The ops
    /// (Interpreter/*Op.cs) then call <see cref="NativeMethods"/> directly: one interop call per layer.
    /// </summary>
    public static class NativeKernels
    {
        /// <summary>The native kernels' interface version this runtime was built for (QE_ABI_VERSION).</summary>
        public const int AbiVersion = 1;

        /// <summary>
        /// What Version() answers in desktop .NET when its SIMD kernels stand in for the native ones (they cover
        /// FullyConnected, Conv2D, DepthwiseConv2D and MaxPool2D only): <see cref="KernelPath.HostSimd"/>. No firmware answers it.
        /// </summary>
        public const int HostSimdVersion = 0x53494D00 | AbiVersion;

        /// <summary>
        /// True when the firmware has QuantEdge.Runtime.Interop's native code, of <see cref="AbiVersion"/>. On a
        /// stock firmware (and in desktop .NET) its methods throw NotSupportedException: false, and the runtime
        /// runs its managed kernels exactly as without this assembly.
        /// </summary>
        public static bool Available()
        {
            return Probe() == KernelPath.Native;
        }

        /// <summary>
        /// Which kernels this firmware (or desktop .NET) offers: <see cref="KernelPath.Native"/> for the native kernels
        /// of <see cref="AbiVersion"/>, <see cref="KernelPath.HostSimd"/> for the desktop build's SIMD layers, else
        /// <see cref="KernelPath.Managed"/>.
        /// </summary>
        public static KernelPath Probe()
        {
            int version;
            try
            {
                version = NativeMethods.Version();
            }
            catch (System.NotSupportedException)
            {
                return KernelPath.Managed;
            }

            if (version == AbiVersion)
            {
                return KernelPath.Native;
            }

            return version == HostSimdVersion ? KernelPath.HostSimd : KernelPath.Managed;
        }

        /// <summary>
        /// A layer's weights as the native kernels take them, one int8 row per output channel (OHWI for a
        /// convolution) whatever the managed layout: Int64Pairs only packs channels for the interpreter.
        /// </summary>
        public static sbyte[] Rows(ChannelWeights weights)
        {
            sbyte[] rows = new sbyte[weights.Channels * weights.Depth];
            for (int c = 0; c < weights.Channels; c++)
            {
                for (int k = 0; k < weights.Depth; k++)
                {
                    rows[c * weights.Depth + k] = weights.Layout == WeightLayout.Int64Pairs
                        ? (sbyte)((c & 1) == 0 ? Dot.LowLane(weights.Pairs[c >> 1][k]) : Dot.HighLane(weights.Pairs[c >> 1][k]))
                        : weights.Rows[c][k];
                }
            }

            return rows;
        }

        /// <summary>qe_fully_connected: input, output, batches, depth, outputs, weight zero point, output zero point, min, max.</summary>
        public static int[] FullyConnectedArgs(FullyConnectedParams p, int inputOffset, int outputOffset)
        {
            return new int[]
            {
                inputOffset, outputOffset, p.Batches, p.InputDepth, p.OutputDepth, p.WeightZeroPoint,
                p.OutputZeroPoint, p.ActivationMin, p.ActivationMax,
            };
        }

        /// <summary>qe_conv2d: the QE_CONV_* geometry, the last word the weight zero point.</summary>
        public static int[] Conv2DArgs(Conv2DParams p, int inputOffset, int outputOffset)
        {
            return ConvolutionArgs(p, inputOffset, outputOffset, p.WeightZeroPoint);
        }

        /// <summary>qe_depthwise_conv2d: the QE_CONV_* geometry, the last word the depth multiplier.</summary>
        public static int[] DepthwiseConv2DArgs(DepthwiseConv2DParams p, int inputOffset, int outputOffset)
        {
            return ConvolutionArgs(p, inputOffset, outputOffset, p.DepthMultiplier);
        }

        /// <summary>qe_max_pool2d and qe_average_pool2d: the QE_POOL_* geometry.</summary>
        public static int[] Pool2DArgs(Pool2DParams p, int inputOffset, int outputOffset)
        {
            return new int[]
            {
                inputOffset, outputOffset, p.Batches, p.InputHeight, p.InputWidth, p.Channels, p.OutputHeight, p.OutputWidth,
                p.FilterHeight, p.FilterWidth, p.StrideHeight, p.StrideWidth, p.PadTop, p.PadLeft, p.ActivationMin, p.ActivationMax,
            };
        }

        /// <summary>qe_global_average_pool.</summary>
        public static int[] GlobalAveragePoolArgs(GlobalAveragePoolParams p, int inputOffset, int outputOffset)
        {
            return new int[]
            {
                inputOffset, outputOffset, p.Batches, p.Height, p.Width, p.Channels, p.InputZeroPoint, p.OutputZeroPoint,
                p.Multiplier, p.Shift, p.ActivationMin, p.ActivationMax,
            };
        }

        /// <summary>qe_add.</summary>
        public static int[] AddArgs(AddParams p, int input1Offset, int input2Offset, int outputOffset)
        {
            return new int[]
            {
                input1Offset, input2Offset, outputOffset, p.Size, p.Input1ZeroPoint, p.Input2ZeroPoint, p.OutputZeroPoint,
                p.ActivationMin, p.ActivationMax, p.LeftShift, p.Input1Multiplier, p.Input1Shift, p.Input2Multiplier,
                p.Input2Shift, p.OutputMultiplier, p.OutputShift,
            };
        }

        /// <summary>qe_mul.</summary>
        public static int[] MulArgs(MulParams p, int input1Offset, int input2Offset, int outputOffset)
        {
            return new int[]
            {
                input1Offset, input2Offset, outputOffset, p.Size, p.Input1ZeroPoint, p.Input2ZeroPoint, p.OutputZeroPoint,
                p.ActivationMin, p.ActivationMax, p.OutputMultiplier, p.OutputShift,
            };
        }

        /// <summary>qe_lookup.</summary>
        public static int[] LookupArgs(LookupParams p, int inputOffset, int outputOffset)
        {
            return new int[] { inputOffset, outputOffset, p.Size };
        }

        /// <summary>qe_softmax.</summary>
        public static int[] SoftmaxArgs(SoftmaxParams p, int inputOffset, int outputOffset)
        {
            return new int[] { inputOffset, outputOffset, p.Rows, p.RowSize, p.InputMultiplier, p.InputLeftShift, p.DiffMin };
        }

        /// <summary>qe_concat: output, outer count, input count, then each input's offset and chunk.</summary>
        public static int[] ConcatArgs(ConcatParams p, int[] inputOffsets, int outputOffset)
        {
            int inputs = p.InputChunk.Length;
            int[] args = new int[3 + 2 * inputs];
            args[0] = outputOffset;
            args[1] = p.OuterCount;
            args[2] = inputs;
            for (int k = 0; k < inputs; k++)
            {
                args[3 + 2 * k] = inputOffsets[k];
                args[4 + 2 * k] = p.InputChunk[k];
            }

            return args;
        }

        private static int[] ConvolutionArgs(ConvolutionParams p, int inputOffset, int outputOffset, int extra)
        {
            return new int[]
            {
                inputOffset, outputOffset, p.Batches, p.InputHeight, p.InputWidth, p.InputDepth,
                p.OutputHeight, p.OutputWidth, p.OutputDepth, p.FilterHeight, p.FilterWidth, p.StrideHeight, p.StrideWidth,
                p.DilationHeight, p.DilationWidth, p.PadTop, p.PadLeft,
                p.InputZeroPoint, p.OutputZeroPoint, p.ActivationMin, p.ActivationMax, extra,
            };
        }
    }
}
