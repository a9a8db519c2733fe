using QuantEdge.Runtime;
using System.Buffers.Binary;
using System.Text;
using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Blob;

/// <summary>A tensor table entry.</summary>
public sealed record BlobTensor(int Index, int[] Dims, int ArenaOffset, float Scale, int ZeroPoint);

/// <summary>A scalar word of an op record, named as docs/blob-format.md names it.</summary>
public sealed record OpParameter(string Name, int Value);

/// <summary>A data reference of an op record: bytes [Offset, Offset + Length) of the data section.</summary>
public sealed record OpData(string Name, int Offset, int Length);

/// <summary>An op record with its words named: tensor indices, scalar parameters and data references.</summary>
public sealed record BlobOp(
    int Index, int OpCode, string Name, WeightLayout Layout, int[] Inputs, int Output,
    IReadOnlyList<OpParameter> Parameters, IReadOnlyList<OpData> Data);

/// <summary>An input quantization rule.</summary>
public sealed record BlobInputRule(int UnitExponent, int RawOffset, int Multiplier, int Shift, int ZeroPoint)
{
    /// <summary>The feature's scale, which the blob does not store: 10^UnitExponent / (Multiplier / 2^31 × 2^Shift).</summary>
    public double Scale => Math.Pow(10, UnitExponent) / (Multiplier / 2147483648.0 * Math.Pow(2, Shift));
}

/// <summary>Where each section starts (docs/blob-format.md, header).</summary>
public sealed record BlobSections(int TensorTable, int OpTable, int InputQuantization, int Metadata, int Golden, int Data, int End);

/// <summary>Everything a blob says, read field by field.</summary>
public sealed record BlobContents(
    int VersionMajor, int VersionMinor, uint Crc32, int ArenaBytes, int InputTensor, int OutputTensor, BlobSections Sections,
    IReadOnlyList<BlobTensor> Tensors, IReadOnlyList<BlobOp> Ops, IReadOnlyList<BlobInputRule> InputRules,
    string ModelName, string[] FeatureNames, string[] OutputNames, ModelTask Task, int[]? GoldenRawInput, sbyte[]? GoldenInput, sbyte[] GoldenOutput)
{
    /// <summary>The CRC-32 of the int8 input the golden raw input quantizes to (stored instead of that input), or null.</summary>
    public uint? GoldenInputCrc { get; init; }
}

/// <summary>
/// Reads a blob's header, tensor table, op records, input quantization, metadata and golden vector
/// on the host, naming every word of every op record per docs/blob-format.md. It trusts the layout:
/// validate first with <c>Model.Load</c>, which rejects any blob this reader could misread.
/// </summary>
public static class BlobInspector
{
    /// <summary>The op's name as docs/blob-format.md spells it ("FullyConnected", ...); "op{n}" for an opcode the format lacks.</summary>
    public static string OpName(int opCode) => OpRecordFormats.Of(opCode)?.Name ?? $"op{opCode}";

    public static BlobContents Read(byte[] blob)
    {
        var header = new Reader(blob, 0);
        header.Skip(BlobFormat.VersionMajorAt);
        int major = header.UInt16();
        int minor = header.UInt16();
        header.Skip(4); // blob length
        uint crc = (uint)header.Int32();
        header.Skip(4); // header length
        int tensorCount = header.Int32();
        int opCount = header.Int32();
        int arenaBytes = header.Int32();
        int inputTensor = header.Int32();
        int outputTensor = header.Int32();
        var sections = new BlobSections(header.Int32(), header.Int32(), header.Int32(), header.Int32(), header.Int32(), header.Int32(), blob.Length);

        var r = new Reader(blob, sections.TensorTable);
        var tensors = new List<BlobTensor>();
        for (int t = 0; t < tensorCount; t++)
        {
            int[] dims = [r.Int32(), r.Int32(), r.Int32(), r.Int32()];
            tensors.Add(new BlobTensor(t, dims, r.Int32(), BitConverter.Int32BitsToSingle(r.Int32()), r.Int32()));
        }

        r = new Reader(blob, sections.OpTable);
        var ops = new List<BlobOp>();
        for (int i = 0; i < opCount; i++)
        {
            int opCode = r.UInt16();
            var layout = (WeightLayout)r.Byte();
            int flags = r.Byte();
            int[] words = Enumerable.Range(0, r.Int32()).Select(_ => r.Int32()).ToArray();
            ops.Add(NameWords(i, opCode, layout, flags, words));
        }

        r = new Reader(blob, sections.InputQuantization);
        int ruleCount = r.Int32();
        var rules = Enumerable.Range(0, ruleCount)
            .Select(_ =>
            {
                int rawOffset = r.Int32(), multiplier = r.Int32();
                int shift = (sbyte)r.Byte(), zeroPoint = (sbyte)r.Byte(), unit = (sbyte)r.Byte();
                r.Byte();
                return new BlobInputRule(unit, rawOffset, multiplier, shift, zeroPoint);
            })
            .ToList();

        r = new Reader(blob, sections.Metadata);
        string name = r.String();
        string[] features = Enumerable.Range(0, r.Int32()).Select(_ => r.String()).ToArray();
        string[] labels = Enumerable.Range(0, r.Int32()).Select(_ => r.String()).ToArray();
        var task = (ModelTask)r.Int32();

        r = new Reader(blob, sections.Golden);
        int inputElements = ElementCount(tensors[inputTensor]);
        int[]? raw = null;
        sbyte[]? goldenInput = null;
        uint? inputCrc = null;
        if ((r.Int32() & BlobFormat.GoldenHasRawInput) != 0)
        {
            int width = r.Int32();
            raw = NarrowInt32s.Decode(r.Bytes(inputElements * width), inputElements);
            inputCrc = (uint)r.Int32();
        }
        else
        {
            goldenInput = r.Int8s(inputElements);
        }

        sbyte[] goldenOutput = r.Int8s(ElementCount(tensors[outputTensor]));

        return new BlobContents(major, minor, crc, arenaBytes, inputTensor, outputTensor, sections, tensors, ops, rules,
            name, features, labels, task, raw, goldenInput, goldenOutput) { GoldenInputCrc = inputCrc };
    }

    private static int ElementCount(BlobTensor tensor) => tensor.Dims.Aggregate(1, (a, b) => a * b);

    /// <summary>
    /// Names an op record's words as its <see cref="OpRecordFormat"/> lays them out: tensors read and
    /// written, scalar parameters, data references. An unknown opcode's words are all listed as "word{i}".
    /// </summary>
    private static BlobOp NameWords(int index, int opCode, WeightLayout layout, int flags, int[] words)
    {
        var inputs = new List<int>();
        int output = -1;
        var parameters = new List<OpParameter>();
        var data = new List<OpData>();
        int w = 0;
        void Scalar(string name) => parameters.Add(new OpParameter(name, words[w++]));
        void Reference(string name)
        {
            data.Add(new OpData(name, words[w], words[w + 1]));
            w += 2;
        }

        foreach (RecordField field in OpRecordFormats.Of(opCode)?.Fields ?? [])
        {
            switch (field.Kind)
            {
                case RecordFieldKind.ReadTensor:
                    inputs.Add(words[w++]);
                    break;
                case RecordFieldKind.WrittenTensor:
                    output = words[w++];
                    break;
                case RecordFieldKind.ReadTensors:
                    int count = words[w];
                    Scalar("inputCount");
                    inputs.AddRange(words.Skip(w).Take(count));
                    w += count;
                    break;
                case RecordFieldKind.Word:
                    Scalar(field.Name);
                    break;
                case RecordFieldKind.OptionalWord when w < words.Length:
                    Scalar(field.Name);
                    break;
                case RecordFieldKind.OptionalWord:
                    break;
                case RecordFieldKind.Int8Data or RecordFieldKind.Int32Data:
                    Reference(field.Name);
                    break;
                case RecordFieldKind.Requantization when OpRecordFormats.HasScaleGrid(flags):
                    Scalar("baseMultiplier");
                    Scalar("baseShift");
                    Reference("scaleIndex");
                    break;
                case RecordFieldKind.Requantization:
                    Reference("multiplier");
                    Reference("shift");
                    break;
                case RecordFieldKind.Window:
                    Array.ForEach(OpRecordFormat.WindowWords, Scalar);
                    break;
                case RecordFieldKind.PoolWindow:
                    Array.ForEach(OpRecordFormat.PoolWindowWords, Scalar);
                    break;
            }
        }

        for (; w < words.Length; w++)
        {
            parameters.Add(new OpParameter($"word{w}", words[w]));
        }

        return new BlobOp(index, opCode, OpName(opCode), layout, inputs.ToArray(), output, parameters, data);
    }

    /// <summary>Little-endian reads from a position in the blob.</summary>
    private sealed class Reader(byte[] blob, int position)
    {
        private int at = position;

        public void Skip(int bytes) => at += bytes;

        public int Byte() => blob[at++];

        public int UInt16()
        {
            int value = BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(at));
            at += 2;
            return value;
        }

        public int Int32()
        {
            int value = BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(at));
            at += 4;
            return value;
        }

        public sbyte[] Int8s(int count) => Bytes(count).Select(b => (sbyte)b).ToArray();

        /// <summary><paramref name="count"/> bytes, then the padding to the next multiple of 4.</summary>
        public byte[] Bytes(int count)
        {
            byte[] values = blob.AsSpan(at, count).ToArray();
            at += BlobFormat.Align4(count);
            return values;
        }

        public string String()
        {
            int length = Int32();
            string value = Encoding.ASCII.GetString(blob, at, length);
            at += BlobFormat.Align4(length);
            return value;
        }
    }
}
