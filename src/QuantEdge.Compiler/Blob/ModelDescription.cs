using QuantEdge.Runtime;
using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Blob;

/// <summary>One layer (op) as the device runs it.</summary>
public sealed record LayerDescription(
    int Index, string Op, int[][] InputShapes, int[] OutputShape, IReadOnlyList<OpParameter> Parameters,
    IReadOnlyList<OpData> Data, long Macs, WeightLayout WeightLayout, int WeightBytes)
{
    /// <summary>
    /// The heap the layer keeps on an ESP32 (12-byte blocks): its weights as laid out, its per-channel parameters
    /// and its op objects; for a streamed layer not its weights, nor the row buffer the streamed layers share
    /// (<see cref="ModelDescription.StreamBufferBytes"/>).
    /// </summary>
    public int RamBytes { get; init; }

    /// <summary>Weight bytes a streamed layer leaves in flash and reads during Invoke (0 for layers in RAM).</summary>
    public int StreamedBytes { get; init; }
}

/// <summary>
/// How the device turns input <see cref="Index"/>'s raw value into int8: the raw value counts units of
/// 10^<see cref="UnitExponent"/> of the feature's real value, then q = (raw − RawOffset) × 10^e / Scale + ZeroPoint.
/// </summary>
public sealed record FeatureDescription(int Index, string? Name, int UnitExponent, int RawOffset, double Scale, int ZeroPoint);

/// <summary>
/// What a blob holds and costs on the device: its layers with their parameters, inputs (with their
/// units), output names (a classifier's class labels) and memory totals. Built by <see cref="Of"/> from a blob the runtime accepted.
/// </summary>
public sealed record ModelDescription(
    string Name, int VersionMajor, int VersionMinor, int BlobBytes, int WeightsBytes, int ArenaBytes, long Macs,
    int RuntimeObjectBytes, bool SelfTestPasses, IReadOnlyList<LayerDescription> Layers,
    IReadOnlyList<FeatureDescription> Inputs, string?[] OutputNames, int[] OutputShape, float OutputScale, int OutputZeroPoint)
{
    /// <summary>The heap of the row buffer the streamed layers share on an ESP32 (0 when no layer streams); part of <see cref="RuntimeObjectBytes"/>.</summary>
    public int StreamBufferBytes { get; init; }

    /// <summary>Weight bytes the streamed layers leave in flash (read during Invoke, not in <see cref="WeightsBytes"/>).</summary>
    public int StreamedWeightBytes => Layers.Sum(l => l.StreamedBytes);

    /// <summary>What the outputs mean.</summary>
    public ModelTask Task { get; init; }

    /// <summary>Input rules the blob stores: input i uses rule i mod this (1: one for all, the channel count: one per channel).</summary>
    public int InputRuleCount { get; init; }

    /// <summary>
    /// The managed heap a loaded model keeps on an ESP32 (12-byte heap blocks): weights as laid out, the
    /// arena, and the runtime's own objects (<see cref="RuntimeObjects"/>).
    /// </summary>
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
                Dims(contents.Tensors[op.Output]), record.Parameters, record.Data, op.Macs, op.Layout, op.WeightBytes)
            {
                RamBytes = NanoHeap.Reachable(op, NanoHeap.Esp32BlockBytes, External(model)),
                StreamedBytes = op.Layout is WeightLayout.Streamed or WeightLayout.StreamedByRow ? record.Data.Where(d => d.Name == "weights").Sum(d => d.Length) : 0,
            });
        }

        var inputs = Enumerable.Range(0, model.InputLength)
            .Select(i => contents.InputRules[i % contents.InputRules.Count])
            .Select((rule, i) => new FeatureDescription(i, model.GetFeatureName(i), rule.UnitExponent, rule.RawOffset, rule.Scale, rule.ZeroPoint))
            .ToList();
        BlobTensor output = contents.Tensors[contents.OutputTensor];
        string?[] labels = Enumerable.Range(0, model.OutputTensor.ElementsPerBatch).Select(model.GetClassLabel).ToArray();
        return new ModelDescription(model.Name, contents.VersionMajor, contents.VersionMinor, blob.Length, model.WeightBytes,
            model.ArenaBytes, model.Macs, RuntimeObjects(model, NanoHeap.Esp32BlockBytes), model.SelfTest(), layers, inputs, labels,
            output.Dims, output.Scale, output.ZeroPoint)
        {
            InputRuleCount = contents.InputRules.Count,
            Task = model.Task,
            StreamBufferBytes = model.StreamBuffer == null ? 0 : NanoHeap.Reachable(model.StreamBuffer, NanoHeap.Esp32BlockBytes),
        };
    }

    /// <summary>
    /// The heap a loaded model's own objects take beside its weights' element storage and its arena
    /// (both counted apart, in <see cref="WeightsBytes"/> and <see cref="ArenaBytes"/>): the op and
    /// parameter objects, array headers, per-channel arrays, tensor descriptors, input rules, metadata
    /// strings, golden vector and the Model itself, from <see cref="NanoHeap"/>'s model of nanoCLR's heap
    /// evaluated over the very objects the loader built (heap blocks of <paramref name="blockBytes"/>).
    /// On the nanoCLR interpreter (24-byte blocks) this model gives the measured heap of every test model
    /// to the byte (tools/device-test --bench). Not counted: the blob (which the application may drop; a model with
    /// streamed layers reads their weights from it, as from flash),
    /// the loader's transient allocations, code and type metadata.
    /// </summary>
    public static int RuntimeObjects(Model model, int blockBytes) =>
        NanoHeap.Reachable(model, blockBytes, model.WeightSource is null ? [] : [model.WeightSource]) - model.WeightBytes - model.ArenaBytes;

    /// <summary>What a layer reaches but does not own: the streamed layers' source (flash, not heap) and their shared buffer.</summary>
    private static object[] External(Model model) =>
        new object?[] { model.WeightSource, model.StreamBuffer }.Where(o => o != null).ToArray()!;

    private static int[] Dims(BlobTensor tensor) => tensor.Dims;
}
