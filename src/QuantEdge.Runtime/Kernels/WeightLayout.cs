namespace QuantEdge.Runtime.Kernels
{
    /// <summary>
    /// How a layer's int8 weights are held on the device. The blob always stores them as int8 (1 byte
    /// each); the layout, recorded per layer, decides what the loader builds. A runtime refuses a layout
    /// it does not know (<see cref="ModelError.BadOp"/>, "unknown weight layout").
    /// </summary>
    public enum WeightLayout
    {
        /// <summary>One sbyte[] per output channel: 1 byte per weight, about 12 IL instructions per MAC.</summary>
        Int8Rows = 0,

        /// <summary>
        /// One long[] per pair of output channels, each element w[2p][k] + (w[2p+1][k] &lt;&lt; 32):
        /// one 64-bit multiply-add computes two MACs. 4 bytes per weight, about 6 IL instructions per MAC.
        /// </summary>
        Int64Pairs = 1,

        /// <summary>
        /// Not held in RAM: the weights stay where the blob lives (flash, a file, a resource) and
        /// <c>Invoke</c> reads them, eight output channels at a time, into one row buffer the model's
        /// streamed layers share (<see cref="StreamedRows"/>). 0 bytes per weight; fully connected layers only
        /// (a convolution would read each weight once per output pixel).
        /// </summary>
        Streamed = 2,

        /// <summary>
        /// As <see cref="Streamed"/>, one output channel's row at a time: the shared buffer needs one row where
        /// Streamed needs eight (784 bytes instead of 6,272 for a 784-input layer), for one channel per pass
        /// (<c>Dot.ByteRow</c>: 20 IL per MAC, against Streamed's 85 per 8). For when eight rows do not fit the RAM budget.
        /// </summary>
        StreamedByRow = 3,
    }
}
