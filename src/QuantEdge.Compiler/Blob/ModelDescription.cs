using QuantEdge.Runtime;
using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Blob;

/// <summary>One layer (op) as the device runs it.</summary>
public sealed record LayerDescription(
    int Index, string Op, int[][] InputShapes, int[] OutputShape, IReadOnlyList<OpParameter> Parameters,
    IReadOnlyList<OpData> Data, long Macs, WeightLayout WeightLayout, int WeightBytes);

/// <summary>
/// How the device turns input <see cref="Index"/>'s raw value into int8: the raw value counts units of
/// 10^<see cref="UnitExponent"/> of the feature's real value, then q = (raw − RawOffset) × 10^e / Scale + ZeroPoint.
/// </summary>
public sealed record FeatureDescription(int Index, string? Name, int UnitExponent, int RawOffset, double Scale, int ZeroPoint);

/// <summary>
/// What a blob holds and costs on the device: its layers with their parameters, inputs (with their
/// units), class labels and memory totals. Built by <see cref="Of"/> from a blob the runtime accepted.
/// </summary>
public sealed record ModelDescription(
    string Name, int VersionMajor, int VersionMinor, int BlobBytes, int WeightsBytes, int ArenaBytes, long Macs,
    int RuntimeObjectBytes, bool SelfTestPasses, IReadOnlyList<LayerDescription> Layers,
    IReadOnlyList<FeatureDescription> Inputs, string?[] ClassLabels, int[] OutputShape, float OutputScale, int OutputZeroPoint)
{
    /// <summary>Heap blocks of nanoCLR (CLR_RT_HeapBlock) are 12 bytes on a 32-bit MCU.</summary>
    public const int HeapBlockBytes = 12;

    /// <summary>An array's header: one heap block plus the element count, type, size and flags.</summary>
    public const int ArrayHeaderBytes = 20;

    /// <summary>Fields of the runtime's op object plus its parameters object, rounded up across op kinds.</summary>
    public const int OpObjectFields = 30;

    /// <summary>Fields of a TensorInfo.</summary>
    public const int TensorObjectFields = 10;

    /// <summary>Fields of the Model object.</summary>
    public const int ModelObjectFields = 20;

    /// <summary>What the device holds in RAM for this model: weights as laid out, the arena, and the runtime's own objects.</summary>
    public int DeviceRamBytes => WeightsBytes + ArenaBytes + RuntimeObjectBytes;

    /// <summary>Validates the blob with the device loader (<see cref="ModelFormatException"/> when it is bad), then describes it.</summary>
    public static ModelDescription Of(byte[] blob)
    {
        Model model = Model.Load(blob);
        BlobContents contents = BlobInspector.Read(blob);
        var layers = new List<LayerDescription>();
        for (int i = 0; i < model.OpCount; i++)
        {
            var op = model.GetOp(i);
            BlobOp record = contents.Ops[i];
            layers.Add(new LayerDescription(i, record.Name, op.Inputs.Select(t => Dims(contents.Tensors[t])).ToArray(),
                Dims(contents.Tensors[op.Output]), record.Parameters, record.Data, op.Macs, op.Layout, op.WeightBytes));
        }

        var inputs = Enumerable.Range(0, model.InputLength)
            .Select(i => contents.InputRules[contents.InputRules.Count == 1 ? 0 : i])
            .Select((rule, i) => new FeatureDescription(i, model.GetFeatureName(i), rule.UnitExponent, rule.RawOffset, rule.Scale, rule.ZeroPoint))
            .ToList();
        BlobTensor output = contents.Tensors[contents.OutputTensor];
        string?[] labels = Enumerable.Range(0, model.OutputTensor.ElementsPerBatch).Select(model.GetClassLabel).ToArray();
        return new ModelDescription(model.Name, contents.VersionMajor, contents.VersionMinor, blob.Length, model.WeightBytes,
            model.ArenaBytes, model.Macs, EstimateRuntimeObjects(contents), model.SelfTest(), layers, inputs, labels,
            output.Dims, output.Scale, output.ZeroPoint);
    }

    /// <summary>
    /// An estimate of the heap the runtime's objects take beside the weight element storage and the
    /// arena, from nanoCLR's object model: an object is one 12-byte heap block of header plus one per
    /// field; an array is a 20-byte header plus its elements, rounded up to whole blocks. Counted: one
    /// op object and parameters object per op (<see cref="OpObjectFields"/> fields), the headers of the
    /// weight rows, the per-channel int32 arrays (bias, multipliers, shifts), a TensorInfo per tensor,
    /// the input rules (five int arrays), metadata strings, the golden vector and the Model itself.
    /// Not counted: the loader's transient allocations, the assembly's code and type metadata, and
    /// small scratch buffers. Unmeasured on a device; expect it to be within a few hundred bytes.
    /// </summary>
    public static int EstimateRuntimeObjects(BlobContents blob)
    {
        int total = Object(ModelObjectFields) + ArrayBytes(0); // the Model and the arena's header
        total += blob.Tensors.Count * Object(TensorObjectFields);
        foreach (BlobOp op in blob.Ops)
        {
            total += Object(OpObjectFields) + ArrayBytes(4 * op.Inputs.Length);
            foreach (OpData data in op.Data)
            {
                total += data.Name switch
                {
                    "weights" when op.OpCode is BlobFormat.OpFullyConnected or BlobFormat.OpConv2D => RowArrays(op),
                    "weights" or "table" => ArrayBytes(0), // element storage is in WeightBytes
                    "shift" => ArrayBytes(4 * data.Length), // one byte each in the blob, an int each in RAM
                    _ => ArrayBytes(data.Length),
                };
            }
        }

        int rules = blob.InputRules.Count;
        total += 5 * ArrayBytes(4 * rules);
        total += new[] { blob.ModelName }.Concat(blob.FeatureNames).Concat(blob.ClassLabels).Sum(s => ArrayBytes(s.Length + 1));
        total += ArrayBytes(4 * (blob.GoldenRawInput?.Length ?? 0)) + ArrayBytes(blob.GoldenInput.Length) + ArrayBytes(blob.GoldenOutput.Length);
        return total;

    }

    /// <summary>
    /// ChannelWeights beside its element storage: the object, the outer array (a reference is a heap
    /// block per element) and each row's (or channel pair's) array header.
    /// </summary>
    private static int RowArrays(BlobOp op)
    {
        int channels = op.Data.First(d => d.Name == "bias").Length / 4;
        int rows = op.Layout == WeightLayout.Int64Pairs ? (channels + 1) / 2 : channels;
        return Object(5) + ArrayBytes(HeapBlockBytes * rows) + rows * ArrayBytes(0);
    }

    private static int Object(int fields) => HeapBlockBytes * (1 + fields);

    private static int ArrayBytes(int elementBytes) => (ArrayHeaderBytes + elementBytes + HeapBlockBytes - 1) / HeapBlockBytes * HeapBlockBytes;

    private static int[] Dims(BlobTensor tensor) => tensor.Dims;
}
