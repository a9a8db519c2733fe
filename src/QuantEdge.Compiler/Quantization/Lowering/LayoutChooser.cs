using QuantEdge.Compiler.Blob;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Quantization.Lowering;

/// <summary>
/// Picks each layer's weight layout within a RAM budget for the whole device estimate (<c>inspect</c>'s
/// device_ram_bytes: weights, arena, per-channel parameters, op and tensor objects, metadata, golden vector and
/// the streamed layers' row buffer): fast where it fits, compact next, streamed last. Every layer starts as
/// Int8Rows (1 byte per weight). If that does not fit, fully connected layers switch to Streamed (no weight bytes
/// in RAM, one shared buffer of eight rows, about 1.1× Int8Rows' instructions per MAC plus a copy per row), the
/// largest first, until it fits; if eight rows of the deepest streamed layer are still too many, the streamed
/// layers read one row at a time (StreamedByRow: a buffer of one row, about twice Streamed's instructions per MAC).
/// Then layers still in RAM switch to Int64Pairs (4 bytes per weight, about half the interpreter's instructions
/// per MAC) in order of MACs saved per extra byte (convolutions reuse each weight many times, so they come
/// first), as long as the total stays within the budget.
/// </summary>
internal static class LayoutChooser
{
    /// <summary>
    /// Chooses the layouts of <paramref name="device"/>'s layers. <paramref name="goldenRawInput"/> is the raw input
    /// the blob's golden vector will hold (the quantizer's first calibration row), so the estimate counts the
    /// golden vector as the blob will store it.
    /// </summary>
    public static void Choose(DeviceModel device, int budgetBytes, WeightPlacement placement = WeightPlacement.Auto, int[]? goldenRawInput = null)
    {
        long others = LayoutIndependentBytes(device, goldenRawInput);
        long Total() => others + device.Ops.Sum(WeightBytes) + StreamingBytes(device);
        var dense = device.Ops.Select((op, index) => (Op: op, Index: index)).Where(c => c.Op is FullyConnectedRecord)
            .OrderByDescending(c => ((FullyConnectedRecord)c.Op).Weights.Length).Select(c => c.Index).ToList();
        foreach (int index in dense)
        {
            if (placement == WeightPlacement.Ram || (placement == WeightPlacement.Auto && Total() <= budgetBytes))
            {
                break;
            }

            device.Ops[index] = (FullyConnectedRecord)device.Ops[index] with { WeightLayout = WeightLayout.Streamed };
        }

        if (placement == WeightPlacement.Auto && Total() > budgetBytes)
        {
            foreach (int index in dense.Where(i => device.Ops[i].Layout == WeightLayout.Streamed))
            {
                device.Ops[index] = (FullyConnectedRecord)device.Ops[index] with { WeightLayout = WeightLayout.StreamedByRow };
            }
        }

        long total = Total();
        var candidates = device.Ops
            .Select((op, index) => (Index: index, Extra: PairsBytes(op) - WeightBytes(op), Macs: Macs(device, op)))
            .Where(c => c.Extra > 0 && !IsStreamed(device.Ops[c.Index]))
            .OrderByDescending(c => (double)c.Macs / c.Extra)
            .ToList();
        foreach (var candidate in candidates)
        {
            if (total + candidate.Extra <= budgetBytes)
            {
                device.Ops[candidate.Index] = device.Ops[candidate.Index] switch
                {
                    FullyConnectedRecord fc => fc with { WeightLayout = WeightLayout.Int64Pairs },
                    Conv2DRecord conv => conv with { WeightLayout = WeightLayout.Int64Pairs },
                    var other => other,
                };
                total += candidate.Extra;
            }
        }
    }

    /// <summary>
    /// Heap bytes on an ESP32 of the op's weights as laid out now (0 when streamed): the runtime keeps one array per
    /// channel (Int8Rows) or per pair of channels (Int64Pairs) and an array of them, so a shallow layer's headers
    /// count as much as its weights (<see cref="NanoHeap"/>, the model <c>inspect</c>'s device RAM uses).
    /// </summary>
    public static long WeightBytes(DeviceOp op) => op switch
    {
        FullyConnectedRecord { WeightLayout: WeightLayout.Int64Pairs } or Conv2DRecord { WeightLayout: WeightLayout.Int64Pairs } => PairsBytes(op),
        FullyConnectedRecord { WeightLayout: WeightLayout.Streamed or WeightLayout.StreamedByRow } => 0,
        FullyConnectedRecord fc => RowArraysBytes(fc.Bias.Length, fc.Weights.Length / fc.Bias.Length),
        Conv2DRecord conv => RowArraysBytes(conv.Bias.Length, conv.Weights.Length / conv.Bias.Length),
        DepthwiseConv2DRecord depthwise => NanoHeap.ArrayBytes(depthwise.Weights.Length, NanoHeap.Esp32BlockBytes),
        LookupRecord => NanoHeap.ArrayBytes(256, NanoHeap.Esp32BlockBytes),
        _ => 0,
    };

    /// <summary>Whether the op's weights stay where the blob lives, read during Invoke.</summary>
    public static bool IsStreamed(DeviceOp op) => op.Layout is WeightLayout.Streamed or WeightLayout.StreamedByRow;

    /// <summary>Rows of the buffer the streamed layers share (the runtime's StreamBuffer): the largest group any of them reads.</summary>
    public static int StreamBufferRows(DeviceModel device) => device.Ops.Where(IsStreamed)
        .Select(op => op.Layout == WeightLayout.Streamed ? StreamBuffer.Group : 1).DefaultIfEmpty(0).Max();

    /// <summary>The row buffer the streamed layers share, element bytes: <see cref="StreamBufferRows"/> rows of the deepest.</summary>
    public static long StreamBufferBytes(DeviceModel device) => StreamBufferRows(device) * device.Ops.OfType<FullyConnectedRecord>()
        .Where(IsStreamed).Select(fc => (long)(fc.Weights.Length / fc.Bias.Length)).DefaultIfEmpty(0).Max();

    /// <summary>
    /// The device RAM that no layout choice changes, as <see cref="ModelDescription"/> reports it (the blob written with
    /// the layouts the layers have now, loaded by the runtime and walked with <see cref="NanoHeap"/>'s model) less the
    /// part the layouts make: their weights' heap and what streaming adds.
    /// </summary>
    public static long LayoutIndependentBytes(DeviceModel device, int[]? goldenRawInput) =>
        ModelDescription.Of(BlobWriter.WriteWithGolden(device, rawInput: goldenRawInput)).DeviceRamBytes
        - device.Ops.Sum(WeightBytes) - StreamingBytes(device);

    /// <summary>
    /// Heap on an ESP32 that streaming adds beside the layers' per-channel parameters: each streamed layer's reader
    /// (a <see cref="StreamedRows"/>) and the shared buffer (a <see cref="StreamBuffer"/>, an array of its rows and the rows).
    /// </summary>
    public static long StreamingBytes(DeviceModel device)
    {
        int streamed = device.Ops.Count(IsStreamed);
        if (streamed == 0)
        {
            return 0;
        }

        const int block = NanoHeap.Esp32BlockBytes;
        int rows = StreamBufferRows(device);
        return streamed * (long)NanoHeap.ObjectBytes(typeof(StreamedRows), block)
            + NanoHeap.ObjectBytes(typeof(StreamBuffer), block) + NanoHeap.ReferenceArrayBytes(rows, block) + rows * (long)NanoHeap.ArrayBytes(StreamBufferBytes(device) / rows, block);
    }

    /// <summary>Heap bytes the op's weights would take as Int64Pairs (0 for ops without that layout).</summary>
    private static long PairsBytes(DeviceOp op) => op switch
    {
        FullyConnectedRecord fc => RowArraysBytes((fc.Bias.Length + 1) / 2, fc.Weights.Length / fc.Bias.Length * 8L),
        Conv2DRecord conv => RowArraysBytes((conv.Bias.Length + 1) / 2, conv.Weights.Length / conv.Bias.Length * 8L),
        _ => 0,
    };

    /// <summary><paramref name="rows"/> arrays of <paramref name="rowBytes"/> each and the array that holds them.</summary>
    private static long RowArraysBytes(int rows, long rowBytes) =>
        NanoHeap.ReferenceArrayBytes(rows, NanoHeap.Esp32BlockBytes) + rows * (long)NanoHeap.ArrayBytes(rowBytes, NanoHeap.Esp32BlockBytes);

    private static long Macs(DeviceModel device, DeviceOp op) => op switch
    {
        FullyConnectedRecord fc => (long)device.Tensors[fc.Input].Elements * fc.Bias.Length,
        Conv2DRecord conv => (long)device.Tensors[conv.Output].Elements / conv.Bias.Length * conv.Weights.Length,
        _ => 0,
    };
}
