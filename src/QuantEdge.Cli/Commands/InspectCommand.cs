using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime;

namespace QuantEdge.Cli.Commands;

/// <summary><c>quantedge inspect</c>: what a blob holds and what it costs on the device.</summary>
public static class InspectCommand
{
    public const string RamEstimateNote =
        "device_ram_bytes = weights_bytes (weights as laid out in RAM) + arena_bytes + runtime_objects_bytes (the runtime's own " +
        "objects): an estimate of the managed heap the loaded model keeps on an ESP32, from a model of nanoCLR's heap applied to " +
        "the objects the loader builds (12-byte heap blocks: an object takes one block plus one per field, an array one block " +
        "plus 8 bytes of header then its elements, a string one block plus its bytes, each rounded up to whole blocks). With the " +
        "24-byte blocks of the 64-bit nanoCLR interpreter the same model gives the heap measured there to the byte. Not counted: " +
        "the blob (streamed layers read their weights from it, as from flash: streamed_weight_bytes; their shared row buffer, " +
        "stream_buffer_bytes, is in runtime_objects_bytes), code and type metadata.";

    public static Command Create(CliContext context)
    {
        var model = CommonOptions.Model("The model blob (.qem) written by 'quantedge quantize'.");
        var json = CommonOptions.Json("the description");
        var command = new Command("inspect",
            "Describe a model blob: its task (classification, regression, anomaly), its layers (op, input and output shapes, parameters such as strides, pads, zero points " +
            "and clamps, MACs, weight layout), its input features (name, unit, scale, zero point: what a device needs to " +
            "feed raw sensor values), its output names (a classifier's class labels), and memory totals. The blob is validated by the device loader " +
            "first and its golden vector is run (self-test).\n\n" + RamEstimateNote + "\n\n" +
            "Example:\n  quantedge inspect model.qem\n  quantedge inspect model.qem --json")
        {
            model, json,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            string path = parse.GetValue(model)!;
            (byte[] blob, _) = InputFiles.LoadBlob(path);
            ModelDescription description = ModelDescription.Of(blob);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(ToJson(path, description).ToJsonString(JsonOutput.Options));
            }
            else
            {
                WriteText(context.Out, path, description);
            }
        }));
        return command;
    }

    public static JsonObject ToJson(string path, ModelDescription d) => new()
    {
        ["model"] = path,
        ["name"] = d.Name,
        ["format_version"] = $"{d.VersionMajor}.{d.VersionMinor}",
        ["self_test"] = d.SelfTestPasses,
        ["blob_bytes"] = d.BlobBytes,
        ["weights_bytes"] = d.WeightsBytes,
        ["arena_bytes"] = d.ArenaBytes,
        ["runtime_objects_bytes"] = d.RuntimeObjectBytes,
        ["device_ram_bytes"] = d.DeviceRamBytes,
        ["streamed_weight_bytes"] = d.StreamedWeightBytes,
        ["stream_buffer_bytes"] = d.StreamBufferBytes,
        ["device_ram_note"] = RamEstimateNote,
        ["macs"] = d.Macs,
        ["inputs"] = new JsonArray(d.Inputs.Select(f => (JsonNode)new JsonObject
        {
            ["index"] = f.Index,
            ["name"] = f.Name,
            ["unit_exponent"] = f.UnitExponent,
            ["raw_offset"] = f.RawOffset,
            ["scale"] = f.Scale,
            ["zero_point"] = f.ZeroPoint,
        }).ToArray()),
        ["output"] = new JsonObject
        {
            ["shape"] = JsonOutput.Array(d.OutputShape),
            ["scale"] = d.OutputScale,
            ["zero_point"] = d.OutputZeroPoint,
        },
        ["task"] = ModelTasks.Name(d.Task),
        [d.Task == ModelTask.Classification ? "classes" : "output_names"] = new JsonArray(d.OutputNames.Select(l => (JsonNode?)l).ToArray()),
        ["layers"] = new JsonArray(d.Layers.Select(l => (JsonNode)new JsonObject
        {
            ["index"] = l.Index,
            ["op"] = l.Op,
            ["input_shapes"] = new JsonArray(l.InputShapes.Select(s => (JsonNode)JsonOutput.Array(s)).ToArray()),
            ["output_shape"] = JsonOutput.Array(l.OutputShape),
            ["parameters"] = new JsonObject(l.Parameters.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)p.Value))),
            ["data"] = new JsonObject(l.Data.Select(r => KeyValuePair.Create(r.Name, (JsonNode?)new JsonObject { ["offset"] = r.Offset, ["bytes"] = r.Length }))),
            ["macs"] = l.Macs,
            ["weight_layout"] = l.WeightLayout.ToString(),
            ["weight_bytes"] = l.WeightBytes,
            ["streamed_weight_bytes"] = l.StreamedBytes,
            ["ram_bytes"] = l.RamBytes,
        }).ToArray()),
    };

    public static void WriteText(TextWriter o, string path, ModelDescription d)
    {
        o.WriteLine($"{path}: model '{d.Name}' ({ModelTasks.Name(d.Task)}), format {d.VersionMajor}.{d.VersionMinor}, self-test {(d.SelfTestPasses ? "passes" : "FAILS")}");
        o.WriteLine();
        new TextTable("blob", "weights (RAM)", "arena", "runtime objects (est.)", "device RAM (est.)", "MACs")
            .Add(Bytes(d.BlobBytes), Bytes(d.WeightsBytes), Bytes(d.ArenaBytes), Bytes(d.RuntimeObjectBytes), Bytes(d.DeviceRamBytes), d.Macs.ToString("N0", CultureInfo.InvariantCulture))
            .Write(o);
        if (d.StreamedWeightBytes > 0)
        {
            o.WriteLine($"Streamed: {Bytes(d.StreamedWeightBytes)} of weights stay in flash and are read during Invoke through one row buffer of {Bytes(d.StreamBufferBytes)} (in runtime objects).");
        }

        o.WriteLine();
        o.WriteLine("Inputs: pass raw value = real value / 10^unit to SetRawInput; the device computes q = (raw - offset) * 10^unit / scale + zero point.");
        var inputs = new TextTable("#", "feature", "unit", "offset", "scale", "zero point");
        // Unnamed inputs sharing rules (an image: one for all, or one per channel) show each stored rule once.
        bool shared = d.InputRuleCount < d.Inputs.Count && d.Inputs.All(f => f.Name is null);
        foreach (FeatureDescription f in shared ? d.Inputs.Take(d.InputRuleCount) : d.Inputs)
        {
            string index = !shared ? f.Index.ToString(CultureInfo.InvariantCulture)
                : d.InputRuleCount == 1 ? $"0-{d.Inputs.Count - 1}"
                : $"{f.Index}, {f.Index + d.InputRuleCount}, ... (every {d.InputRuleCount})";
            inputs.Add(index, f.Name ?? "", $"10^{f.UnitExponent}", f.RawOffset, f.Scale.ToString("G6", CultureInfo.InvariantCulture), f.ZeroPoint);
        }

        inputs.Write(o);
        o.WriteLine();
        o.WriteLine("Layers:");
        var layers = new TextTable("#", "op", "input", "output", "MACs", "layout", "weights", "RAM (est.)", "parameters");
        foreach (LayerDescription l in d.Layers)
        {
            string layout = l.StreamedBytes > 0 || l.WeightBytes > 0 ? l.WeightLayout.ToString() : "";
            string weights = l.StreamedBytes > 0 ? $"{l.StreamedBytes} (flash)" : l.WeightBytes.ToString(CultureInfo.InvariantCulture);
            layers.Add(l.Index, l.Op, string.Join(" ", l.InputShapes.Select(Shape)), Shape(l.OutputShape), l.Macs, layout,
                weights, l.RamBytes, string.Join(" ", l.Parameters.Select(p => $"{p.Name}={p.Value}")));
        }

        layers.Write(o);
        o.WriteLine();
        string offset = d.OutputZeroPoint < 0 ? $"q + {-d.OutputZeroPoint}" : $"q - {d.OutputZeroPoint}";
        o.WriteLine($"Output {Shape(d.OutputShape)}: real = ({offset}) * {d.OutputScale.ToString("G6", CultureInfo.InvariantCulture)}");
        string names = d.OutputNames.All(l => l == null) ? "(no names in the blob)" : string.Join(", ", d.OutputNames.Select((l, i) => $"{i} {l}"));
        o.WriteLine(d.Task == ModelTask.Classification ? "Classes: " + names : $"Task: {ModelTasks.Name(d.Task)}; outputs: {names}");
    }

    private static string Bytes(int bytes) => CommonOptions.Bytes(bytes) + " B";

    private static string Shape(int[] dims) => "[" + string.Join("x", dims) + "]";
}
