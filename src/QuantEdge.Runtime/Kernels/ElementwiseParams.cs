namespace QuantEdge.Runtime.Kernels
{
    /// <summary>
    /// What Add and Mul share: two same-size int8 inputs and one output, their zero points, and the
    /// fused clamp. The rescaling each op needs lives in its own params.
    /// </summary>
    public abstract class ElementwiseParams
    {
        /// <summary>Elements in each input and in the output.</summary>
        public int Size;

        /// <summary>Zero point of the first input.</summary>
        public int Input1ZeroPoint;

        /// <summary>Zero point of the second input.</summary>
        public int Input2ZeroPoint;

        /// <summary>Zero point of the output.</summary>
        public int OutputZeroPoint;

        /// <summary>Fused activation: lowest output value.</summary>
        public int ActivationMin;

        /// <summary>Fused activation: highest output value.</summary>
        public int ActivationMax;
    }
}
