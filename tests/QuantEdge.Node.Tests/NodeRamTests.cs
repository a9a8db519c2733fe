using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Deployment;
using QuantEdge.Node.Hardware;
using QuantEdge.Simulator;
using Xunit.Abstractions;

namespace QuantEdge.Node.Tests;

/// <summary>
/// The node's own heap, beside the model: the objects a booted NodeApp keeps (configuration, sampler,
/// outputs, hysteresis, buffers), walked with nanoCLR's heap model (NanoHeap), against the estimate
/// node pack checks a board's RAM with (NodeRamEstimate, which adds the hardware drivers' objects). On the
/// nanoCLR (24-byte heap blocks) tests/QuantEdge.Node.DeviceTests measures the firmware's sample node
/// (the same shape as the 3-output case here): compare its printed figure with this test's output.
/// </summary>
public class NodeRamTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void TheEstimateCoversTheNodesObjects(int outputs)
    {
        OutputRecord[] pins = Enumerable.Range(0, outputs).Select(i => OutputRecord.Pin(i, 25 + i)).ToArray();
        VirtualBoard board = IrisModel.Board(IrisModel.Node(pins), [IrisModel.RowFor(0)]);
        NodeHardware hardware = board.Hardware;
        var app = new NodeApp(hardware);
        Assert.True(app.Boot());

        // What the node keeps besides the model and the hardware the firmware made before it (on a device the
        // adapters hold the drivers' objects, which NodeRamEstimate adds).
        object[] notTheNode = [app.Model, hardware, board, board.Files, board.Resources];
        int esp32 = NanoHeap.Reachable(app, NanoHeap.Esp32BlockBytes, notTheNode);
        int host64 = NanoHeap.Reachable(app, NanoHeap.Host64BlockBytes, notTheNode);
        int estimate = NodeRamEstimate.Bytes(4, outputs);
        output.WriteLine($"node objects, {outputs} outputs: {esp32} B on an ESP32 (12-byte blocks), {host64} B on the 64-bit nanoCLR; node pack's estimate {estimate} B; the model {NanoHeap.Reachable(app.Model, NanoHeap.Host64BlockBytes)} B on the nanoCLR");

        Assert.InRange(esp32, 500, estimate);
    }
}
