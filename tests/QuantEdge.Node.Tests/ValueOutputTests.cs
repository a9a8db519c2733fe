using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Deployment;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime;
using QuantEdge.Simulator;

namespace QuantEdge.Node.Tests;

/// <summary>
/// A regression model's value on the node's pins: a PWM duty mapped from a range of the value, and a pin
/// switched by two thresholds with hysteresis, both given in the value's units in node.json and turned into
/// int8 codes by node pack; run by the node's own code on the simulator.
/// </summary>
public class ValueOutputTests
{
    // y = 2x − 1 on one input: a regression whose output spans −1..1 for x in 0..1.
    private static readonly Lazy<byte[]> Line = new(() =>
    {
        byte[] onnx = new OnnxModelBuilder(13)
            .Input("x", "batch", 1)
            .Initializer("W", [1, 1], [2f])
            .Initializer("b", [1], [-1f])
            .Node("MatMul", ["x", "W"], ["xw"])
            .Node("Add", ["xw", "b"], ["y"])
            .Output("y", "batch", 1)
            .ToBytes();
        var rows = new Dataset(["x"], Enumerable.Range(0, 101).Select(i => new[] { i / 100f }).ToArray(), null, "ramp");
        return Quantizer.Quantize(OnnxImporter.Load(onnx), rows, new QuantizeOptions { ModelName = "line", OutputNames = ["y"] }).Blob;
    });

    private const string NodeJson = """
        {
          "samplePeriodMs": 1000,
          "inputs": [ { "feature": "x", "adc": { "channel": 0 }, "scale": 0.001 } ],
          "outputs": [
            { "output": "y", "pwm": { "gpio": 26, "frequencyHz": 1000, "from": -1, "to": 1 } },
            { "output": "y", "gpio": 25, "on": 0.5, "off": 0 }
          ],
          "statusLed": null
        }
        """;

    private static PackedNode Pack(string json) => NodePacker.Pack(NodeSpecReader.Parse("node.json", json),
        BoardLoader.Parse("board.json", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "boards", "lolin-d32.json"))), ModelDescription.Of(Line.Value), "line.qem");

    [Fact]
    public void TheModelIsARegression() => Assert.Equal(ModelTask.Regression, Model.Load(Line.Value).Task);

    [Fact]
    public void APwmFollowsTheValueAndAPinSwitchesWithHysteresis()
    {
        // x rises 0 → 1 and falls back, in steps of 0.05 (ADC counts 0..1000).
        int[] counts = [.. Enumerable.Range(0, 21).Select(i => i * 50), .. Enumerable.Range(0, 20).Select(i => 950 - i * 50)];
        var trace = new SensorTrace(counts.Select((_, i) => (long)i * 1000).ToArray(), new Dictionary<string, long[]> { ["adc0"] = counts.Select(c => (long)c).ToArray() }, "ramp");

        SimulationResult result = NodeSimulator.Run(Line.Value, Pack(NodeJson).Bytes, trace, 79_000);

        Model model = Model.Load(Line.Value);
        float scale = BitConverter.Int32BitsToSingle(model.OutputTensor.ScaleBits);
        int zeroPoint = model.OutputTensor.ZeroPoint;
        double Value(int q) => (q - zeroPoint) * (double)scale;
        bool on = false;
        for (int i = 0; i < counts.Length; i++)
        {
            long t = i * 1000L;
            SimulatedPrediction prediction = result.Predictions.Single(p => p.TimeMs == t);
            double y = Value(prediction.Outputs[0]);
            Assert.Equal(2 * counts[i] / 1000.0 - 1, y, 0.02); // int8 within a step of the line

            // The duty: y mapped from −1..1 onto 0..1000 permille, on the int8 codes (a step is ~8 permille).
            int duty = board(result, 26, t);
            Assert.InRange(duty, (y + 1) / 2 * 1000 - 10, (y + 1) / 2 * 1000 + 10);

            // The pin: on from y ≥ 0.5, off from y ≤ 0, unchanged between.
            on = y >= 0.5 - scale / 2 ? true : y <= 0 + scale / 2 ? false : on;
            Assert.Equal(on ? 1 : 0, Level(result, 25, t));
        }

        // On while rising past 0.5 (x = 0.75, at 15 s) and falling to 0 (x = 0.5, at 30 s): between them it held.
        var switches = result.Events.Where(e => e.Kind == EventKind.Pin && e.Pin == 25).Select(e => (e.TimeMs, e.Value)).ToArray();
        Assert.Equal([(0L, 0), (15000L, 1), (30000L, 0)], switches);
    }

    public static TheoryData<string, string, string> BadValueOutputs => new()
    {
        { "\"on\": 0.5, \"off\": 0", "\"on\": 5, \"off\": 0", "outputs[1].on: 5 is above what the output can express" },
        { "\"on\": 0.5, \"off\": 0", "\"on\": 0.5, \"off\": -5", "outputs[1].off: -5 is below what the output can express" },
        { "\"on\": 0.5, \"off\": 0", "\"on\": 0, \"off\": 0.5", "outputs[1].off: 0.5 must lie below on (0)" },
        { "\"output\": \"y\", \"gpio\": 25, \"on\": 0.5, \"off\": 0", "\"class\": \"y\", \"gpio\": 25", "outputs[1].class: the model is a regression model, it has no classes" },
        { "\"from\": -1, \"to\": 1", "\"from\": 0.001, \"to\": 0.002", "outputs[0].pwm.to: from (0.001) and to (0.002) are one int8 code of the output" },
        { "\"output\": \"y\", \"gpio\": 25", "\"output\": \"z\", \"gpio\": 25", "outputs[1].output: 'z' is not an output of the model" },
    };

    [Theory]
    [MemberData(nameof(BadValueOutputs))]
    public void ThresholdsAndRangesTheOutputCannotExpressAreRefused(string from, string to, string message)
    {
        DeploymentFileException e = Assert.Throws<DeploymentFileException>(() => Pack(NodeJson.Replace(from, to)));
        Assert.Contains(message, e.Message);
    }

    private static int board(SimulationResult result, int gpio, long t) =>
        result.Events.Last(e => e.Kind == EventKind.Pwm && e.Pin == gpio && e.TimeMs <= t + 10).Value;

    private static int Level(SimulationResult result, int gpio, long t) =>
        result.Events.Last(e => e.Kind == EventKind.Pin && e.Pin == gpio && e.TimeMs <= t + 10).Value;
}
