using QuantEdge.Compiler.Blob;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Quantization.Lowering;

/// <summary>
/// Picks each layer's weight layout within a RAM budget for weights, arena and the streamed layers' row buffer:
/// fast where it fits, compact next, streamed last. Every layer starts as Int8Rows (1 byte per weight). If
/// that does not fit, fully connected layers switch to Streamed (no weight bytes in RAM, one shared buffer of
/// eight rows, about 1.1× Int8Rows' instructions per MAC plus a copy per row), the largest first, until it
/// fits. Then layers still in RAM switch to Int64Pairs (4 bytes per weight, about half the interpreter's
/// instructions per MAC) in order of MACs saved per extra byte (convolutions reuse each weight many times,
/// so they come first), as long as the total stays within the budget.
/// </summary>
internal static class LayoutChooser
{
    public static void Choose(DeviceModel device, int budgetBytes, WeightPlacement placement = WeightPlacement.Auto)
    {
        long arena = ArenaPlanner.Plan(device).ArenaBytes;
        long Total() => arena + device.Ops.Sum(WeightBytes) + StreamBufferBytes(device);
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

        long total = Total();
        var candidates = device.Ops
            .Select((op, index) => (Index: index, Extra: PairsBytes(op) - WeightBytes(op), Macs: Macs(device, op)))
            .Where(c => c.Extra > 0 && device.Ops[c.Index].Layout != WeightLayout.Streamed)
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

    /// <summary>Weight bytes in RAM as the op is laid out now (0 when streamed).</summary>
    public static long WeightBytes(DeviceOp op) => op switch
    {
        FullyConnectedRecord { WeightLayout: WeightLayout.Int64Pairs } or Conv2DRecord { WeightLayout: WeightLayout.Int64Pairs } => PairsBytes(op),
        FullyConnectedRecord { WeightLayout: WeightLayout.Streamed } => 0,
        FullyConnectedRecord fc => fc.Weights.Length,
        Conv2DRecord conv => conv.Weights.Length,
        DepthwiseConv2DRecord depthwise => depthwise.Weights.Length,
        LookupRecord => 256,
        _ => 0,
    };

    /// <summary>The row buffer the streamed layers share: eight rows of the deepest (the runtime's StreamBuffer).</summary>
    public static long StreamBufferBytes(DeviceModel device) => device.Ops.OfType<FullyConnectedRecord>()
        .Where(fc => fc.WeightLayout == WeightLayout.Streamed)
        .Select(fc => (long)StreamBuffer.Group * (fc.Weights.Length / fc.Bias.Length)).DefaultIfEmpty(0).Max();

    /// <summary>Weight bytes the op would take as Int64Pairs (0 for ops without that layout).</summary>
    private static long PairsBytes(DeviceOp op) => op switch
    {
        FullyConnectedRecord fc => PairBytes(fc.Bias.Length, fc.Weights.Length),
        Conv2DRecord conv => PairBytes(conv.Bias.Length, conv.Weights.Length),
        _ => 0,
    };

    private static long PairBytes(int channels, int weights) => (channels + 1) / 2 * (long)(weights / channels) * 8;

    private static long Macs(DeviceModel device, DeviceOp op) => op switch
    {
        FullyConnectedRecord fc => (long)device.Tensors[fc.Input].Elements * fc.Bias.Length,
        Conv2DRecord conv => (long)device.Tensors[conv.Output].Elements / conv.Bias.Length * conv.Weights.Length,
        _ => 0,
    };
}
