using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using QuantEdge.Cli.Output;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Deployment;

namespace QuantEdge.Cli.Commands;

/// <summary>
/// <c>quantedge node</c>: a model plus its wiring for a sensor node. <c>node init</c> writes a starter
/// node.json, <c>node pack</c> checks a node.json against a board and the model and writes node.bin
/// (docs/node-format.md). The work is in QuantEdge.Compiler.Deployment; this is the command line.
/// </summary>
public static class NodeCommand
{
    /// <summary>The bundled board files, copied next to the tool from the repository's boards/ folder.</summary>
    public static string BoardsFolder => Path.Combine(AppContext.BaseDirectory, "boards");

    internal const string BoardHelp =
        "The board: a board file (boards/*.json format), or the name of a bundled board: esp32-devkitc-v4, lolin-d32, " +
        "m5stickc-plus, esp32-s3-devkitc-1, esp32-c3-devkitm-1.";

    public static Command Create(CliContext context)
    {
        var command = new Command("node",
            "Put a model on a sensor node: which sensor feeds each model input, which class drives which pin, the status " +
            "LED, the sample period and sleep. 'node init' writes a starter node.json for a model and a board; edit it, then " +
            "'node pack' checks it against the board and the model and writes node.bin, the file the node firmware reads " +
            "(format: docs/node-format.md).\n\n" +
            "Example:\n  quantedge node init --board lolin-d32 --model model.qem --out node.json\n" +
            "  quantedge node pack node.json --board lolin-d32 --model model.qem --out node.bin");
        command.Subcommands.Add(CreatePack(context));
        command.Subcommands.Add(CreateInit(context));
        return command;
    }

    private static Command CreatePack(CliContext context)
    {
        var node = new Argument<string>("NODE") { Description = "The node description (node.json, docs/node-format.md)." };
        var board = BoardOption();
        var model = ModelOption();
        var output = CommonOptions.RequiredFile("--out", "Where to write node.bin (- for standard output; the summary then goes to stderr).", "NODE.bin");
        var json = CommonOptions.Json("the summary");
        var command = new Command("pack",
            "Check a node.json against a board and a model and write node.bin. Refused (exit 2, one line naming node.json and " +
            "the field): unknown, missing or wrongly typed fields, values out of range, an input count or feature name that " +
            "differs from the model's, an unknown class, a GPIO or ADC channel the board does not have, an ADC2 channel with " +
            "Wi-Fi, an input-only GPIO as an output, a pin used twice, a scaling that overflows, and a node that does not fit " +
            "the board's RAM: the model's device RAM + the node's own objects (estimates) against the board's heap less a " +
            "headroom of a quarter of the heap, at least 12 KiB. Strapping pins and a board without an LED are warnings " +
            "(stderr, 'warning:').\n\n" +
            "Example:\n  quantedge node pack node.json --board lolin-d32 --model model.qem --out node.bin\n" +
            "  quantedge node pack node.json --board ./my-board.json --model model.qem --out node.bin --json")
        {
            node, board, model, output, json,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            string nodePath = parse.GetValue(node)!, modelPath = parse.GetValue(model)!;
            var outputs = new OutputPlan(context);
            PlannedOutput binFile = outputs.File(parse.GetValue(output), "--out", stream: true);
            outputs.Input(nodePath, modelPath);
            Board resolved = LoadBoard(parse.GetValue(board)!);
            outputs.Input(resolved.File);
            (byte[] blob, _) = InputFiles.LoadBlob(modelPath);
            ModelDescription description = ModelDescription.Of(blob);
            NodeSpec spec = Deployment(() => NodeSpecReader.Load(InputFiles.CheckedConfig(nodePath)));
            PackedNode packed = Deployment(() => NodePacker.Pack(spec, resolved, description, modelPath));
            binFile.Set(packed.Bytes);
            outputs.Commit();
            foreach (string warning in packed.Warnings)
            {
                context.Err.WriteLine("warning: " + warning);
            }

            if (parse.GetValue(json))
            {
                outputs.Messages.WriteLine(ToJson(binFile.Shown, spec, resolved, modelPath, packed).ToJsonString(JsonOutput.Options));
            }
            else
            {
                WriteSummary(outputs.Messages, binFile.Shown, spec, resolved, modelPath, packed);
            }
        }));
        return command;
    }

    private static Command CreateInit(CliContext context)
    {
        var board = BoardOption();
        var model = ModelOption();
        var output = new Option<string>("--out")
        {
            Description = "Where to write the starter node.json (- for standard output; the summary then goes to stderr).",
            DefaultValueFactory = _ => "node.json",
            HelpName = "NODE.json",
        };
        var force = new Option<bool>("--force") { Description = "Overwrite the output file if it exists (by default an existing file is kept)." };
        var command = new Command("init",
            "Write a starter node.json for a model on a board, one that 'node pack' accepts as it is: one ADC input per model " +
            "feature on the board's free ADC1 channels (not ADC2, strapping, LED, button, I2C or battery pins), 16 samples " +
            "averaged, scaled so that 0..4095 spans the feature's calibrated range until you enter your sensor's calibration; " +
            "when those channels run out, constants at the middle of the feature's calibrated range, to replace with sensors. " +
            "Outputs on free pins when the board has enough: one on/off output per class; a regression's values as PWM over their " +
            "int8 range; an anomaly score's on/off output with placeholder thresholds. The board's LED as status LED, a " +
            "prediction every second, hysteresis 3. It prints what went where.\n\n" +
            "Example:\n  quantedge node init --board lolin-d32 --model model.qem\n" +
            "  quantedge node init --board esp32-c3-devkitm-1 --model model.qem --out c3-node.json")
        {
            board, model, output, force,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            string modelPath = parse.GetValue(model)!;
            var outputs = new OutputPlan(context);
            PlannedOutput jsonFile = outputs.File(parse.GetValue(output), "--out", stream: true, overwrite: parse.GetValue(force), force: "--force");
            string target = jsonFile.Shown;
            outputs.Input(modelPath);
            Board resolved = LoadBoard(parse.GetValue(board)!);
            outputs.Input(resolved.File);
            (byte[] blob, _) = InputFiles.LoadBlob(modelPath);
            ModelDescription description = ModelDescription.Of(blob);
            StarterNode starter = Deployment(() => NodeStarter.Create(resolved, description));

            // The starter must pack as it is: check it exactly as 'node pack' will before writing it.
            PackedNode packed = Deployment(() => NodePacker.Pack(NodeSpecReader.Parse(target, starter.Json), resolved, description, modelPath));
            jsonFile.SetText(starter.Json);
            outputs.Commit();
            foreach (string warning in packed.Warnings)
            {
                context.Err.WriteLine("warning: " + warning);
            }

            TextWriter o = outputs.Messages;
            o.WriteLine($"wrote {target}: a starter node for {Path.GetFileName(modelPath)} on {resolved.Id} ({resolved.Name})");
            foreach (string choice in starter.Choices)
            {
                o.WriteLine("  " + choice);
            }

            o.WriteLine($"RAM (estimates): {RamLine(packed, resolved)}");
            o.WriteLine($"next: edit {target}, then quantedge node pack {target} --board {resolved.Id} --model {modelPath} --out node.bin");
        }));
        return command;
    }

    internal static Option<string> BoardOption() => CommonOptions.RequiredFile("--board", BoardHelp, "BOARD");

    internal static Option<string> ModelOption() => CommonOptions.RequiredFile("--model", "The model blob (.qem) written by 'quantedge quantize'.", "MODEL.qem");

    internal static Board LoadBoard(string board) => Deployment(() => BoardLoader.Resolve(board, BoardsFolder));

    /// <summary>Deployment files' problems are bad input: one line naming the file and the field.</summary>
    internal static T Deployment<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (DeploymentFileException e)
        {
            throw new CliException(e.Message);
        }
    }

    private static void WriteSummary(TextWriter o, string target, NodeSpec spec, Board board, string modelPath, PackedNode packed)
    {
        o.WriteLine($"wrote {target} ({CommonOptions.Bytes(packed.Bytes.Length)} bytes): {Path.GetFileName(modelPath)} on {board.Id} ({board.Name}, firmware {board.FirmwareTarget})");
        o.WriteLine("inputs:");
        var inputs = new TextTable("#", "feature", "source", "scaling");
        foreach (PackedInput input in packed.Inputs)
        {
            NodeInput given = spec.Inputs[input.Index];
            inputs.Add(input.Index, input.Feature ?? "", Source(input.Source, board), Scaling(given, input));
        }

        inputs.Write(o);
        if (packed.Outputs.Count == 0)
        {
            o.WriteLine("outputs: none");
        }
        else
        {
            o.WriteLine("outputs:");
            var outputs = new TextTable("follows", "pin", "drive");
            foreach (PackedOutput output in packed.Outputs)
            {
                NodeOutput n = output.Output;
                string level = $"active {(n.ActiveLow ? "low" : "high")}";
                outputs.Add((output.ClassLabel is { Length: > 0 } label ? $"{output.ClassIndex} {label}" : $"{output.ClassIndex}") + (n.OfValue ? " (value)" : ""),
                    $"GPIO{n.Gpio}",
                    n switch
                    {
                        { OfValue: true, IsPwm: true } => $"PWM {Number(n.PwmFrequencyHz!.Value)} Hz, duty 0% at {n.From} .. 100% at {n.To} (codes {(short)output.Word5} .. {output.Word5 >> 16})",
                        { OfValue: true } => $"on at {n.On} (code {output.Word4}), off at {n.Off} (code {output.Word5}), {level}",
                        { IsPwm: true } => $"PWM {Number(n.PwmFrequencyHz!.Value)} Hz, duty = class score",
                        _ => $"on while stable, {level}",
                    });
            }

            outputs.Write(o);
        }

        PackedStatusLed led = packed.StatusLed;
        o.WriteLine("status LED: " + (led.Gpio < 0 ? "none" :
            $"GPIO{led.Gpio}{(led.IsBoardLed ? " (the board's)" : "")}, active {(led.ActiveLow ? "low" : "high")}{(spec.Heartbeat ? ", heartbeat" : "")}"));
        o.WriteLine($"every {Number(spec.SamplePeriodMs)} ms, hysteresis {spec.Hysteresis}, {(spec.DeepSleep ? "deep sleep between predictions" : "awake between predictions")}{(spec.Wifi ? ", Wi-Fi" : "")}");
        o.WriteLine($"RAM (estimates): {RamLine(packed, board)}");
    }

    private static string RamLine(PackedNode p, Board board) =>
        $"model {Number(p.ModelRamBytes)} B + node {Number(p.NodeRamBytes)} B = {Number(p.TotalRamBytes)} B of {board.Id}'s " +
        $"{Number(p.HeapBytes)} B heap{(board.HeapEstimated ? " (estimated)" : "")} less {Number(p.HeadroomBytes)} B headroom: " +
        $"{Number(p.RamLimitBytes - p.TotalRamBytes)} B to spare";

    private static string Source(InputSource source, Board board) => source switch
    {
        AdcSource adc => $"ADC channel {adc.Channel} (GPIO{board.Adc[adc.Channel]}){Sampling(adc.Sampling)}",
        DigitalSource d => $"GPIO{d.Gpio}{(d.Pull == PinPull.None ? "" : $" pull-{d.Pull.ToString().ToLowerInvariant()}")}{Sampling(d.Sampling)}",
        I2cSource i => $"I2C bus {i.Bus} 0x{i.Address:X2} register 0x{i.Register:X2}, {i.Bytes} byte{(i.Bytes > 1 ? "s" : "")}" +
            $"{(i.Bytes > 1 ? (i.BigEndian ? " big-endian" : " little-endian") : "")}{(i.Signed ? " signed" : "")}{Sampling(i.Sampling)}",
        ConstantSource c => $"constant {c.Value.ToString(CultureInfo.InvariantCulture)}",
        _ => "",
    };

    private static string Sampling(Sampling s) => s.Samples == 1 ? "" :
        $", {s.Statistic.ToString().ToLowerInvariant()} of {s.Samples} samples {s.IntervalMs} ms apart";

    private static string Scaling(NodeInput given, PackedInput input)
    {
        string unit = $"10^{input.UnitExponent}";
        if (input.Source is ConstantSource)
        {
            return $"raw {Number(input.Scaling.RawOffset)} x {unit}";
        }

        string real = $"x {given.Scale.ToString("G6", CultureInfo.InvariantCulture)}" +
            (given.Offset == 0 ? "" : $" {(given.Offset < 0 ? "-" : "+")} {Math.Abs(given.Offset).ToString("G6", CultureInfo.InvariantCulture)}");
        return $"{real} -> raw in {unit} (x {input.Scaling.Multiplier} >> {input.Scaling.Shift}{(input.Scaling.RawOffset == 0 ? "" : $", {input.Scaling.RawOffset:+#;-#}")})";
    }

    private static JsonObject ToJson(string target, NodeSpec spec, Board board, string modelPath, PackedNode p) => new()
    {
        ["node_bin"] = target,
        ["bytes"] = p.Bytes.Length,
        ["board"] = board.Id,
        ["model"] = modelPath,
        ["inputs"] = new JsonArray(p.Inputs.Select(i => (JsonNode)new JsonObject
        {
            ["index"] = i.Index,
            ["feature"] = i.Feature,
            ["source"] = Source(i.Source, board),
            ["unit_exponent"] = i.UnitExponent,
            ["multiplier"] = i.Scaling.Multiplier,
            ["shift"] = i.Scaling.Shift,
            ["raw_offset"] = i.Scaling.RawOffset,
        }).ToArray()),
        ["outputs"] = new JsonArray(p.Outputs.Select(o => (JsonNode)new JsonObject
        {
            ["class_index"] = o.ClassIndex,
            ["class"] = o.ClassLabel,
            ["follows"] = o.Output.OfValue ? "value" : "class",
            ["gpio"] = o.Output.Gpio,
            ["pwm_frequency_hz"] = o.Output.PwmFrequencyHz,
            ["active_low"] = o.Output.ActiveLow,
            ["on"] = o.Output.On,
            ["off"] = o.Output.Off,
            ["from"] = o.Output.From,
            ["to"] = o.Output.To,
        }).ToArray()),
        ["status_led_gpio"] = p.StatusLed.Gpio,
        ["sample_period_ms"] = spec.SamplePeriodMs,
        ["deep_sleep"] = spec.DeepSleep,
        ["model_ram_bytes"] = p.ModelRamBytes,
        ["node_ram_bytes"] = p.NodeRamBytes,
        ["heap_bytes"] = p.HeapBytes,
        ["headroom_bytes"] = p.HeadroomBytes,
        ["warnings"] = new JsonArray(p.Warnings.Select(w => (JsonNode?)w).ToArray()),
    };

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
