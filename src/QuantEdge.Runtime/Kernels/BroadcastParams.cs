namespace QuantEdge.Runtime.Kernels
{
    /// <summary>
    /// Parameters of an int8 element-wise op of two tensors that broadcast to the output (Sub, Maximum,
    /// Minimum), all precomputed: the output's NHWC dims, each input's element stride along each of them
    /// (0 where the input's dim is 1 and the output's is not), and Add's rescaling, which brings both inputs
    /// to a common scale (twice the larger input scale, <see cref="LeftShift"/> bits of headroom) before
    /// they are combined and rescaled to the output.
    /// </summary>
    public sealed class BroadcastParams : ElementwiseParams
    {
        /// <summary>Values of <see cref="Operation"/>.</summary>
        public const int Subtract = 0, Maximum = 1, Minimum = 2;

        /// <summary>How the rescaled inputs combine: <see cref="Subtract"/>, <see cref="Maximum"/> or <see cref="Minimum"/>.</summary>
        public int Operation;

        /// <summary>Output batches, rows, columns and channels.</summary>
        public int Batches, Height, Width, Channels;

        /// <summary>Element strides of input 1 along the output's N, H, W and C.</summary>
        public int Input1BatchStride, Input1RowStride, Input1ColumnStride, Input1ChannelStride;

        /// <summary>Element strides of input 2 along the output's N, H, W and C.</summary>
        public int Input2BatchStride, Input2RowStride, Input2ColumnStride, Input2ChannelStride;

        /// <summary>Headroom shift applied to both inputs before rescaling (20 for int8, as TFLite).</summary>
        public int LeftShift;

        /// <summary>Q31 multiplier and shift of input1Scale / (2 × max input scale).</summary>
        public int Input1Multiplier, Input1Shift;

        /// <summary>Q31 multiplier and shift of input2Scale / (2 × max input scale).</summary>
        public int Input2Multiplier, Input2Shift;

        /// <summary>Q31 multiplier and shift of 2 × max input scale / (2^LeftShift × outScale).</summary>
        public int OutputMultiplier, OutputShift;
    }
}
