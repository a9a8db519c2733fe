using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Deployment;
using QuantEdge.Node;
using QuantEdge.Node.Config;
using QuantEdge.Runtime;

namespace QuantEdge.Simulator;

/// <summary>
/// One prediction of the simulated node: the model's int8 outputs, for a classifier the predicted class
/// (its label) and the stable class the outputs show (−1 and null for other tasks), and which threshold
/// outputs are on after it (bit i: output record i).
/// </summary>
public sealed record SimulatedPrediction(long TimeMs, sbyte[] Outputs, int Class, string? Label, int StableClass, int ThresholdsOn);

/// <summary>What a simulation did: every event in order, the predictions, and the counts a battery node cares about.</summary>
public sealed record SimulationResult(
    bool Booted,
    IReadOnlyList<SimulationEvent> Events,
    IReadOnlyList<SimulatedPrediction> Predictions,
    int Boots,
    int StateWrites,
    long AwakeMs,
    long EndMs);

/// <summary>
/// Runs a node's own logic (the .NET build of QuantEdge.Node, the same sources the firmware runs)
/// on a <see cref="VirtualBoard"/> from the first row of the trace to its last: boot, cycles, and in
/// deep sleep mode a restart from Main at every wake, as on an ESP32.
/// </summary>
public static class NodeSimulator
{
    /// <summary>
    /// Simulates a node as deployed: the model and node.bin on the board's I:\ drive, a heap of
    /// <paramref name="heapBytes"/> less the host's estimates of the node and the model, the sensors
    /// reading <paramref name="trace"/> until its last row. The trace must have a column for every ADC
    /// and digital input (<see cref="MissingColumns"/>).
    /// </summary>
    public static SimulationResult Run(byte[] blob, byte[] nodeBin, SensorTrace trace, int heapBytes)
    {
        NodeConfig config = NodeConfig.Parse(nodeBin);
        var board = new VirtualBoard(trace, heapBytes, NodeRamEstimate.Bytes(config.Inputs.Length, config.Outputs.Length),
            ModelDescription.Of(blob).DeviceRamBytes, I2cByteOrder(config));
        board.Files.Put(NodeApp.ModelFile, blob);
        board.Files.Put(NodeApp.ConfigFile, nodeBin);
        // The node's model runs on the host's SIMD kernels (the same bytes out); the heap above is the stock device's.
        using (HostSimd.Use())
        {
            return Run(board, trace.EndMs);
        }
    }

    /// <param name="board">The virtual board; the node configuration and model must be in its files or resources.</param>
    /// <param name="endMs">When to stop (the trace's last time).</param>
    public static SimulationResult Run(VirtualBoard board, long endMs)
    {
        var predictions = new List<SimulatedPrediction>();
        long awake = 0;
        int boots = 1;
        NodeApp app = new(board.Hardware);
        long wokeAt = board.Now;
        if (!app.Boot())
        {
            return new SimulationResult(false, board.Events, predictions, boots, 0, board.Now, board.Now);
        }

        // NodeApp.Run, unrolled so the simulation can stop at the end of the trace and record each prediction.
        while (board.Now <= endMs)
        {
            long cycleStart = board.Now;
            int wait = app.Cycle();
            if (app.Predicted)
            {
                int predicted = app.LastPrediction;
                string? label = predicted < 0 ? null : app.Model.GetClassLabel(predicted) ?? $"class {predicted}";
                predictions.Add(new SimulatedPrediction(cycleStart, (sbyte[])app.Outputs.Clone(), predicted, label, predicted < 0 ? -1 : app.Hysteresis.Stable, app.ThresholdsOn));
            }

            if (app.Config.DeepSleep)
            {
                awake += board.Now - wokeAt;
                app.Sleep(wait);
                if (board.Now > endMs)
                {
                    break;
                }

                board.Wake();
                wokeAt = board.Now;
                boots++;
                app = new NodeApp(board.Hardware);
                if (!app.Boot())
                {
                    return new SimulationResult(false, board.Events, predictions, boots, StateWrites(board), awake, board.Now);
                }
            }
            else
            {
                app.Sleep(wait);
            }
        }

        if (!app.Config.DeepSleep)
        {
            awake = board.Now;
        }

        return new SimulationResult(true, board.Events, predictions, boots, StateWrites(board), awake, board.Now);
    }

    private static int StateWrites(VirtualBoard board) => board.Files.Writes.GetValueOrDefault(NodeState.FileName);

    /// <summary>The byte order of each I2C register the configuration reads, for the board to encode trace values the way the node decodes them.</summary>
    public static Func<int, int, int, bool> I2cByteOrder(NodeConfig config) => (bus, address, register) =>
        config.Inputs.FirstOrDefault(i => i.Kind == NodeFormat.InputI2c && i.Source == bus && i.Address == address && i.Register == register)?.BigEndian ?? true;

    /// <summary>The trace columns a configuration reads that the trace lacks (I2C excepted: a missing register is a device that does not answer).</summary>
    public static IEnumerable<string> MissingColumns(NodeConfig config, SensorTrace trace) =>
        config.Inputs
            .Select(i => i.Kind switch
            {
                NodeFormat.InputAdc => SensorTrace.AdcColumn(i.Source),
                NodeFormat.InputDigital => SensorTrace.GpioColumn(i.Source),
                _ => null,
            })
            .OfType<string>()
            .Where(c => !trace.Has(c))
            .Distinct();
}
