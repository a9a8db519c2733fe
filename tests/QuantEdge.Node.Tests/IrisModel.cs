using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Compiler.Training;
using QuantEdge.Runtime;
using QuantEdge.Simulator;

namespace QuantEdge.Node.Tests;

/// <summary>A real model for the node to run: an MLP 4 → 8 → 3 trained on iris and quantized, made once for all tests.</summary>
public static class IrisModel
{
    public static readonly string[] Classes = ["setosa", "versicolor", "virginica"];

    private static readonly Lazy<byte[]> Lazy = new(() =>
    {
        Dataset train = Dataset.Load(Path.Combine(AppContext.BaseDirectory, "data", "iris_train.csv"));
        TrainedMlp mlp = MlpTrainer.Train(train, new MlpTrainingOptions { HiddenLayers = [8], Epochs = 100 });
        return Quantizer.Quantize(OnnxImporter.Load(mlp.ToOnnx()), train, new QuantizeOptions { ModelName = "iris", OutputNames = Classes }).Blob;
    });

    public static byte[] Blob => (byte[])Lazy.Value.Clone();

    public static Model Load() => Model.Load(Blob);

    /// <summary>The class the model predicts for raw inputs, run directly (not through a node).</summary>
    public static int Predict(int[] raw)
    {
        Model model = Load();
        model.SetRawInputs(raw);
        model.Invoke();
        return model.ArgMax();
    }

    /// <summary>A node.bin with four ADC inputs (channels 0, 3, 4, 5: raw value = reading) for the iris model.</summary>
    public static NodeBin Node(params OutputRecord[] outputs) =>
        new([InputRecord.Adc(0), InputRecord.Adc(3), InputRecord.Adc(4), InputRecord.Adc(5)], outputs, ModelOutputs: 3);

    /// <summary>
    /// A board whose trace holds each row of <paramref name="rows"/> for one period, the model and
    /// node.bin in its resources (as the firmware embeds them).
    /// </summary>
    public static VirtualBoard Board(NodeBin node, int[][] rows, int periodMs = 1000)
    {
        var columns = new Dictionary<string, long[]>();
        int[] channels = [0, 3, 4, 5];
        for (int k = 0; k < channels.Length; k++)
        {
            columns[SensorTrace.AdcColumn(channels[k])] = rows.Select(r => (long)r[k]).ToArray();
        }

        var trace = new SensorTrace(rows.Select((_, i) => (long)i * periodMs).ToArray(), columns, "test");
        var board = new VirtualBoard(trace, heapBytes: 79_000, nodeRamBytes: 1_000, modelRamBytes: 2_000, (_, _, _) => true);
        board.Resources.Put(NodeApp.ModelFile, Blob);
        board.Resources.Put(NodeApp.ConfigFile, node.Bytes());
        return board;
    }

    /// <summary>Raw inputs the model classifies as each class (the golden vector's, and rows of the training data).</summary>
    public static int[] RowFor(int wanted)
    {
        Model model = Load();
        Dataset train = Dataset.Load(Path.Combine(AppContext.BaseDirectory, "data", "iris_train.csv"));
        for (int r = 0; r < train.Count; r++)
        {
            int[] raw = new int[4];
            for (int k = 0; k < 4; k++)
            {
                double unit = Math.Pow(10, model.GetInputUnitExponent(k));
                raw[k] = (int)Math.Round(train.Features[r][k] / unit);
            }

            if (Predict(raw) == wanted)
            {
                return raw;
            }
        }

        throw new InvalidOperationException($"no training row predicts class {wanted}");
    }
}
