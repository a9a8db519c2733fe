namespace QuantEdge.Compiler.Deployment;

/// <summary>
/// An estimate of the managed heap a node's own objects take beside the model (whose share is
/// <c>ModelDescription.DeviceRamBytes</c>), with the same nanoCLR heap model (<see cref="Blob.NanoHeap"/>)
/// at the ESP32's 12-byte heap blocks.
/// <para>
/// Counted: the node object (configuration and hysteresis state, <see cref="NodeFields"/> fields), the
/// GPIO and ADC controllers, the status LED pin, the node.bin bytes as read, the raw input and int8
/// output arrays; per input its configuration record (12 fields, as in node.bin) and a driver object
/// (an AdcChannel, GpioPin or I2cDevice, <see cref="DriverFields"/> fields) with an I2C connection
/// settings object and its two transfer buffers, counted for every input as the worst case; per output
/// its record (6 fields) and its GpioPin or PwmChannel. Not counted: code and type metadata of the
/// node's and the drivers' assemblies, and transient allocations (those are what the headroom of
/// <see cref="HeadroomBytes"/> is for). It has not been measured on a device: a node's test on the
/// nanoCLR interpreter should replace these constants with measured ones.
/// </para>
/// </summary>
public static class NodeRamEstimate
{
    /// <summary>Fields of the node object: the configuration header and the hysteresis state.</summary>
    public const int NodeFields = 24;

    /// <summary>Fields of a driver object (AdcChannel, GpioPin, I2cDevice, PwmChannel), rounded up across them.</summary>
    public const int DriverFields = 8;

    /// <summary>Fields of an I2cConnectionSettings.</summary>
    public const int I2cSettingsFields = 4;

    /// <summary>The heap kept free beside the model and the node: a quarter of the heap, and at least this many bytes.</summary>
    public const int MinHeadroomBytes = 12 * 1024;

    /// <summary>
    /// The headroom a node leaves on a heap of <paramref name="heapBytes"/>: max(heap / 4, 12 KiB). It is
    /// for what the estimates leave out: the application's and drivers' runtime type data, transient
    /// allocations (strings, I2C results, logging), and slack so that the GC does not run out of
    /// contiguous blocks after fragmentation; the heap numbers themselves are partly estimates.
    /// </summary>
    public static int HeadroomBytes(int heapBytes) => Math.Max(heapBytes / 4, MinHeadroomBytes);

    /// <summary>The node's own objects for <paramref name="inputs"/> inputs and <paramref name="outputs"/> outputs, in bytes.</summary>
    public static int Bytes(int inputs, int outputs)
    {
        int fixedPart = Object(NodeFields) + 3 * Object(DriverFields) // node, GPIO and ADC controllers, status LED pin
            + Array(NodePacker.FileBytes(inputs, outputs)) + Array(4 * inputs) + Array(outputs);
        int perInput = Object(NodePacker.InputWords) + Object(DriverFields) + Object(I2cSettingsFields) + 2 * Array(4);
        int perOutput = Object(NodePacker.OutputWords) + Object(DriverFields);
        return fixedPart + inputs * perInput + outputs * perOutput;
    }

    private static int Object(int fields) => Blob.NanoHeap.ObjectBytes(fields, Blob.NanoHeap.Esp32BlockBytes);

    private static int Array(int elementBytes) => Blob.NanoHeap.ArrayBytes(elementBytes, Blob.NanoHeap.Esp32BlockBytes);
}
