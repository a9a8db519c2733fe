using System.CommandLine;
using System.Globalization;
using QuantEdge.Compiler;
using System.Text.Json.Nodes;
using QuantEdge.Compiler.Deployment;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Node.Config;
using QuantEdge.Runtime;
using QuantEdge.Simulator;

namespace QuantEdge.Cli.Commands;

/// <summary>
/// <c>quantedge simulate</c>: a whole sensor node on the desktop — the node's own logic (QuantEdge.Node,
/// the sources the firmware runs) on a virtual board whose sensors read a trace — printing what its
/// serial console, pins and sleep would do.
/// </summary>
public static class SimulateCommand
{
    /// <summary>The slowest and fastest --speed: slower would pause for days between lines, faster is "at once".</summary>
    public const double MinSpeed = 0.01, MaxSpeed = 1_000_000;

    public static Command Create(CliContext context)
    {
        var board = NodeCommand.BoardOption();
        var model = NodeCommand.ModelOption();
        var node = CommonOptions.RequiredFile("--node", "The node: node.json (checked and packed as 'quantedge node pack' does) or a packed node.bin.", "NODE.json");
        var trace = CommonOptions.RequiredFile("--trace", "The sensor readings over time (CSV): a time_ms column, then one integer column per channel the " +
            "node reads, named adc<channel> (raw ADC counts), gpio<n> (0/1) or i2c<bus>_<address>_<register> (the register's value). A value " +
            "holds until the next row; the simulation ends at the last row, at most 100,000 sample periods after the first.", "SENSORS.csv");
        var json = CommonOptions.Json("the predictions, the pin timeline and every event");
        var speed = CommonOptions.Number("--speed", "Print the timeline at this multiple of real time, 0.01 to 1000000 (1: as the board would, 10: ten times faster); 0, the default, prints it at once.", 0);
        var command = new Command("simulate",
            "Run a sensor node on the desktop: the node's own logic (the same QuantEdge.Node sources the firmware runs, with the " +
            "device runtime) on a virtual board whose sensors read a trace. Prints what the node's serial console would: the " +
            "boot line, every prediction (a classifier's class; a regression's or anomaly score's int8 codes, then a table of the values in " +
            "their units), the GPIO and PWM timeline, deep sleeps and wakes (each wake restarts the " +
            "application, as on an ESP32, and only the state file survives). The model and node.bin are on the board's I:\\ drive; " +
            "the heap is the board's less the host's estimates of the model and the node. Virtual time passes only while the node " +
            "waits (sampling intervals, LED blinks, the sample period, sleep), not while it computes.\n\n" +
            "Example:\n  quantedge simulate --board esp32-devkitc-v4 --model model.qem --node node.json --trace sensors.csv\n" +
            "  quantedge simulate --board lolin-d32 --model model.qem --node node.bin --trace sensors.csv --json")
        {
            board, model, node, trace, json, speed,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            double pace = parse.GetValue(speed);
            if (pace != 0 && pace is not (>= MinSpeed and <= MaxSpeed))
            {
                throw new CliException($"--speed {pace.ToString(CultureInfo.InvariantCulture)}: give 0 (no pauses) or a multiple of real time from {MinSpeed.ToString(CultureInfo.InvariantCulture)} to {MaxSpeed.ToString(CultureInfo.InvariantCulture)}");
            }

            Board resolved = NodeCommand.LoadBoard(parse.GetValue(board)!);
            string modelPath = parse.GetValue(model)!, nodePath = parse.GetValue(node)!, tracePath = parse.GetValue(trace)!;
            (byte[] blob, Model device) = InputFiles.LoadBlob(modelPath);
            (byte[] nodeBin, IReadOnlyList<string> warnings) = PackedNode(nodePath, resolved, blob, modelPath);
            SensorTrace sensors = SensorTrace.Load(tracePath);
            NodeConfig config = NodeConfig.Parse(nodeBin);
            string[] missing = NodeSimulator.MissingColumns(config, sensors).ToArray();
            if (missing.Length > 0)
            {
                throw new CliException($"{tracePath}: no column {string.Join(", ", missing)}: the node reads {(missing.Length == 1 ? "it" : "them")}");
            }

            HostLimits.CheckSimulation(tracePath, sensors.EndMs, config.SamplePeriodMs);
            SimulationResult result = NodeSimulator.Run(blob, nodeBin, sensors, resolved.HeapBytes);

            // Warnings only once nothing can be refused any more: a refusal is one line on stderr.
            foreach (string warning in warnings)
            {
                context.Err.WriteLine("warning: " + warning);
            }

            if (parse.GetValue(json))
            {
                context.Out.WriteLine(ToJson(result, device, resolved, modelPath, nodePath, tracePath).ToJsonString(JsonOutput.Options));
                return;
            }

            WriteTimeline(context.Out, result, pace);
            if (device.Task != ModelTask.Classification && result.Predictions.Count > 0)
            {
                WriteValues(context.Out, result, device);
            }

            context.Out.WriteLine(Summary(result));
        }));
        return command;
    }

    /// <summary>node.bin as given, or node.json checked and packed against the board and the model, with the packer's warnings.</summary>
    public static (byte[] Bytes, IReadOnlyList<string> Warnings) PackedNode(string nodePath, Board board, byte[] blob, string modelPath)
    {
        byte[] bytes = InputFiles.ReadBytes(nodePath, HostLimits.MaxConfigBytes, "a node file");
        if (bytes.Length >= 4 && BitConverter.ToInt32(bytes, 0) == NodeFormat.Magic)
        {
            try
            {
                NodeConfig.Parse(bytes);
                return (bytes, []);
            }
            catch (NodeConfigException e)
            {
                throw new CliException($"{nodePath}: {e.Message}");
            }
        }

        NodeSpec spec = NodeCommand.Deployment(() => NodeSpecReader.Load(InputFiles.CheckedConfig(nodePath)));
        PackedNode packed = NodeCommand.Deployment(() => NodePacker.Pack(spec, board, Compiler.Blob.ModelDescription.Of(blob), modelPath));
        return (packed.Bytes, packed.Warnings);
    }

    /// <summary>The events as the serial console and a logic analyser would show them, one line each, stamped with virtual time.</summary>
    public static void WriteTimeline(TextWriter o, SimulationResult result, double speed = 0)
    {
        long shown = 0;
        foreach (SimulationEvent e in result.Events)
        {
            if (speed > 0 && e.TimeMs > shown)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds((e.TimeMs - shown) / speed));
                shown = e.TimeMs;
            }

            string kind = e.Kind switch
            {
                EventKind.Log => "console",
                EventKind.Pin or EventKind.Pwm => "pin",
                EventKind.FileWrite => "file",
                _ => "power",
            };
            o.WriteLine($"{Time(e.TimeMs),10}  {kind,-7}  {e.Text}");
        }
    }

    /// <summary>A regression's or anomaly score's predictions in the output's units (the device logs int8 codes: it has no floating point).</summary>
    private static void WriteValues(TextWriter o, SimulationResult r, Model device)
    {
        o.WriteLine();
        o.WriteLine("predictions in the outputs' units ((q - zero point) * scale, computed here; the device compares codes):");
        var table = new TextTable([.. Enumerable.Range(0, device.OutputLength).Select(i => device.GetOutputName(i) ?? $"output{i}").Prepend("time (s)")]);
        foreach (SimulatedPrediction p in r.Predictions)
        {
            table.Add([(p.TimeMs / 1000.0).ToString("0.000", CultureInfo.InvariantCulture), .. p.Outputs.Select(q => (object)DeviceRunner.Dequantize(device, q).ToString("G4", CultureInfo.InvariantCulture))]);
        }

        table.Write(o);
        o.WriteLine();
    }

    public static string Summary(SimulationResult r)
    {
        if (!r.Booted)
        {
            return $"the node did not boot (see the error above); simulated {Time(r.EndMs)}";
        }

        // A change: a new stable class, or a threshold output switching (all start off).
        int changes = r.Predictions.Zip(r.Predictions.Skip(1)).Count(p => p.First.StableClass != p.Second.StableClass || p.First.ThresholdsOn != p.Second.ThresholdsOn)
            + (r.Predictions.Count > 0 && (r.Predictions[0].StableClass >= 0 || r.Predictions[0].ThresholdsOn != 0) ? 1 : 0);
        string awake = r.Boots > 1
            ? $"{r.Boots} boots (a wake restarts the app), awake {Time(r.AwakeMs)} of {Time(r.EndMs)} ({Percent(r.AwakeMs, r.EndMs)}), the state file written {r.StateWrites} times"
            : $"awake throughout ({Time(r.EndMs)})";
        return $"simulated {Time(r.EndMs)}: {r.Predictions.Count} predictions, the outputs changed {changes} time{(changes == 1 ? "" : "s")}; {awake}";
    }

    private static JsonObject ToJson(SimulationResult r, Model device, Board board, string model, string node, string trace) => new()
    {
        ["board"] = board.Id,
        ["model"] = model,
        ["node"] = node,
        ["trace"] = trace,
        ["booted"] = r.Booted,
        ["boots"] = r.Boots,
        ["end_ms"] = r.EndMs,
        ["awake_ms"] = r.AwakeMs,
        ["state_writes"] = r.StateWrites,
        ["predictions"] = new JsonArray(r.Predictions.Select(p => (JsonNode)new JsonObject
        {
            ["t_ms"] = p.TimeMs,
            ["outputs"] = new JsonArray(p.Outputs.Select(q => (JsonNode)(int)q).ToArray()),
            ["values"] = new JsonArray(p.Outputs.Select(q => (JsonNode)DeviceRunner.Dequantize(device, q)).ToArray()),
            ["class"] = p.Class,
            ["label"] = p.Label,
            ["stable_class"] = p.StableClass,
            ["thresholds_on"] = p.ThresholdsOn,
        }).ToArray()),
        ["events"] = new JsonArray(r.Events.Select(e =>
        {
            var item = new JsonObject { ["t_ms"] = e.TimeMs, ["kind"] = e.Kind.ToString().ToLowerInvariant(), ["text"] = e.Text };
            if (e.Pin >= 0)
            {
                item["pin"] = e.Pin;
            }

            if (e.Kind is EventKind.Pin or EventKind.Pwm or EventKind.Sleep)
            {
                item["value"] = e.Value;
            }

            return (JsonNode)item;
        }).ToArray()),
    };

    private static string Time(long ms) => (ms / 1000.0).ToString("0.000", CultureInfo.InvariantCulture) + " s";

    private static string Percent(long part, long whole) => whole == 0 ? "0%" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
