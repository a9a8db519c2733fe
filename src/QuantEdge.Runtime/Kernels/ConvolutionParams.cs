namespace QuantEdge.Runtime.Kernels
{
    /// <summary>
    /// What Conv2D and DepthwiseConv2D share: the geometry of the sliding window over NHWC activations
    /// and the output stage (bias, per-channel requantization, fused clamp), all precomputed on the host.
    /// </summary>
    public abstract class ConvolutionParams
    {
        /// <summary>Images processed one after the other.</summary>
        public int Batches;

        /// <summary>Input rows.</summary>
        public int InputHeight;

        /// <summary>Input columns.</summary>
        public int InputWidth;

        /// <summary>Input channels.</summary>
        public int InputDepth;

        /// <summary>Output rows.</summary>
        public int OutputHeight;

        /// <summary>Output columns.</summary>
        public int OutputWidth;

        /// <summary>Output channels.</summary>
        public int OutputDepth;

        /// <summary>Filter rows.</summary>
        public int FilterHeight;

        /// <summary>Filter columns.</summary>
        public int FilterWidth;

        /// <summary>Input rows between two output rows.</summary>
        public int StrideHeight;

        /// <summary>Input columns between two output columns.</summary>
        public int StrideWidth;

        /// <summary>Input rows between two filter rows (1 = dense).</summary>
        public int DilationHeight;

        /// <summary>Input columns between two filter columns (1 = dense).</summary>
        public int DilationWidth;

        /// <summary>
        /// Padding rows above the input. Padding below is implicit: taps outside the input are
        /// skipped, which equals padding with the input zero point.
        /// </summary>
        public int PadTop;

        /// <summary>Padding columns left of the input (padding on the right is implicit, as below).</summary>
        public int PadLeft;

        /// <summary>
        /// Zero point of the input, subtracted from each input as it is loaded. Not folded into the
        /// bias: at the borders some taps are skipped, so Σ w × zeroPoint would differ per position.
        /// </summary>
        public int InputZeroPoint;

        /// <summary>Per output channel: the raw int32 bias (zeros when the model has none; never null).</summary>
        public int[] Bias;

        /// <summary>Per output channel requantization: Q31 multiplier of inScale × wScale[o] / outScale.</summary>
        public int[] OutputMultiplier;

        /// <summary>Per output channel shift (positive = left).</summary>
        public int[] OutputShift;

        /// <summary>Zero point of the output tensor.</summary>
        public int OutputZeroPoint;

        /// <summary>Fused activation: lowest output value.</summary>
        public int ActivationMin;

        /// <summary>Fused activation: highest output value.</summary>
        public int ActivationMax;
    }
}
