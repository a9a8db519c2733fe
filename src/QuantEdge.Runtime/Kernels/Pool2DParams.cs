namespace QuantEdge.Runtime.Kernels
{
    /// <summary>
    /// Geometry of an int8 2-D pooling layer (<see cref="MaxPool2D"/>, <see cref="AveragePool2D"/>),
    /// NHWC in and out. Input and output share one scale and zero point (as in TFLite), so pooling
    /// needs no requantization; only the fused activation clamps.
    /// </summary>
    public sealed class Pool2DParams
    {
        /// <summary>Images processed one after the other.</summary>
        public int Batches;

        /// <summary>Input rows.</summary>
        public int InputHeight;

        /// <summary>Input columns.</summary>
        public int InputWidth;

        /// <summary>Channels of input and output (pooling never mixes channels).</summary>
        public int Channels;

        /// <summary>Output rows.</summary>
        public int OutputHeight;

        /// <summary>Output columns.</summary>
        public int OutputWidth;

        /// <summary>Window rows.</summary>
        public int FilterHeight;

        /// <summary>Window columns.</summary>
        public int FilterWidth;

        /// <summary>Rows between the tops of neighbouring windows.</summary>
        public int StrideHeight;

        /// <summary>Columns between the lefts of neighbouring windows.</summary>
        public int StrideWidth;

        /// <summary>Leading padding rows: output row oy's window starts at input row oy × StrideHeight - PadTop.</summary>
        public int PadTop;

        /// <summary>Leading padding columns: output column ox's window starts at input column ox × StrideWidth - PadLeft.</summary>
        public int PadLeft;

        /// <summary>Fused activation: lowest output value.</summary>
        public int ActivationMin;

        /// <summary>Fused activation: highest output value.</summary>
        public int ActivationMax;

        /// <summary>
        /// True when every output's window, clipped to the input, keeps at least one element. An
        /// average over an empty window would divide by zero (TFLite rejects such a layer too), so a
        /// loader checks this before it accepts the parameters.
        /// </summary>
        public bool EveryWindowOverlapsInput()
        {
            return WindowsOverlap(OutputHeight, StrideHeight, PadTop, FilterHeight, InputHeight)
                && WindowsOverlap(OutputWidth, StrideWidth, PadLeft, FilterWidth, InputWidth);
        }

        private static bool WindowsOverlap(int outputs, int stride, int pad, int filter, int inputs)
        {
            // The first window must reach past the padding, the last must start inside the input.
            return outputs > 0 && filter > pad && (outputs - 1) * stride - pad < inputs;
        }
    }
}
