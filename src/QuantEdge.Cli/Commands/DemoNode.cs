using System.Globalization;
using System.Text;
using QuantEdge.Cli.Output;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Deployment;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Simulator;

namespace QuantEdge.Cli.Commands;

/// <summary>What the demo's simulated sensor node did, for the console and the report.</summary>
public sealed record DemoNodeResult(string Board, string[] Classes, int[] OutputGpios, SimulationResult Simulation, int[] TrueClasses, int NodeCorrect, int ModelCorrect, int NodeAgrees,
    IReadOnlyList<string> Files)
{
    public int Flowers => TrueClasses.Length;
}

/// <summary>The files the demo's node writes: the iris model, node.json, node.bin and the sensor trace.</summary>
public sealed record DemoNodeFiles(PlannedOutput Model, PlannedOutput Node, PlannedOutput NodeBin, PlannedOutput Trace);

/// <summary>
/// The second half of <c>quantedge demo</c>: the firmware's sample node (src/QuantEdge.Firmware/node.json:
/// the iris MLP on an ESP32-DevKitC, four analog sensors, one LED per class) simulated on a sensor
/// trace made from the held-out iris flowers: each flower's four measurements (cm) become the ADC counts
/// the node's scaling maps back to them (count = round(cm / scale)), held for <see cref="SecondsPerFlower"/>
/// seconds, so that the node's hysteresis settles on each flower before the next one comes.
/// </summary>
public static class DemoNode
{
    public const string ModelFile = "iris-mlp.onnx", TrainFile = "iris_train.csv", TestFile = "iris_test.csv", NodeFile = "node.json";
    public const string BoardName = "esp32-devkitc-v4";
    public const int SecondsPerFlower = 3;

    public static readonly string[] IrisClasses = ["setosa", "versicolor", "virginica"];

    /// <summary>The files the node half of the demo writes into the demo's folder.</summary>
    public static DemoNodeFiles Plan(PlannedFolder folder) =>
        new(folder.File("iris-mlp.qem"), folder.File(NodeFile), folder.File("node.bin"), folder.File("iris-sensors.csv"));

    public static DemoNodeResult Run(string folder, DemoNodeFiles output, OutputPlan outputs)
    {
        Dataset train = InputFiles.LoadCsv(Path.Combine(folder, TrainFile), Dataset.DefaultLabel);
        Dataset test = InputFiles.LoadCsv(Path.Combine(folder, TestFile), Dataset.DefaultLabel);
        byte[] blob = Quantizer.Quantize(InputFiles.LoadOnnx(Path.Combine(folder, ModelFile)), train,
            new QuantizeOptions { ModelName = "iris-mlp", OutputNames = IrisClasses }).Blob;
        Board board = NodeCommand.LoadBoard(BoardName);
        outputs.Input(board.File);
        string nodeJson = Path.Combine(folder, NodeFile);
        NodeSpec spec = NodeCommand.Deployment(() => NodeSpecReader.Load(nodeJson));
        PackedNode packed = NodeCommand.Deployment(() => NodePacker.Pack(spec, board, ModelDescription.Of(blob), ModelFile));

        string traceCsv = Trace(test, spec);
        output.Model.Set(blob);
        output.Node.Set(File.ReadAllBytes(nodeJson));
        output.NodeBin.Set(packed.Bytes);
        output.Trace.SetText(traceCsv);
        var files = new List<string> { output.Model.Path, output.Node.Path, output.NodeBin.Path, output.Trace.Path };

        SimulationResult simulation = NodeSimulator.Run(blob, packed.Bytes, SensorTrace.Parse(traceCsv, output.Trace.Path), board.HeapBytes);

        // A flower counts as recognised when the LEDs show its true class at the end of its window; the
        // int8 model alone is run on the same readings, scaled by the device's own code.
        var model = Runtime.Model.Load(blob);
        Node.Config.InputConfig[] scaling = Node.Config.NodeConfig.Parse(packed.Bytes).Inputs;
        int nodeCorrect = 0, modelCorrect = 0, agrees = 0;
        for (int row = 0; row < test.Count; row++)
        {
            long windowEnd = (row + 1) * SecondsPerFlower * 1000L;
            SimulatedPrediction? last = simulation.Predictions.LastOrDefault(p => p.TimeMs < windowEnd);
            int shown = last?.StableClass ?? -1;
            nodeCorrect += shown == test.Labels![row] ? 1 : 0;
            for (int k = 0; k < spec.Inputs.Count; k++)
            {
                model.SetRawInput(k, scaling[k].Scale(Reading(test.Features[row][k], spec.Inputs[k])));
            }

            model.Invoke();
            modelCorrect += model.ArgMax() == test.Labels![row] ? 1 : 0;
            agrees += model.ArgMax() == shown ? 1 : 0;
        }

        int[] gpios = packed.Outputs.OrderBy(o => o.ClassIndex).Select(o => o.Output.Gpio).ToArray();
        return new DemoNodeResult(board.Id, IrisClasses, gpios, simulation, test.Labels!, nodeCorrect, modelCorrect, agrees, files);
    }

    public static void Print(TextWriter o, DemoNodeResult r)
    {
        o.WriteLine($"Sensor node (simulated): the firmware's sample node on {r.Board}: iris MLP, 4 analog sensors, an LED per class");
        o.WriteLine($"  {r.Flowers} held-out flowers as a sensor trace, {SecondsPerFlower} s each: at the end of each, the node's LEDs showed the " +
            $"int8 model's class for {r.NodeAgrees} and the true class for {r.NodeCorrect} (the int8 model on the same readings: {r.ModelCorrect})");
        o.WriteLine("  " + SimulateCommand.Summary(r.Simulation));
        o.WriteLine($"  replay it: quantedge simulate --board {r.Board} --model {r.Files[0]} --node {r.Files[1]} --trace {r.Files[3]}");
    }

    /// <summary>The ADC count whose scaling gives <paramref name="value"/> (cm): round((value − offset) / scale), within 0..4095.</summary>
    private static long Reading(float value, NodeInput input) =>
        Math.Clamp((long)Math.Round((value - input.Offset) / input.Scale), 0, 4095);

    private static string Trace(Dataset test, NodeSpec spec)
    {
        var csv = new StringBuilder("time_ms");
        foreach (NodeInput input in spec.Inputs)
        {
            csv.Append(",adc").Append(((AdcSource)input.Source).Channel.ToString(CultureInfo.InvariantCulture));
        }

        csv.Append('\n');
        for (int row = 0; row < test.Count; row++)
        {
            csv.Append((row * SecondsPerFlower * 1000L).ToString(CultureInfo.InvariantCulture));
            for (int k = 0; k < spec.Inputs.Count; k++)
            {
                csv.Append(',').Append(Reading(test.Features[row][k], spec.Inputs[k]).ToString(CultureInfo.InvariantCulture));
            }

            csv.Append('\n');
        }

        // The last flower's window ends one period before the trace's end.
        csv.Append((test.Count * SecondsPerFlower * 1000L - 1).ToString(CultureInfo.InvariantCulture));
        for (int k = 0; k < spec.Inputs.Count; k++)
        {
            csv.Append(',').Append(Reading(test.Features[^1][k], spec.Inputs[k]).ToString(CultureInfo.InvariantCulture));
        }

        return csv.Append('\n').ToString();
    }
}
