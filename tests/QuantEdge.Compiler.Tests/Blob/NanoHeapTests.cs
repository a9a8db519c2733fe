using QuantEdge.Compiler.Blob;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Tests;

namespace QuantEdge.Compiler.Tests.Blob;

/// <summary>
/// The heap model against the heap nanoCLR reports. The 24-byte figures were measured on the kit's
/// 64-bit nanoCLR interpreter with GC.Run(false) deltas (tools/device-test --bench prints them as
/// its probes, docs/benchmarks.md); the 12-byte ones are what the same rules give for an ESP32.
/// </summary>
public class NanoHeapTests
{
    private sealed class ThreeInts
    {
        public int A = 1, B = 2, C = 3;
    }

    public static TheoryData<string, int, int> Probes => new()
    {
        { "object", 24, 12 },
        { "object with 3 int fields", 96, 48 },
        { "sbyte[0]", 48, 24 },
        { "sbyte[10000]", 10_032, 10_020 },
        { "int[1000]", 4_032, 4_020 },
        { "long[1000]", 8_040, 8_028 },
        { "object[1000]", 24_048, 12_024 },
        { "string of 10 chars", 48, 24 },
        { "string of 40 chars", 72, 60 },
    };

    [Theory]
    [MemberData(nameof(Probes))]
    public void GivesTheInterpretersMeasurementsAndScalesHeadersNotElements(string probe, int measuredAt24, int esp32)
    {
        object value = probe switch
        {
            "object" => new object(),
            "object with 3 int fields" => new ThreeInts(),
            "sbyte[0]" => new sbyte[0],
            "sbyte[10000]" => new sbyte[10000],
            "int[1000]" => new int[1000],
            "long[1000]" => new long[1000],
            "object[1000]" => new object[1000],
            "string of 10 chars" => "abcdefghij",
            _ => new string('x', 40),
        };
        Assert.Equal(measuredAt24, NanoHeap.Reachable(value, NanoHeap.Host64BlockBytes));
        Assert.Equal(esp32, NanoHeap.Reachable(value, NanoHeap.Esp32BlockBytes));
    }

    [Fact]
    public void CountsAnObjectReachedTwiceOnce()
    {
        var shared = new ThreeInts();
        object[] twice = [shared, shared];
        Assert.Equal(NanoHeap.ReferenceArrayBytes(2, 12) + NanoHeap.ObjectBytes(3, 12), NanoHeap.Reachable(twice, 12));
    }

    /// <summary>
    /// device_ram_bytes is the model's whole heap on an ESP32, and its parts add up: weights and arena
    /// as the runtime counts them, the rest being the runtime's own objects.
    /// </summary>
    [Fact]
    public void DeviceRamIsTheLoadedModelsHeapAtTwelveByteBlocks()
    {
        byte[] blob = TestModels.Blob(TestModels.EveryOp());
        Model model = Model.Load(blob);
        ModelDescription d = ModelDescription.Of(blob);
        Assert.Equal(NanoHeap.Reachable(model, NanoHeap.Esp32BlockBytes), d.DeviceRamBytes);
        Assert.Equal(d.DeviceRamBytes - model.WeightBytes - model.ArenaBytes, d.RuntimeObjectBytes);
        // Headers, fields and references are twice as large on the 64-bit interpreter; element bytes are not.
        int at24 = NanoHeap.Reachable(model, NanoHeap.Host64BlockBytes);
        Assert.InRange(at24, d.DeviceRamBytes + 1, 2 * d.DeviceRamBytes - 1);
    }

    /// <summary>
    /// A model whose layers stream their weights keeps neither them nor the blob it reads them from: device_ram_bytes
    /// counts the shared row buffer (in the runtime objects), each layer's RAM its per-channel parameters only, and
    /// the streamed bytes are the weights' bytes in the blob.
    /// </summary>
    [Fact]
    public void StreamedWeightsAreNotDeviceRam()
    {
        DeviceModel device = TestModels.Large();
        for (int i = 0; i < device.Ops.Count; i++)
        {
            device.Ops[i] = (FullyConnectedRecord)device.Ops[i] with { WeightLayout = QuantEdge.Runtime.Kernels.WeightLayout.Streamed };
        }

        byte[] blob = TestModels.Blob(device);
        ModelDescription d = ModelDescription.Of(blob);
        Assert.Equal(0, d.WeightsBytes);
        Assert.Equal(256 * 512 + 512 * 256 + 256 * 10, d.StreamedWeightBytes);
        Assert.Equal(NanoHeap.Reachable(Model.Load(blob).StreamBuffer!, 12), d.StreamBufferBytes);
        Assert.InRange(d.StreamBufferBytes, 8 * 512, 8 * 512 + 512);
        Assert.InRange(d.DeviceRamBytes, d.StreamBufferBytes + d.ArenaBytes, 40_000);
        // The 512-channel layer: its folded biases, multipliers and shifts (3 × 512 × 4 bytes) and a few objects.
        Assert.InRange(d.Layers[0].RamBytes, 3 * 512 * 4, 3 * 512 * 4 + 1000);
    }
}
