using QuantEdge.Compiler.Blob;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Quantization.Lowering;

/// <summary>
/// Picks each layer's weight layout within a RAM budget. Int8Rows costs 1 byte per weight; Int64Pairs
/// 4 bytes but about half the interpreter's instructions per MAC. Layers switch to Int64Pairs in
/// order of MACs saved per extra byte (convolutions reuse each weight many times, so they come
/// first), as long as weights plus arena stay within the budget.
/// </summary>
internal static class LayoutChooser
{
    public static void Choose(DeviceModel device, int budgetBytes)
    {
        long total = ArenaPlanner.Plan(device).ArenaBytes + device.Ops.Sum(WeightBytes);
        var candidates = device.Ops
            .Select((op, index) => (Index: index, Extra: PairsBytes(op) - WeightBytes(op), Macs: Macs(device, op)))
            .Where(c => c.Extra > 0)
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

    /// <summary>Weight bytes in RAM as the op is laid out now.</summary>
    public static long WeightBytes(DeviceOp op) => op switch
    {
        FullyConnectedRecord { WeightLayout: WeightLayout.Int64Pairs } or Conv2DRecord { WeightLayout: WeightLayout.Int64Pairs } => PairsBytes(op),
        FullyConnectedRecord fc => fc.Weights.Length,
        Conv2DRecord conv => conv.Weights.Length,
        DepthwiseConv2DRecord depthwise => depthwise.Weights.Length,
        LookupRecord => 256,
        _ => 0,
    };

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
