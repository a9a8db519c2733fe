using System.Text.Json;

namespace QuantEdge.DeviceTest.Generation;

/// <summary>
/// The CMSIS-NN int8 test sets (tests/QuantEdge.Runtime.Tests/Vectors/cmsis-nn, Apache-2.0, Arm;
/// JSON) as one data file per kernel type. Each set becomes a record named after its file, with the
/// parameters the runtime's kernels take as fields (JSON names kept) and its arrays; per-tensor
/// multipliers and shifts are expanded to one per channel and a null bias to zeros, so the device
/// side only maps fields to kernel parameters.
/// </summary>
public static class CmsisCases
{
    /// <summary>One kernel type: the vector folder, the resource it becomes, and its schema.</summary>
    public sealed record Kind(string Folder, string Resource, string[] Fields, string[] Arrays);

    private static readonly string[] ConvolutionFields =
    [
        "batches", "input_h", "input_w", "in_ch", "output_h", "output_w", "out_ch", "filter_h", "filter_w",
        "stride_h", "stride_w", "dilation_h", "dilation_w", "pad_top", "pad_left",
        "input_zero_point", "output_zero_point", "activation_min", "activation_max",
    ];

    private static readonly string[] WeightedArrays = ["input", "weights", "bias", "output_multiplier", "output_shift", "expected_output"];

    private static readonly string[] PoolFields =
    [
        "batches", "input_h", "input_w", "channels", "output_h", "output_w", "filter_h", "filter_w",
        "stride_h", "stride_w", "pad_top", "pad_left", "activation_min", "activation_max",
    ];

    public static readonly Kind[] Kinds =
    [
        new("fully_connected", "CmsisFullyConnected",
            ["batches", "accumulation_depth", "out_ch", "input_zero_point", "filter_zero_point", "output_zero_point", "activation_min", "activation_max"],
            WeightedArrays),
        new("conv", "CmsisConv2D", ConvolutionFields, WeightedArrays),
        new("depthwise_conv", "CmsisDepthwiseConv2D", [.. ConvolutionFields, "ch_mult"], WeightedArrays),
        new("avgpool", "CmsisAveragePool2D", PoolFields, ["input", "expected_output"]),
        new("maxpool", "CmsisMaxPool2D", PoolFields, ["input", "expected_output"]),
        new("softmax", "CmsisSoftmax", ["num_rows", "row_size", "input_multiplier", "input_left_shift", "diff_min"], ["input", "expected_output"]),
        new("add", "CmsisAdd",
            ["size", "input1_zero_point", "input2_zero_point", "output_zero_point", "left_shift", "input1_multiplier", "input1_shift",
             "input2_multiplier", "input2_shift", "output_multiplier", "output_shift", "activation_min", "activation_max"],
            ["input1", "input2", "expected_output"]),
        new("mul", "CmsisMul",
            ["size", "input1_zero_point", "input2_zero_point", "output_zero_point", "output_multiplier", "output_shift", "activation_min", "activation_max"],
            ["input1", "input2", "expected_output"]),
    ];

    /// <summary>Arrays held as int32 (the rest are int8).</summary>
    private static readonly HashSet<string> Int32Arrays = ["bias", "output_multiplier", "output_shift"];

    /// <summary>The data file of one kernel type: every set in its folder, in ordinal file-name order.</summary>
    public static byte[] Build(string vectorsFolder, Kind kind) => Writer(vectorsFolder, kind).ToBytes();

    /// <summary>Number of sets of a kernel type.</summary>
    public static int Count(string vectorsFolder, Kind kind) => Files(vectorsFolder, kind).Length;

    private static DataFileWriter Writer(string vectorsFolder, Kind kind)
    {
        var file = new DataFileWriter(kind.Fields, kind.Arrays);
        foreach (string path in Files(vectorsFolder, kind))
        {
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
            JsonElement root = json.RootElement;
            JsonElement parameters = root.GetProperty("params");
            int[] fields = kind.Fields.Select(name => parameters.GetProperty(name).GetInt32()).ToArray();
            int channels = parameters.TryGetProperty("out_ch", out JsonElement outCh) ? outCh.GetInt32() : 0;
            Array[] arrays = kind.Arrays.Select(name => KernelArray(root, name, channels)).ToArray();
            file.Add(Path.GetFileNameWithoutExtension(path), fields, arrays);
        }

        return file;
    }

    private static string[] Files(string vectorsFolder, Kind kind) =>
        Directory.GetFiles(Path.Combine(vectorsFolder, kind.Folder), "*.json").Order(StringComparer.Ordinal).ToArray();

    /// <summary>An array as the kernels take it: per-channel int32 arrays one value per channel (a null bias is zeros).</summary>
    private static Array KernelArray(JsonElement root, string name, int channels)
    {
        bool present = root.TryGetProperty(name, out JsonElement element) && element.ValueKind != JsonValueKind.Null;
        int[] values = present ? element.EnumerateArray().Select(e => e.GetInt32()).ToArray() : new int[channels];
        if (!Int32Arrays.Contains(name))
        {
            return values.Select(v => checked((sbyte)v)).ToArray();
        }

        if (values.Length == 1 && channels > 1)
        {
            values = Enumerable.Repeat(values[0], channels).ToArray();
        }

        if (values.Length != channels)
        {
            throw new InvalidDataException($"{name}: {values.Length} values for {channels} channels");
        }

        return values;
    }
}
