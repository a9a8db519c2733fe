using System.Globalization;
using QuantEdge.Runtime.Format;

namespace QuantEdge.Compiler;

/// <summary>
/// Input past one of the <see cref="HostLimits"/>: bad input, refused before the work that would need it. The
/// message names the file (or option), the size and the limit.
/// </summary>
public sealed class LimitExceededException(string message) : Exception(message);

/// <summary>
/// Every size the host tools refuse, in one place, with the reason for each number. Each is checked before the
/// memory it bounds is allocated, from sizes known up front (file lengths, declared shapes, option values), so a
/// refusal takes milliseconds and a few megabytes however large the request.
/// </summary>
/// <remarks>
/// The device-side numbers come first: a model only exists to run on a board, so what cannot fit the largest
/// board QuantEdge targets is refused with that reason; the host-side budgets follow from them (and from a
/// workstation's memory) and keep a run of any command within about a gigabyte.
/// </remarks>
public static class HostLimits
{
    /// <summary>
    /// RAM of the largest board a model can target: an ESP32-S3 module with 8 MB of PSRAM, where nanoFramework
    /// puts the managed heap (a WROOM board without PSRAM has about 79 KB: boards/*.json). A model's weights and
    /// activations must fit in it.
    /// </summary>
    public const long LargestBoardRamBytes = 8L << 20;

    /// <summary>Flash of the largest ESP32 module (16 MB): no blob can be larger.</summary>
    public const long LargestBoardFlashBytes = 16L << 20;

    /// <summary>A blob file: it must fit the largest flash.</summary>
    public const long MaxBlobBytes = LargestBoardFlashBytes;

    /// <summary>
    /// An ONNX file: the float32 weights of a model whose int8 weights fill the largest board's RAM take 4 bytes
    /// per weight (32 MB); twice that leaves room for float64 initializers and graph overhead.
    /// </summary>
    public const long MaxOnnxBytes = 8 * LargestBoardRamBytes;

    /// <summary>
    /// ONNX nodes in a graph: four per device op (<see cref="BlobFormat.MaxOps"/>), since the importer folds
    /// BatchNormalization, bias Add/Mul, Identity, Dropout and Flatten into the ops around them. Checked before
    /// any node is converted.
    /// </summary>
    public const int MaxGraphNodes = 4 * BlobFormat.MaxOps;

    /// <summary>
    /// A CSV file (data, calibration, sensor trace). Every value is kept as a 4-byte float and takes at least two
    /// characters ("0,"), so a 256 MB file holds at most 512 MB of values.
    /// </summary>
    public const long MaxCsvBytes = 256L << 20;

    /// <summary>A node or board file (node.json, node.bin, boards/*.json): a few kilobytes in practice; 1 MB is generous.</summary>
    public const long MaxConfigBytes = 1L << 20;

    /// <summary>
    /// Memory a command may plan to use on the host for a model's values: the float executor's buffers, the
    /// calibration statistics, the trainer's parameters, gradients and Adam moments. 1 GB fits any workstation
    /// and every model that fits the largest board with room to spare.
    /// </summary>
    public const long HostMemoryBytes = 1L << 30;

    /// <summary>
    /// Host bytes per element of a value the quantizer holds: the float executor's buffer (4), the calibration
    /// statistics' sum, minimum, maximum and integral flag (17), the device plan's element order (4), and the
    /// copies the auto method and the report make (about 40).
    /// </summary>
    public const int QuantizerBytesPerElement = 64;

    /// <summary>Host bytes per value on top of that: the calibration statistics' reservoir sample (64 K floats).</summary>
    public const int QuantizerBytesPerValue = 4 << 16;

    /// <summary>
    /// The trainer holds each parameter as a float64 weight, gradient and two Adam moments, plus the exported
    /// float32 copy: 36 bytes.
    /// </summary>
    public const int TrainerBytesPerParameter = 36;

    /// <summary>
    /// Work the quantizer's auto method may spend, in multiply-accumulates: it tries each candidate range of each
    /// tensor on the whole device model over a sample of rows, so its cost grows with tensors × candidates × rows ×
    /// (the model's MACs + <see cref="AutoSearchOpCost"/> per op). Within this budget (a few seconds on one core)
    /// the sample shrinks to fit, down to <see cref="AutoSearchMinRows"/> rows; past it every tensor keeps the mse
    /// range and the result says so. A long graph therefore quantizes in time linear in its length.
    /// </summary>
    public const long AutoSearchWork = 1_500_000_000;

    /// <summary>
    /// What one device op costs the auto method beyond its MACs, counted as MACs: lowering it, loading it and
    /// running its kernel's loops (measured: a chain of 1,000 lookup ops runs about 4 million op-rows a second).
    /// </summary>
    public const int AutoSearchOpCost = 64;

    /// <summary>Fewest rows the auto method judges a candidate on.</summary>
    public const int AutoSearchMinRows = 32;

    /// <summary>
    /// Predictions a simulation makes (one per sample period over the trace): each keeps its events (console
    /// lines, pin changes) in memory, a few hundred bytes; 100,000 is 28 hours of a node predicting every second.
    /// </summary>
    public const long MaxSimulatedCycles = 100_000;

    /// <summary>Refuses a trace that would make a node predict more than <see cref="MaxSimulatedCycles"/> times.</summary>
    public static void CheckSimulation(string source, long endMs, int samplePeriodMs)
    {
        long cycles = endMs / Math.Max(1, samplePeriodMs) + 1;
        if (cycles > MaxSimulatedCycles)
        {
            throw new LimitExceededException($"{source}: the trace lasts {Count(endMs)} ms, {Count(cycles)} predictions at the node's {Count(samplePeriodMs)} ms " +
                $"period; a simulation makes at most {Count(MaxSimulatedCycles)}");
        }
    }

    /// <summary>Widest layer the trainer makes: a device tensor's dimension is at most <see cref="BlobFormat.MaxDim"/>.</summary>
    public const int MaxLayerWidth = BlobFormat.MaxDim;

    /// <summary>
    /// Refuses an MLP (layer sizes input first, classes last) whose int8 weights cannot fit the largest board's RAM,
    /// or whose training state (<see cref="TrainerBytesPerParameter"/> per parameter, plus the standardized rows)
    /// would pass <see cref="HostMemoryBytes"/>. <paramref name="what"/> names the culprit ("--hidden 4096,4096").
    /// </summary>
    public static void CheckTraining(string what, IReadOnlyList<int> sizes, int rows)
    {
        long parameters = 0;
        for (int l = 0; l + 1 < sizes.Count; l++)
        {
            parameters += (sizes[l] + 1L) * sizes[l + 1];
        }

        string shape = string.Join(" -> ", sizes.Select(s => Count(s)));
        if (parameters > LargestBoardRamBytes)
        {
            throw new LimitExceededException($"{what}: an MLP {shape} has {Count(parameters)} parameters, {Bytes(parameters)} of int8 weights; " +
                $"the largest board QuantEdge targets has {Bytes(LargestBoardRamBytes)} of RAM");
        }

        CheckHostMemory(what, parameters * TrainerBytesPerParameter + (long)rows * sizes[0] * sizeof(double), $"training an MLP {shape} on {Count(rows)} rows");
    }

    /// <summary>Refuses a file larger than <paramref name="limit"/> bytes, naming it, its size and the limit.</summary>
    public static void CheckFileSize(string path, long limit, string what)
    {
        long length;
        try
        {
            length = new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return; // whoever reads the file reports why it cannot
        }

        if (length > limit)
        {
            throw new LimitExceededException($"{path}: {Bytes(length)}; {what} may be at most {Bytes(limit)}");
        }
    }

    /// <summary>Refuses <paramref name="bytes"/> of planned host memory past <see cref="HostMemoryBytes"/>.</summary>
    public static void CheckHostMemory(string source, long bytes, string what)
    {
        if (bytes > HostMemoryBytes)
        {
            throw new LimitExceededException($"{source}: {what} needs about {Bytes(bytes)} of memory on this computer; the limit is {Bytes(HostMemoryBytes)}");
        }
    }

    /// <summary>
    /// Refuses a float graph that no board can run or that would take more than <see cref="HostMemoryBytes"/> to
    /// quantize, from its shapes alone (nothing is allocated): a value larger than a device tensor
    /// (<see cref="BlobFormat.MaxTensorElements"/> elements), weights plus the largest layer's activations past
    /// <see cref="LargestBoardRamBytes"/> (one byte per int8 element: a lower bound of the device's RAM), and the
    /// quantizer's host memory (<see cref="QuantizerBytesPerElement"/> per value element, <see cref="QuantizerBytesPerValue"/>
    /// per value).
    /// </summary>
    public static void CheckModel(Graph.ModelGraph graph, string source)
    {
        long weights = 0, elements = 0, largestLayer = 0;
        string? largestAt = null;
        foreach (Graph.GraphValue input in graph.Inputs)
        {
            elements += CheckValue(input.Name, input.Shape, $"graph input '{input.Name}'", source);
        }

        foreach (Graph.Node node in graph.Nodes)
        {
            long output = CheckValue(node.Output, node.OutputShape, $"the output of node '{node.Name}' ({node.OpName})", source);
            elements += output;
            weights += node switch
            {
                Graph.IOutputChannelLayer weighted => weighted.Weights.Data.Length + 4L * weighted.Bias.Length,
                Graph.ElementwiseBinary { Constant: { } constant } => constant.Data.Length,
                _ => 0,
            };
            long layer = output + node.Inputs.Sum(i => ElementCount(graph.ShapeOf(i)));
            if (layer > largestLayer)
            {
                (largestLayer, largestAt) = (layer, node.Name);
            }
        }

        if (weights + largestLayer > LargestBoardRamBytes)
        {
            throw new LimitExceededException($"{source}: the model needs at least {Bytes(weights + largestLayer)} of RAM on a device (int8 weights {Bytes(weights)} " +
                $"+ activations {Bytes(largestLayer)} at node '{largestAt}'); the largest board QuantEdge targets has {Bytes(LargestBoardRamBytes)}");
        }

        CheckHostMemory(source, elements * QuantizerBytesPerElement + (graph.Nodes.Count + graph.Inputs.Count) * (long)QuantizerBytesPerValue, "quantizing this model");
    }

    private static long CheckValue(string name, int[] shape, string what, string source)
    {
        long count = ElementCount(shape);
        if (count > BlobFormat.MaxTensorElements)
        {
            throw new LimitExceededException($"{source}: value '{name}' ({what}, shape [{string.Join(", ", shape)}]) holds {Count(count)} elements; " +
                $"a device tensor holds at most {Count(BlobFormat.MaxTensorElements)}");
        }

        return count;
    }

    private static long ElementCount(int[] shape)
    {
        long count = 1;
        foreach (int d in shape)
        {
            count = Math.Min(count * d, long.MaxValue / int.MaxValue);
        }

        return count;
    }

    /// <summary>"1.5 GB", "640 KB", "12 B" (powers of 1024, as the limits are).</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : value.ToString(value < 10 ? "0.#" : "0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>A count with thousands separators.</summary>
    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
