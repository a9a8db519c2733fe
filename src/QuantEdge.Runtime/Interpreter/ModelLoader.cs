using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Interpreter
{
    /// <summary>
    /// Validates a blob against docs/blob-format.md, section by section, and builds the ops. Nothing
    /// is allocated before the sizes that bound it are checked: the arena is at most the declared
    /// (and verified) peak, weights at most four times their bytes in the blob. One implementation serves
    /// a blob in memory and one read from a <see cref="BlobSource"/>; <see cref="BlobBytes"/> is the
    /// only part that differs. With <c>allowNative</c>, the ops run the native kernels when the firmware has
    /// them (<see cref="Native.NativeKernels.Probe"/>, asked once per load).
    /// </summary>
    internal static class ModelLoader
    {
        public static Model Load(byte[] blob, bool allowNative)
        {
            if (blob == null || blob.Length < BlobFormat.HeaderLength)
            {
                throw new ModelFormatException(ModelError.Truncated, "shorter than the 64-byte header");
            }

            return Load(new BlobBytes(blob), allowNative);
        }

        /// <summary>Loads from <paramref name="source"/>, asking it for at most <paramref name="chunkBytes"/> (a positive multiple of 4) at once.</summary>
        public static Model Load(BlobSource source, int chunkBytes, bool allowNative)
        {
            if (source == null)
            {
                throw new System.ArgumentNullException("source");
            }

            if (chunkBytes < 4 || (chunkBytes & 3) != 0)
            {
                throw new System.ArgumentOutOfRangeException("chunkBytes");
            }

            int length = source.Length;
            if (length < BlobFormat.HeaderLength)
            {
                throw new ModelFormatException(ModelError.Truncated, "shorter than the 64-byte header");
            }

            return Load(new BlobBytes(source, length, chunkBytes), allowNative);
        }

        private static Model Load(BlobBytes blob, bool allowNative)
        {
            SectionReader header = new SectionReader(blob.ReadHeader(), 0, BlobFormat.HeaderLength, ModelError.BadHeader, "header");
            if (header.ReadInt32() != BlobFormat.Magic)
            {
                throw new ModelFormatException(ModelError.BadMagic, "not a QuantEdge model (expected \"QEM1\")");
            }

            int major = header.ReadUInt16();
            int minor = header.ReadUInt16();
            if (major != BlobFormat.VersionMajor)
            {
                throw new ModelFormatException(ModelError.UnsupportedVersion,
                    "format version " + major.ToString() + "." + minor.ToString() + ", this runtime reads version "
                    + BlobFormat.VersionMajor.ToString() + " only: compile the model again with a quantedge of the same release");
            }

            int length = header.ReadInt32();
            if (length > blob.Length || length < 0)
            {
                throw new ModelFormatException(ModelError.Truncated,
                    "header says " + length.ToString() + " bytes, the blob has " + blob.Length.ToString());
            }

            if (length != blob.Length)
            {
                throw new ModelFormatException(ModelError.BadHeader,
                    "header says " + length.ToString() + " bytes, the blob has " + blob.Length.ToString());
            }

            blob.VerifyChecksum((uint)header.ReadInt32());
            CheckHeader(header.ReadInt32() == BlobFormat.HeaderLength, "header length");
            int tensorCount = header.ReadInt32();
            int opCount = header.ReadInt32();
            int arenaBytes = header.ReadInt32();
            int inputIndex = header.ReadInt32();
            int outputIndex = header.ReadInt32();
            int tensorTable = header.ReadInt32();
            int opTable = header.ReadInt32();
            int inputQuant = header.ReadInt32();
            int metadata = header.ReadInt32();
            int golden = header.ReadInt32();
            int data = header.ReadInt32();

            if (tensorCount < 1 || tensorCount > BlobFormat.MaxTensors || opCount < 1 || opCount > BlobFormat.MaxOps)
            {
                throw new ModelFormatException(ModelError.TooLarge, "tensor or op count out of range");
            }

            if (arenaBytes < 1 || arenaBytes > BlobFormat.MaxArenaBytes)
            {
                throw new ModelFormatException(ModelError.TooLarge, "arena of " + arenaBytes.ToString() + " bytes");
            }

            CheckHeader(inputIndex >= 0 && inputIndex < tensorCount && outputIndex >= 0 && outputIndex < tensorCount && inputIndex != outputIndex,
                "input/output tensor index");
            CheckHeader(tensorTable == BlobFormat.HeaderLength && opTable == tensorTable + tensorCount * BlobFormat.TensorEntryLength,
                "tensor/op table offsets");
            CheckHeader(InOrder(opTable, inputQuant) && InOrder(inputQuant, metadata) && InOrder(metadata, golden)
                && InOrder(golden, data) && InOrder(data, length), "section offsets");

            byte[] head = blob.ReadHead(data);
            TensorInfo[] tensors = ReadTensors(head, tensorTable, tensorCount, arenaBytes);
            InputRules rules = ReadInputQuantization(new SectionReader(head, inputQuant, metadata, ModelError.BadMetadata, "input quantization"),
                tensors[inputIndex]);
            KernelPath kernels = allowNative ? Native.NativeKernels.Probe() : KernelPath.Managed;
            LoadContext context = new LoadContext(blob, tensors, inputIndex, rules, data, length, kernels);
            Op[] ops = ReadOps(new SectionReader(head, opTable, inputQuant, ModelError.BadOp, "op table"), opCount, context);
            if (!context.IsWritten(outputIndex))
            {
                throw new ModelFormatException(ModelError.BadOpParameters, "no op writes the model output");
            }

            TensorInfo input = tensors[inputIndex];
            TensorInfo output = tensors[outputIndex];
            Model model = new Model(tensors, ops, input, output, rules, arenaBytes, kernels);
            if (context.StreamBuffer != null)
            {
                model.SetStreaming(context.StreamBuffer, blob.WeightSource());
            }

            ReadMetadata(new SectionReader(head, metadata, golden, ModelError.BadMetadata, "metadata"), model, minor);
            ReadGolden(new SectionReader(head, golden, data, ModelError.BadGoldenVector, "golden vector"), model);
            return model;
        }

        private static bool InOrder(int start, int end)
        {
            return start >= 0 && (start & 3) == 0 && end >= start;
        }

        private static void CheckHeader(bool ok, string what)
        {
            if (!ok)
            {
                throw new ModelFormatException(ModelError.BadHeader, what);
            }
        }

        private static TensorInfo[] ReadTensors(byte[] head, int start, int count, int arenaBytes)
        {
            SectionReader r = new SectionReader(head, start, start + count * BlobFormat.TensorEntryLength, ModelError.BadTensor, "tensor table");
            TensorInfo[] tensors = new TensorInfo[count];
            int peak = 0;
            for (int t = 0; t < count; t++)
            {
                int n = r.ReadInt32(), h = r.ReadInt32(), w = r.ReadInt32(), c = r.ReadInt32();
                int offset = r.ReadInt32();
                int scaleBits = r.ReadInt32();
                int zeroPoint = r.ReadInt32();
                if (!IsDim(n) || !IsDim(h) || !IsDim(w) || !IsDim(c))
                {
                    r.Fail("tensor " + t.ToString() + " has a dim outside 1.." + BlobFormat.MaxDim.ToString());
                }

                long elements = (long)n * h * w * c;
                if (elements > BlobFormat.MaxTensorElements)
                {
                    throw new ModelFormatException(ModelError.TooLarge, "tensor " + t.ToString() + " has " + elements.ToString() + " elements");
                }

                if (offset < 0 || offset > arenaBytes - elements)
                {
                    r.Fail("tensor " + t.ToString() + " lies outside the arena");
                }

                if (zeroPoint < -128 || zeroPoint > 127)
                {
                    r.Fail("tensor " + t.ToString() + " zero point out of range");
                }

                tensors[t] = new TensorInfo(n, h, w, c, offset, scaleBits, zeroPoint);
                if (offset + (int)elements > peak)
                {
                    peak = offset + (int)elements;
                }
            }

            if (peak != arenaBytes)
            {
                r.Fail("the arena size is not the peak of its tensors");
            }

            return tensors;
        }

        private static bool IsDim(int value)
        {
            return value >= 1 && value <= BlobFormat.MaxDim;
        }

        private static Op[] ReadOps(SectionReader r, int count, LoadContext context)
        {
            Op[] ops = new Op[count];
            for (int i = 0; i < count; i++)
            {
                int opCode = r.ReadUInt16();
                int layout = r.ReadByte();
                int flags = r.ReadByte();
                int wordCount = r.ReadInt32();
                bool scaleGrid = (flags & BlobFormat.FlagChannelScaleGrid) != 0;
                context.BeginOp(i, opCode, scaleGrid);
                if (layout > (int)WeightLayout.StreamedByRow)
                {
                    r.Fail("op " + i.ToString() + " has an unknown weight layout " + layout.ToString() + " (a newer format: this runtime knows layouts 0 to "
                        + ((int)WeightLayout.StreamedByRow).ToString() + ")");
                }

                if ((layout == (int)WeightLayout.Streamed || layout == (int)WeightLayout.StreamedByRow) && opCode != BlobFormat.OpFullyConnected)
                {
                    r.Fail("op " + i.ToString() + " has streamed weights; only fully connected layers stream theirs");
                }

                if ((flags & ~BlobFormat.FlagChannelScaleGrid) != 0
                    || (scaleGrid && opCode != BlobFormat.OpFullyConnected && opCode != BlobFormat.OpConv2D && opCode != BlobFormat.OpDepthwiseConv2D))
                {
                    r.Fail("op " + i.ToString() + " has unknown flags");
                }

                int expected = OpDecoder.WordCount(opCode, wordCount);
                if (expected < 0)
                {
                    r.Fail("op " + i.ToString() + " has unknown opcode " + opCode.ToString());
                }

                if (wordCount != expected)
                {
                    r.Fail("op " + i.ToString() + " has " + wordCount.ToString() + " words, its opcode takes " + expected.ToString());
                }

                int[] words = new int[wordCount];
                for (int k = 0; k < wordCount; k++)
                {
                    words[k] = r.ReadInt32();
                }

                if (layout != (int)WeightLayout.Int8Rows && opCode != BlobFormat.OpFullyConnected && opCode != BlobFormat.OpConv2D)
                {
                    r.Fail("op " + i.ToString() + " has no weights to lay out");
                }

                ops[i] = OpDecoder.Decode(context, opCode, words, (WeightLayout)layout);
            }

            r.ExpectEnd();
            return ops;
        }

        private static InputRules ReadInputQuantization(SectionReader r, TensorInfo input)
        {
            // Element i of the NHWC input takes rule i mod count: one rule for all, one per channel (C, innermost),
            // or one per feature (H·W·C).
            int count = r.ReadInt32();
            int channels = input.C;
            int features = input.ElementsPerBatch;
            if (count != 1 && count != channels && count != features)
            {
                r.Fail("rule count " + count.ToString() + " is neither 1, the input's " + channels.ToString() + " channels nor its "
                    + features.ToString() + " features");
            }

            InputRules rules = new InputRules(count);
            for (int i = 0; i < count; i++)
            {
                rules.RawOffset[i] = r.ReadInt32();
                rules.Multiplier[i] = r.ReadInt32();
                rules.Shift[i] = (sbyte)r.ReadByte();
                rules.ZeroPoint[i] = (sbyte)r.ReadByte();
                rules.UnitExponent[i] = (sbyte)r.ReadByte();
                if (r.ReadByte() != 0 || rules.UnitExponent[i] < -30 || rules.UnitExponent[i] > 30 || rules.Multiplier[i] < 0
                    || rules.Shift[i] < -31 || rules.Shift[i] > 30)
                {
                    r.Fail("rule " + i.ToString() + " out of range");
                }
            }

            r.ExpectEnd();
            return rules;
        }

        private static void ReadMetadata(SectionReader r, Model model, int minor)
        {
            string name = ReadString(r);
            string[] featureNames = ReadStrings(r, model.InputTensor.ElementsPerBatch);
            string[] outputNames = ReadStrings(r, model.OutputTensor.ElementsPerBatch);
            int value = r.ReadInt32();
            if (value < (int)ModelTask.Classification || value > (int)ModelTask.Anomaly)
            {
                r.Fail("unknown task " + value.ToString());
            }

            ModelTask task = (ModelTask)value;

            // A newer minor version may append fields this runtime does not know.
            if (minor <= BlobFormat.VersionMinor)
            {
                r.ExpectEnd();
            }

            model.SetMetadata(name, featureNames, outputNames, task);
        }

        private static string[] ReadStrings(SectionReader r, int allowedCount)
        {
            int count = r.ReadInt32();
            if (count != 0 && count != allowedCount)
            {
                r.Fail("name count " + count.ToString() + " is neither 0 nor " + allowedCount.ToString());
            }

            string[] values = new string[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = ReadString(r);
            }

            return values;
        }

        private static string ReadString(SectionReader r)
        {
            int length = r.ReadInt32();
            if (length < 0 || length > BlobFormat.MaxStringBytes)
            {
                r.Fail("string length " + length.ToString());
            }

            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                int b = r.ReadByte();
                if (b == 0 || b > 127)
                {
                    r.Fail("string is not 7-bit ASCII");
                }

                chars[i] = (char)b;
            }

            r.AlignTo4();
            return new string(chars);
        }

        private static void ReadGolden(SectionReader r, Model model)
        {
            int flags = r.ReadInt32();
            if ((flags & ~BlobFormat.GoldenHasRawInput) != 0)
            {
                r.Fail("unknown flags");
            }

            int inputs = model.InputTensor.Elements;
            if ((flags & BlobFormat.GoldenHasRawInput) != 0)
            {
                // Raw values as narrow as they fit (little-endian, sign-extended), then the CRC-32 of the int8 input
                // they must quantize to: the same proof as the int8 input itself, in 4 bytes.
                int width = r.ReadInt32();
                if (width != 1 && width != 2 && width != 4)
                {
                    r.Fail("raw value width " + width.ToString());
                }

                if (r.Remaining / width < inputs)
                {
                    r.Fail("raw input runs past its end");
                }

                byte[] raw = new byte[inputs * width];
                for (int i = 0; i < raw.Length; i++)
                {
                    raw[i] = (byte)r.ReadByte();
                }

                r.AlignTo4();
                uint inputCrc = (uint)r.ReadInt32();
                model.SetGoldenRaw(raw, width, inputCrc);
            }
            else
            {
                model.SetGoldenInput(ReadInt8s(r, inputs));
            }

            model.SetGoldenOutput(ReadInt8s(r, model.OutputTensor.Elements));
            r.ExpectEnd();
        }

        private static sbyte[] ReadInt8s(SectionReader r, int count)
        {
            if (r.Remaining < count)
            {
                r.Fail("runs past its end");
            }

            sbyte[] values = new sbyte[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = (sbyte)r.ReadByte();
            }

            r.AlignTo4();
            return values;
        }
    }
}
