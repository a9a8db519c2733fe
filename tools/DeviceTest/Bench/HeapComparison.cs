using QuantEdge.Compiler.Blob;
using QuantEdge.Runtime;

namespace QuantEdge.DeviceTest.Bench;

/// <summary>A probe object of a known shape: measured on the interpreter, and as the heap model has it at 24- and 12-byte blocks.</summary>
public sealed record ProbeRow(string Name, long Measured, int? Model24, int? Esp32);

/// <summary>
/// A loaded model's heap: measured on the interpreter; the heap model at 24-byte blocks (which should
/// equal it); and the ESP32 figures `quantedge inspect` reports (12-byte blocks).
/// </summary>
public sealed record ModelHeapRow(string Name, int BlobBytes, long Measured, int Model24, ModelDescription Description)
{
    public double Error => (Model24 - Measured) / (double)Measured;
}

/// <summary>Sets the heap readings of a device benchmark run beside <see cref="NanoHeap"/>'s model.</summary>
public static class HeapComparison
{
    /// <summary>The probes of bench/QuantEdge.DeviceBench's HeapProbe, built on the host with the same shapes.</summary>
    private static readonly IReadOnlyDictionary<string, Func<object>> Probes = new Dictionary<string, Func<object>>
    {
        ["object"] = () => new object(),
        ["object with 3 int fields"] = () => new ThreeInts(),
        ["sbyte[0]"] = () => new sbyte[0],
        ["sbyte[10000]"] = () => new sbyte[10000],
        ["int[1000]"] = () => new int[1000],
        ["long[1000]"] = () => new long[1000],
        ["object[1000]"] = () => new object[1000],
        ["string of 10 chars"] = () => "abcdefghij",
        ["string of 40 chars"] = () => new string('x', 40),
    };

    public static IReadOnlyList<ProbeRow> ProbeRows(BenchOutput output) =>
        output.Heap.Where(h => h.Kind == "probe").Select(h =>
        {
            object? probe = Probes.TryGetValue(h.Name, out Func<object>? make) ? make() : null;
            return new ProbeRow(h.Name, h.Bytes,
                probe == null ? null : NanoHeap.Reachable(probe, NanoHeap.Host64BlockBytes),
                probe == null ? null : NanoHeap.Reachable(probe, NanoHeap.Esp32BlockBytes));
        }).ToList();

    /// <summary>The models measured, with their blobs read from the device tests' resources (the same files the benchmark embeds).</summary>
    public static IReadOnlyList<ModelHeapRow> ModelRows(BenchOutput output, string resourcesFolder) =>
        output.Heap.Where(h => h.Kind == "model").Select(h =>
        {
            byte[] blob = File.ReadAllBytes(Path.Combine(resourcesFolder, h.Name + ".qem"));
            if (blob.Length != h.BlobBytes)
            {
                throw new Running.DeviceTestException($"{h.Name}: the device loaded a {h.BlobBytes}-byte blob, the resource has {blob.Length} bytes");
            }

            // The blob was in the heap before the load: a model whose layers stream their weights reads them from it, but did not allocate it.
            return new ModelHeapRow(h.Name, blob.Length, h.Bytes, NanoHeap.Reachable(Model.Load(blob), NanoHeap.Host64BlockBytes, [blob]), ModelDescription.Of(blob));
        }).ToList();

    private sealed class ThreeInts
    {
        public int A = 1, B = 2, C = 3;
    }
}
