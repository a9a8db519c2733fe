using System.Buffers.Binary;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Blob;

/// <summary>A blob read back on the host: the device model it holds, its golden vector, and its arena size.</summary>
public sealed record BlobContents(DeviceModel Model, GoldenVector Golden, int ArenaBytes);

/// <summary>
/// Reads a blob back into the records <see cref="BlobWriter"/> writes (docs/blob-format.md), for
/// host tools that need every parameter (exporters, inspection). The blob is validated first by the
/// device loader (<see cref="Model.Load"/>), so this reader only decodes. Tensors have no names in a
/// blob; they are called "t0", "t1", ...
/// </summary>
public static class BlobReader
{
    /// <exception cref="ModelFormatException">The blob breaks a rule of the format.</exception>
    public static BlobContents Read(byte[] blob)
    {
        Model loaded = Model.Load(blob);
        var header = new Cursor(blob, 0);
        header.Skip(BlobFormat.TensorCountAt);
        int tensorCount = header.Int32();
        int opCount = header.Int32();
        int arenaBytes = header.Int32();
        int input = header.Int32();
        int output = header.Int32();
        int tensorAt = header.Int32(), opAt = header.Int32(), inputQuantAt = header.Int32();
        int dataAt = BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(BlobFormat.DataAt));

        var model = new DeviceModel { Input = input, Output = output };
        var tensors = new Cursor(blob, tensorAt);
        for (int t = 0; t < tensorCount; t++)
        {
            int[] dims = [tensors.Int32(), tensors.Int32(), tensors.Int32(), tensors.Int32()];
            tensors.Int32(); // arena offset: the writer plans it again
            float scale = BitConverter.Int32BitsToSingle(tensors.Int32());
            model.AddTensor(new DeviceTensor($"t{t}", dims, scale, tensors.Int32()));
        }

        var ops = new Cursor(blob, opAt);
        var data = new DataReader(blob, dataAt);
        for (int i = 0; i < opCount; i++)
        {
            int opCode = ops.UInt16();
            var layout = (WeightLayout)ops.Byte();
            ops.Byte();
            int[] words = Enumerable.Range(0, ops.Int32()).Select(_ => ops.Int32()).ToArray();
            model.Ops.Add(DecodeOp(opCode, layout, words, data, model));
        }

        var rules = new Cursor(blob, inputQuantAt);
        int ruleCount = rules.Int32();
        for (int r = 0; r < ruleCount; r++)
        {
            model.InputRules.Add(new InputRule(rules.Int32(), rules.Int32(), rules.Int32(), rules.Int32(), BitConverter.Int32BitsToSingle(rules.Int32())));
        }

        model.Name = loaded.Name;
        model.FeatureNames = Names(loaded.InputTensor.ElementsPerBatch, loaded.GetFeatureName);
        model.ClassLabels = Names(loaded.OutputTensor.ElementsPerBatch, loaded.GetClassLabel);
        var golden = new GoldenVector(loaded.GetGoldenRawInput(), loaded.GetGoldenInput(), loaded.GetGoldenOutput());
        return new BlobContents(model, golden, arenaBytes);
    }

    private static string[] Names(int count, Func<int, string> name) =>
        name(0) == null ? [] : Enumerable.Range(0, count).Select(name).ToArray();

    private static DeviceOp DecodeOp(int opCode, WeightLayout layout, int[] w, DataReader data, DeviceModel model)
    {
        switch (opCode)
        {
            case BlobFormat.OpFullyConnected:
                return new FullyConnectedOp(w[0], w[1], data.Int8s(w, 2), data.Int32s(w, 4), data.Int32s(w, 6), data.Shifts(w, 8),
                    w[10], w[11], w[12], w[13], layout);
            case BlobFormat.OpConv2D:
                return new Conv2DOp(w[0], w[1], ReadWindow(w), w[10], data.Int8s(w, 11), data.Int32s(w, 13), data.Int32s(w, 15), data.Shifts(w, 17),
                    w[19], w[20], w[21], layout);
            case BlobFormat.OpDepthwiseConv2D:
                return new DepthwiseConv2DOp(w[0], w[1], ReadWindow(w), w[10], w[11], data.Int8s(w, 12), data.Int32s(w, 14), data.Int32s(w, 16),
                    data.Shifts(w, 18), w[20], w[21], w[22]);
            case BlobFormat.OpMaxPool2D:
            case BlobFormat.OpAveragePool2D:
                return new Pool2DOp(w[0], w[1], new Window(w[2], w[3], w[4], w[5], PadTop: w[6], PadLeft: w[7]),
                    opCode == BlobFormat.OpAveragePool2D, w[8], w[9]);
            case BlobFormat.OpGlobalAveragePool:
                return new GlobalAveragePoolOp(w[0], w[1], w[2], w[3], w[4], w[5]);
            case BlobFormat.OpAdd:
                return new AddOp(w[0], w[1], w[2], new AddParams
                {
                    Size = model.Tensors[w[2]].Elements,
                    Input1ZeroPoint = model.Tensors[w[0]].ZeroPoint,
                    Input2ZeroPoint = model.Tensors[w[1]].ZeroPoint,
                    OutputZeroPoint = model.Tensors[w[2]].ZeroPoint,
                    LeftShift = w[3],
                    Input1Multiplier = w[4],
                    Input1Shift = w[5],
                    Input2Multiplier = w[6],
                    Input2Shift = w[7],
                    OutputMultiplier = w[8],
                    OutputShift = w[9],
                    ActivationMin = w[10],
                    ActivationMax = w[11],
                });
            case BlobFormat.OpMul:
                return new MulOp(w[0], w[1], w[2], new MulParams
                {
                    Size = model.Tensors[w[2]].Elements,
                    Input1ZeroPoint = model.Tensors[w[0]].ZeroPoint,
                    Input2ZeroPoint = model.Tensors[w[1]].ZeroPoint,
                    OutputZeroPoint = model.Tensors[w[2]].ZeroPoint,
                    OutputMultiplier = w[3],
                    OutputShift = w[4],
                    ActivationMin = w[5],
                    ActivationMax = w[6],
                });
            case BlobFormat.OpLookup:
                return new LookupOp(w[0], w[1], data.Int8s(w, 2));
            case BlobFormat.OpSoftmax:
                return new SoftmaxOp(w[0], w[1], w[2], w[3], w[4]);
            case BlobFormat.OpConcat:
                return new ConcatOp(w[3..], w[0], w[1]);
            case BlobFormat.OpReshape:
                return new ReshapeOp(w[0], w[1]);
            default:
                // Model.Load has rejected every other opcode.
                throw new InvalidOperationException($"opcode {opCode}");
        }
    }

    /// <summary>Words 2..9 of a convolution: filter, stride, dilation, leading pads.</summary>
    private static Window ReadWindow(int[] w) => new(w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9]);

    /// <summary>Little-endian reads from a position in the blob.</summary>
    private sealed class Cursor(byte[] blob, int position)
    {
        public void Skip(int bytes) => position += bytes;

        public int Int32()
        {
            int value = BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(position));
            position += 4;
            return value;
        }

        public int UInt16()
        {
            int value = BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(position));
            position += 2;
            return value;
        }

        public int Byte() => blob[position++];
    }

    /// <summary>Chunks of the data section through (offset, length) words.</summary>
    private sealed class DataReader(byte[] blob, int dataAt)
    {
        public sbyte[] Int8s(int[] words, int at) => Bytes(words, at).Select(b => (sbyte)b).ToArray();

        public int[] Int32s(int[] words, int at)
        {
            byte[] bytes = Bytes(words, at);
            return Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4 * i))).ToArray();
        }

        /// <summary>Requantization shifts, stored one signed byte each.</summary>
        public int[] Shifts(int[] words, int at) => Int8s(words, at).Select(s => (int)s).ToArray();

        private byte[] Bytes(int[] words, int at) => blob.AsSpan(dataAt + words[at], words[at + 1]).ToArray();
    }
}
