using System.Text;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Format;

namespace QuantEdge.Compiler.Blob;

/// <summary>One input and the exact output the device must produce for it.</summary>
public sealed record GoldenVector(int[]? RawInput, sbyte[] Input, sbyte[] Output);

/// <summary>Writes a <see cref="DeviceModel"/> as a blob (docs/blob-format.md).</summary>
public static class BlobWriter
{
    /// <summary>
    /// Writes the model with a golden vector computed by the device runtime itself: the input is
    /// quantized from <paramref name="rawInput"/> (when given) or taken from <paramref name="input"/>,
    /// and the expected output is what <see cref="Model.Invoke"/> produces for it.
    /// </summary>
    public static byte[] WriteWithGolden(DeviceModel model, int[]? rawInput = null, sbyte[]? input = null)
    {
        int inputs = model.Tensors[model.Input].Elements;
        int outputs = model.Tensors[model.Output].Elements;
        var placeholder = new GoldenVector(rawInput, input ?? new sbyte[inputs], new sbyte[outputs]);
        Model device = Model.Load(Write(model, placeholder));
        if (rawInput != null)
        {
            device.SetRawInputs(rawInput);
        }
        else
        {
            device.SetInputs(placeholder.Input);
        }

        // Read the quantized input back before Invoke reuses its bytes.
        sbyte[] quantized = new sbyte[inputs];
        for (int i = 0; i < inputs; i++)
        {
            quantized[i] = device.GetInput(i);
        }

        device.Invoke();
        sbyte[] expected = new sbyte[outputs];
        device.GetOutputs(expected);
        return Write(model, new GoldenVector(rawInput, quantized, expected));
    }

    /// <summary>
    /// Writes the model with the given golden vector. <paramref name="shareArena"/> false gives every
    /// tensor its own arena bytes (a larger arena; for reading every layer's output on the host).
    /// </summary>
    public static byte[] Write(DeviceModel model, GoldenVector golden, bool shareArena = true)
    {
        ArenaPlan plan = ArenaPlanner.Plan(model, shareArena);
        var data = new DataSection();
        byte[] tensors = Section(w =>
        {
            for (int t = 0; t < model.Tensors.Count; t++)
            {
                DeviceTensor tensor = model.Tensors[t];
                foreach (int dim in tensor.Dims)
                {
                    w.Write(dim);
                }

                w.Write(plan.Offsets[t]);
                w.Write(BitConverter.SingleToInt32Bits(tensor.Scale));
                w.Write(tensor.ZeroPoint);
            }
        });
        byte[] ops = Section(w =>
        {
            foreach (DeviceOp op in model.Ops)
            {
                List<int> words = OpRecordWriter.Words(op, data);
                w.Write(checked((ushort)op.OpCode));
                w.Write((byte)op.Layout);
                w.Write((byte)op.Flags);
                w.Write(words.Count);
                foreach (int word in words)
                {
                    w.Write(word);
                }
            }
        });
        byte[] inputQuant = Section(w =>
        {
            IReadOnlyList<InputRule> rules = CompactRules(model);
            w.Write(rules.Count);
            foreach (InputRule rule in rules)
            {
                w.Write(rule.RawOffset);
                w.Write(rule.Multiplier);
                w.Write(checked((sbyte)rule.Shift));
                w.Write(checked((sbyte)rule.ZeroPoint));
                w.Write(checked((sbyte)rule.UnitExponent));
                w.Write((byte)0);
            }
        });
        byte[] metadata = Section(w =>
        {
            WriteString(w, model.Name);
            WriteStrings(w, model.FeatureNames);
            WriteStrings(w, model.OutputNames);
            w.Write((int)model.Task);
        });
        byte[] goldenBytes = Section(w =>
        {
            if (golden.RawInput != null)
            {
                // The raw values as narrow as they fit, and the CRC-32 of the int8 input they quantize to: the
                // device quantizes them itself, so the input's bytes need only be recognised, not stored.
                byte[] raw = NarrowInt32s.Encode(golden.RawInput);
                w.Write(BlobFormat.GoldenHasRawInput);
                w.Write(raw.Length / golden.RawInput.Length);
                w.Write(raw);
                WritePadding(w, raw.Length);
                byte[] input = golden.Input.Select(v => unchecked((byte)v)).ToArray();
                w.Write(Crc32.Compute(input, 0, input.Length));
            }
            else
            {
                w.Write(0);
                WritePadded(w, golden.Input);
            }

            WritePadded(w, golden.Output);
        });
        byte[] dataBytes = data.ToArray();

        int tensorAt = BlobFormat.HeaderLength;
        int opAt = tensorAt + tensors.Length;
        int inputQuantAt = opAt + ops.Length;
        int metadataAt = inputQuantAt + inputQuant.Length;
        int goldenAt = metadataAt + metadata.Length;
        int dataAt = goldenAt + goldenBytes.Length;
        int length = dataAt + dataBytes.Length;

        var blob = new byte[length];
        using (var w = new BinaryWriter(new MemoryStream(blob)))
        {
            w.Write(BlobFormat.Magic);
            w.Write((ushort)BlobFormat.VersionMajor);
            w.Write((ushort)BlobFormat.VersionMinor);
            w.Write(length);
            w.Write(0); // CRC, filled in below
            w.Write(BlobFormat.HeaderLength);
            w.Write(model.Tensors.Count);
            w.Write(model.Ops.Count);
            w.Write(plan.ArenaBytes);
            w.Write(model.Input);
            w.Write(model.Output);
            foreach (int offset in new[] { tensorAt, opAt, inputQuantAt, metadataAt, goldenAt, dataAt })
            {
                w.Write(offset);
            }

            foreach (byte[] section in new[] { tensors, ops, inputQuant, metadata, goldenBytes, dataBytes })
            {
                w.Write(section);
            }
        }

        uint crc = Crc32.Compute(blob, BlobFormat.CrcStart, length - BlobFormat.CrcStart);
        BitConverter.TryWriteBytes(blob.AsSpan(BlobFormat.CrcAt), crc);
        return blob;
    }

    /// <summary>
    /// The input rules as the blob stores them: one when every element shares it (an image, any per-tensor
    /// quantization), one per channel when elements repeat their channel's rule, else one per feature.
    /// </summary>
    internal static IReadOnlyList<InputRule> CompactRules(DeviceModel model)
    {
        List<InputRule> rules = model.InputRules;
        int channels = model.Tensors[model.Input].Dims[3];
        foreach (int count in new[] { 1, channels })
        {
            if (rules.Count % count == 0 && rules.Select((rule, i) => rule == rules[i % count]).All(same => same))
            {
                return rules.Take(count).ToList();
            }
        }

        return rules;
    }

    private static byte[] Section(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true))
        {
            write(w);
        }

        while (stream.Length % 4 != 0)
        {
            stream.WriteByte(0);
        }

        return stream.ToArray();
    }

    private static void WritePadded(BinaryWriter w, sbyte[] values)
    {
        foreach (sbyte v in values)
        {
            w.Write(v);
        }

        WritePadding(w, values.Length);
    }

    /// <summary>Zero bytes after <paramref name="written"/> bytes up to the next multiple of 4.</summary>
    private static void WritePadding(BinaryWriter w, int written)
    {
        for (int i = written; i % 4 != 0; i++)
        {
            w.Write((byte)0);
        }
    }

    private static void WriteStrings(BinaryWriter w, string[] values)
    {
        w.Write(values.Length);
        foreach (string value in values)
        {
            WriteString(w, value);
        }
    }

    private static void WriteString(BinaryWriter w, string value)
    {
        if (value.Length > BlobFormat.MaxStringBytes || value.Any(c => c is '\0' or > '\x7f'))
        {
            throw new ArgumentException($"'{value}': names in a blob are 7-bit ASCII, at most {BlobFormat.MaxStringBytes} characters");
        }

        w.Write(value.Length);
        w.Write(Encoding.ASCII.GetBytes(value));
        WritePadding(w, value.Length);
    }
}
