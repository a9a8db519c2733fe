namespace QuantEdge.Runtime.Interpreter
{
    /// <summary>
    /// One step of a loaded model: a kernel bound to its parameters and to the arena offsets of its
    /// tensors. Built once by the loader; <see cref="Invoke"/> is the only thing that runs per inference.
    /// </summary>
    public abstract class Op
    {
        /// <summary>The blob opcode (BlobFormat.Op*).</summary>
        public readonly int OpCode;

        /// <summary>Indices of the tensors the op reads.</summary>
        public readonly int[] Inputs;

        /// <summary>Index of the tensor the op writes.</summary>
        public readonly int Output;

        /// <summary>Multiply-accumulates per inference (0 for ops that do none).</summary>
        public long Macs;

        /// <summary>Bytes of weights the op holds in RAM, in its layout.</summary>
        public int WeightBytes;

        /// <summary>The weight layout (FullyConnected and Conv2D; Int8Rows elsewhere).</summary>
        public Kernels.WeightLayout Layout;

        internal Op(int opCode, int[] inputs, int output)
        {
            OpCode = opCode;
            Inputs = inputs;
            Output = output;
        }

        internal abstract void Invoke(sbyte[] arena);
    }

    /// <summary>
    /// An op whose result is an int32 accumulator per output before requantization (fully connected
    /// and convolution layers): <see cref="Model.InvokeAccumulators"/> reads the last op's this way.
    /// </summary>
    internal interface IAccumulatingOp
    {
        /// <summary>Number of accumulators: the output tensor's element count.</summary>
        int AccumulatorCount { get; }

        /// <summary>Computes the accumulators from the input in <paramref name="arena"/> into <paramref name="accumulators"/>.</summary>
        void Accumulate(sbyte[] arena, int[] accumulators);
    }
}
