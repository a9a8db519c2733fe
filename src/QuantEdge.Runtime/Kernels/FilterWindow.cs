namespace QuantEdge.Runtime.Kernels
{
    /// <summary>
    /// Which taps of a sliding filter fall inside the input along one axis. Kernels compute this
    /// once per output position, so their inner loops never test bounds. Taps outside the input
    /// are skipped, which is TFLite's padding with the input zero point (and the reason the zero
    /// point cannot be folded into the bias of a convolution).
    /// </summary>
    public static class FilterWindow
    {
        /// <summary>
        /// First tap k with origin + k × dilation ≥ 0, where origin is the input coordinate of tap 0
        /// (output × stride − leading pad, negative in the padding). May exceed the filter size when
        /// every tap lies in the padding.
        /// </summary>
        public static int FirstTap(int origin, int dilation)
        {
            return origin >= 0 ? 0 : (dilation - 1 - origin) / dilation;
        }

        /// <summary>One past the last tap k with origin + k × dilation &lt; inputSize, at most filterSize.</summary>
        public static int EndTap(int origin, int inputSize, int dilation, int filterSize)
        {
            int room = inputSize - origin;
            if (room <= 0)
            {
                return 0;
            }

            int end = (room + dilation - 1) / dilation;
            return end < filterSize ? end : filterSize;
        }
    }
}
