using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Interpreter;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime
{
    /// <summary>
    /// A loaded int8 model, ready to run. <see cref="Load(byte[])"/> validates the blob and allocates
    /// everything once (arena, weights in their layouts); <see cref="Invoke"/> then allocates nothing.
    /// <code>
    /// Model model = Model.Load(blob);          // throws ModelFormatException on a bad blob
    /// if (!model.SelfTest()) { /* the golden vector did not match: do not trust this device */ }
    /// model.SetRawInput(0, adcCount);          // raw integer features, quantized on the device
    /// model.Invoke();
    /// int predicted = model.ArgMax();
    /// </code>
    /// Set the inputs before every <see cref="Invoke"/>: the arena bytes of the input are reused by
    /// later tensors during inference.
    /// </summary>
    public sealed class Model
    {
        private readonly TensorInfo[] tensors;
        private readonly Op[] ops;
        private readonly sbyte[] arena;
        private readonly int inputOffset;
        private readonly int inputLength;
        private readonly int outputOffset;
        private readonly int outputLength;
        private readonly InputRules rules;
        private string name;
        private string[] featureNames;
        private string[] outputNames;
        private ModelTask task;
        private byte[] goldenRaw;
        private int goldenRawWidth;
        private uint goldenInputCrc;
        private sbyte[] goldenInput;
        private sbyte[] goldenOutput;
        private StreamBuffer streamBuffer;
        private BlobSource weightSource;

        internal Model(TensorInfo[] tensors, Op[] ops, TensorInfo input, TensorInfo output, InputRules rules, int arenaBytes, KernelPath kernels)
        {
            Kernels = kernels;
            this.tensors = tensors;
            this.ops = ops;
            this.rules = rules;
            InputTensor = input;
            OutputTensor = output;
            arena = new sbyte[arenaBytes];
            inputOffset = input.ArenaOffset;
            inputLength = input.Elements;
            outputOffset = output.ArenaOffset;
            outputLength = output.Elements;
        }

        /// <summary>
        /// Validates a blob (docs/blob-format.md) and builds the model; the blob may be dropped afterwards, unless a
        /// layer streams its weights (<see cref="WeightSource"/>: the model then reads them from the blob). The
        /// model runs the native kernels when the firmware has them (built with QuantEdge.Runtime.Interop), else
        /// the managed ones: the same bytes out either way; <see cref="Kernels"/> says which.
        /// </summary>
        /// <exception cref="ModelFormatException">The blob breaks a rule of the format; <c>Reason</c> says which.</exception>
        public static Model Load(byte[] blob)
        {
            return ModelLoader.Load(blob, true);
        }

        /// <summary>
        /// As <see cref="Load(byte[])"/>; with <paramref name="allowNativeKernels"/> false the model runs the managed
        /// kernels even on a firmware with native ones (to compare the two, or to measure the managed path).
        /// </summary>
        public static Model Load(byte[] blob, bool allowNativeKernels)
        {
            return ModelLoader.Load(blob, allowNativeKernels);
        }

        /// <summary>
        /// Validates a blob read in pieces from <paramref name="source"/> (a file, a resource) and builds the
        /// model, holding at most the blob's sections before its data section, one buffer of
        /// <see cref="BlobSource.ChunkBytes"/>, a 4-byte CRC register per chunk of data and the model itself:
        /// never the whole blob. The source is read twice (a checksum pass, then the load); a blob that
        /// changes in between is rejected. Exceptions the source throws pass through unchanged.
        /// </summary>
        /// <exception cref="ModelFormatException">The blob breaks a rule of the format, ends before the length
        /// the source gave, or changed between the passes; <c>Reason</c> says which.</exception>
        /// <exception cref="System.InvalidOperationException">The source's Read returned a negative count or
        /// more bytes than asked.</exception>
        public static Model Load(BlobSource source)
        {
            return ModelLoader.Load(source, BlobSource.ChunkBytes, true);
        }

        /// <summary>As <see cref="Load(BlobSource)"/>, the managed kernels only unless <paramref name="allowNativeKernels"/>.</summary>
        public static Model Load(BlobSource source, bool allowNativeKernels)
        {
            return ModelLoader.Load(source, BlobSource.ChunkBytes, allowNativeKernels);
        }

        /// <summary>
        /// Which kernels this model runs: <see cref="KernelPath.Native"/> on a firmware built with
        /// QuantEdge.Runtime.Interop (docs/native-kernels.md), <see cref="KernelPath.Managed"/> on a stock firmware
        /// and in desktop .NET. Decided once, by <see cref="Load(byte[])"/>.
        /// </summary>
        public KernelPath Kernels { get; }

        /// <summary>The model's name from its metadata (may be empty).</summary>
        public string Name
        {
            get { return name; }
        }

        /// <summary>What the outputs mean: class scores, real values, or an anomaly score.</summary>
        public ModelTask Task
        {
            get { return task; }
        }

        /// <summary>The input tensor (its dims, arena offset and quantization).</summary>
        public TensorInfo InputTensor { get; }

        /// <summary>The output tensor.</summary>
        public TensorInfo OutputTensor { get; }

        /// <summary>Number of int8 input values.</summary>
        public int InputLength
        {
            get { return inputLength; }
        }

        /// <summary>Number of int8 output values.</summary>
        public int OutputLength
        {
            get { return outputLength; }
        }

        /// <summary>Bytes of the arena: the peak of simultaneously live activations.</summary>
        public int ArenaBytes
        {
            get { return arena.Length; }
        }

        /// <summary>Bytes of weights held in RAM, in each layer's layout.</summary>
        public int WeightBytes
        {
            get
            {
                int total = 0;
                for (int i = 0; i < ops.Length; i++)
                {
                    total += ops[i].WeightBytes;
                }

                return total;
            }
        }

        /// <summary>
        /// Bytes of the row buffer the streamed layers share (eight rows as long as the deepest of them, one row when
        /// every streamed layer is <see cref="WeightLayout.StreamedByRow"/>), 0 when no layer streams. Their weights are not in <see cref="WeightBytes"/>: they stay
        /// in <see cref="WeightSource"/>.
        /// </summary>
        public int StreamBufferBytes
        {
            get { return streamBuffer == null ? 0 : streamBuffer.StorageBytes; }
        }

        /// <summary>The streamed layers' shared row buffer (<see cref="StreamBufferBytes"/>), or null when no layer streams.</summary>
        public StreamBuffer StreamBuffer
        {
            get { return streamBuffer; }
        }

        /// <summary>
        /// Where the streamed layers read their weights during <see cref="Invoke"/>: the <see cref="BlobSource"/> the
        /// model was loaded from (keep it open, and its bytes unchanged, while the model runs), or the loaded blob
        /// itself wrapped as one (then keep that array unchanged). Null when no layer streams.
        /// </summary>
        public BlobSource WeightSource
        {
            get { return weightSource; }
        }

        /// <summary>Multiply-accumulates per inference.</summary>
        public long Macs
        {
            get
            {
                long total = 0;
                for (int i = 0; i < ops.Length; i++)
                {
                    total += ops[i].Macs;
                }

                return total;
            }
        }

        /// <summary>Number of ops (layers).</summary>
        public int OpCount
        {
            get { return ops.Length; }
        }

        /// <summary>Number of tensors.</summary>
        public int TensorCount
        {
            get { return tensors.Length; }
        }

        /// <summary>Op <paramref name="index"/>, in execution order.</summary>
        public Op GetOp(int index)
        {
            return ops[index];
        }

        /// <summary>Tensor <paramref name="index"/>.</summary>
        public TensorInfo GetTensor(int index)
        {
            return tensors[index];
        }

        /// <summary>Number of input quantization rules: 1 (one for all inputs), one per channel or one per feature.</summary>
        public int InputRuleCount
        {
            get { return rules.Multiplier.Length; }
        }

        /// <summary>
        /// Power of ten of the unit a raw value of input <paramref name="index"/> is counted in
        /// (−3: the raw value is in thousandths of the feature's real value).
        /// </summary>
        public int GetInputUnitExponent(int index)
        {
            return rules.UnitExponent[rules.Of(index)];
        }

        /// <summary>
        /// Raw value subtracted from input <paramref name="index"/> before it is scaled: the centre of a
        /// feature whose range lies away from zero (in the same units as the raw value), else 0.
        /// </summary>
        public int GetInputRawOffset(int index)
        {
            return rules.RawOffset[rules.Of(index)];
        }

        /// <summary>Zero point of input <paramref name="index"/>.</summary>
        public int GetInputZeroPoint(int index)
        {
            return rules.ZeroPoint[rules.Of(index)];
        }

        /// <summary>
        /// Name of feature <paramref name="index"/>, or null when the blob has none (names are optional: without them a
        /// feature is known by its index).
        /// </summary>
        public string GetFeatureName(int index)
        {
            return index >= 0 && index < featureNames.Length ? featureNames[index] : null;
        }

        /// <summary>
        /// Name of output <paramref name="index"/> (a classifier's class label, a regressor's value), or null
        /// when the blob has none.
        /// </summary>
        public string GetOutputName(int index)
        {
            return index >= 0 && index < outputNames.Length ? outputNames[index] : null;
        }

        /// <summary>Label of class <paramref name="index"/> of a classifier: <see cref="GetOutputName"/>.</summary>
        public string GetClassLabel(int index)
        {
            return GetOutputName(index);
        }

        /// <summary>Sets int8 input <paramref name="index"/>, already quantized.</summary>
        public void SetInput(int index, sbyte value)
        {
            arena[inputOffset + CheckIndex(index, inputLength)] = value;
        }

        /// <summary>Sets every int8 input, already quantized.</summary>
        public void SetInputs(sbyte[] values)
        {
            CheckLength(values.Length, inputLength);
            System.Array.Copy(values, 0, arena, inputOffset, inputLength);
        }

        /// <summary>
        /// Quantizes a raw integer feature value on the device, with integer math only:
        /// q = clamp(MultiplyByQuantizedMultiplier(raw − rawOffset, M, S) + zeroPoint, −128, 127), where
        /// M and S encode 10^unitExponent / scale for this feature.
        /// </summary>
        public void SetRawInput(int index, int raw)
        {
            arena[inputOffset + CheckIndex(index, inputLength)] = rules.Quantize(index, raw);
        }

        /// <summary>int8 input <paramref name="index"/> as set (valid until <see cref="Invoke"/> reuses its bytes).</summary>
        public sbyte GetInput(int index)
        {
            return arena[inputOffset + CheckIndex(index, inputLength)];
        }

        /// <summary>Quantizes and sets every input from raw integer values.</summary>
        public void SetRawInputs(int[] raw)
        {
            CheckLength(raw.Length, inputLength);
            for (int i = 0; i < inputLength; i++)
            {
                SetRawInput(i, raw[i]);
            }
        }

        /// <summary>
        /// Runs one inference. Allocates nothing, except what a <see cref="WeightSource"/> allocates to read
        /// the streamed layers' weights (a byte[] or a file: nothing).
        /// </summary>
        public void Invoke()
        {
            Op[] steps = ops;
            sbyte[] activations = arena;
            for (int i = 0; i < steps.Length; i++)
            {
                steps[i].Invoke(activations);
            }
        }

        /// <summary>
        /// Number of int32 accumulators <see cref="InvokeAccumulators"/> writes: the output's element
        /// count when the last op is a fully connected or convolution layer, otherwise 0.
        /// </summary>
        public int OutputAccumulatorCount
        {
            get
            {
                IAccumulatingOp last = ops[ops.Length - 1] as IAccumulatingOp;
                return last == null ? 0 : last.AccumulatorCount;
            }
        }

        /// <summary>
        /// Runs one inference, but the last op (a fully connected or convolution layer) leaves its
        /// int32 accumulators in <paramref name="destination"/> (bias included, before requantization,
        /// in the output's NHWC order) instead of its int8 outputs: the full-precision result of an
        /// integer matrix product or convolution (ONNX MatMulInteger and ConvInteger compute this).
        /// Allocates nothing; the output tensor's bytes are not written.
        /// </summary>
        public void InvokeAccumulators(int[] destination)
        {
            IAccumulatingOp last = ops[ops.Length - 1] as IAccumulatingOp;
            if (last == null)
            {
                throw new System.InvalidOperationException("the last op is not a fully connected or convolution layer");
            }

            CheckLength(destination.Length, last.AccumulatorCount);
            Op[] steps = ops;
            sbyte[] activations = arena;
            for (int i = 0; i < steps.Length - 1; i++)
            {
                steps[i].Invoke(activations);
            }

            last.Accumulate(activations, destination);
        }

        /// <summary>int8 output <paramref name="index"/> of the last inference.</summary>
        public sbyte GetOutput(int index)
        {
            return arena[outputOffset + CheckIndex(index, outputLength)];
        }

        /// <summary>
        /// Copies tensor <paramref name="index"/>'s current arena bytes into <paramref name="destination"/>.
        /// After <see cref="Invoke"/> only tensors whose bytes no later tensor reused still hold their
        /// values; a blob planned without reuse (the host's debugging plan) keeps them all.
        /// </summary>
        public void ReadTensor(int index, sbyte[] destination)
        {
            TensorInfo tensor = tensors[CheckIndex(index, tensors.Length)];
            CheckLength(destination.Length, tensor.Elements);
            System.Array.Copy(arena, tensor.ArenaOffset, destination, 0, tensor.Elements);
        }

        /// <summary>Copies the int8 outputs of the last inference into <paramref name="destination"/>.</summary>
        public void GetOutputs(sbyte[] destination)
        {
            CheckLength(destination.Length, outputLength);
            System.Array.Copy(arena, outputOffset, destination, 0, outputLength);
        }

        /// <summary>
        /// The index of the largest output of the first batch (the predicted class; the lowest index
        /// wins a tie). Comparing int8 values is exact because one scale covers the whole output.
        /// </summary>
        public int ArgMax()
        {
            int classes = OutputTensor.ElementsPerBatch;
            int best = 0;
            for (int i = 1; i < classes; i++)
            {
                if (arena[outputOffset + i] > arena[outputOffset + best])
                {
                    best = i;
                }
            }

            return best;
        }

        /// <summary>
        /// Runs the golden vector stored in the blob and says whether the output matches it to the bit
        /// (and, when the blob stores raw input values, whether they quantize to the int8 input whose CRC-32
        /// it stores). Overwrites the inputs.
        /// </summary>
        public bool SelfTest()
        {
            if (goldenRaw != null)
            {
                byte[] quantized = new byte[inputLength];
                for (int i = 0; i < inputLength; i++)
                {
                    SetRawInput(i, GoldenRawValue(i));
                    quantized[i] = (byte)arena[inputOffset + i];
                }

                if (Crc32.Compute(quantized, 0, inputLength) != goldenInputCrc)
                {
                    return false;
                }
            }
            else
            {
                SetInputs(goldenInput);
            }

            Invoke();
            for (int i = 0; i < outputLength; i++)
            {
                if (arena[outputOffset + i] != goldenOutput[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// The golden input (int8): stored in the blob, or, when the blob stores raw values, what this device
        /// quantizes them to (<see cref="SelfTest"/> checks that against the stored CRC).
        /// </summary>
        public sbyte[] GetGoldenInput()
        {
            if (goldenRaw == null)
            {
                return (sbyte[])goldenInput.Clone();
            }

            sbyte[] input = new sbyte[inputLength];
            for (int i = 0; i < inputLength; i++)
            {
                input[i] = rules.Quantize(i, GoldenRawValue(i));
            }

            return input;
        }

        /// <summary>The golden raw input, or null when the blob stores none.</summary>
        public int[] GetGoldenRawInput()
        {
            if (goldenRaw == null)
            {
                return null;
            }

            int[] raw = new int[inputLength];
            for (int i = 0; i < inputLength; i++)
            {
                raw[i] = GoldenRawValue(i);
            }

            return raw;
        }

        /// <summary>The golden output (int8) stored in the blob.</summary>
        public sbyte[] GetGoldenOutput()
        {
            return (sbyte[])goldenOutput.Clone();
        }

        internal void SetMetadata(string modelName, string[] features, string[] outputs, ModelTask modelTask)
        {
            name = modelName;
            featureNames = features;
            outputNames = outputs;
            task = modelTask;
        }

        internal void SetStreaming(StreamBuffer buffer, BlobSource source)
        {
            streamBuffer = buffer;
            weightSource = source;
        }

        /// <summary>Raw golden values, <paramref name="width"/> bytes each (little-endian, sign-extended), and the CRC-32 of their int8 input.</summary>
        internal void SetGoldenRaw(byte[] raw, int width, uint inputCrc)
        {
            goldenRaw = raw;
            goldenRawWidth = width;
            goldenInputCrc = inputCrc;
        }

        internal void SetGoldenInput(sbyte[] input)
        {
            goldenInput = input;
        }

        internal void SetGoldenOutput(sbyte[] output)
        {
            goldenOutput = output;
        }

        /// <summary>Golden raw value <paramref name="index"/>, decoded from its narrow bytes.</summary>
        private int GoldenRawValue(int index)
        {
            return SectionReader.NarrowAt(goldenRaw, index * goldenRawWidth, goldenRawWidth);
        }

        private static int CheckIndex(int index, int length)
        {
            if (index < 0 || index >= length)
            {
                throw new System.ArgumentOutOfRangeException("index");
            }

            return index;
        }

        private static void CheckLength(int actual, int expected)
        {
            if (actual != expected)
            {
                throw new System.ArgumentException("expected " + expected.ToString() + " values");
            }
        }
    }
}
