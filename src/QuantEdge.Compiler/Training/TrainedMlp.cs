using System.Globalization;
using System.Text.Json;
using QuantEdge.Compiler.Calibration;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime;

namespace QuantEdge.Compiler.Training;

/// <summary>A fully connected layer: y = W·x + b, W row-major [Outputs, Inputs].</summary>
public sealed record DenseLayer(int Inputs, int Outputs, float[] Weights, float[] Bias);

/// <summary>
/// A trained MLP that takes RAW features (the training standardization is folded into the first
/// layer): Dense → ReLU → … → Dense, ending in a classifier's logits (no softmax) or a regression's values
/// in the targets' units.
/// </summary>
public sealed class TrainedMlp(string[] featureNames, int outputCount, IReadOnlyList<DenseLayer> layers, MlpTrainingOptions options, double finalLoss)
{
    public const string InputName = "features";

    public string[] FeatureNames { get; } = featureNames;

    /// <summary>A classifier's classes, or a regression's values.</summary>
    public int OutputCount { get; } = outputCount;

    /// <summary>A regression's target names (empty for a classifier).</summary>
    public string[] OutputNames { get; init; } = [];

    public ModelTask Task => Options.Task;

    /// <summary>The ONNX output: "logits" of a classifier, "values" of a regression.</summary>
    public string OutputName => Task == ModelTask.Regression ? "values" : "logits";

    /// <summary>Input side first; ReLU between consecutive layers, none after the last.</summary>
    public IReadOnlyList<DenseLayer> Layers { get; } = layers;

    public MlpTrainingOptions Options { get; } = options;

    /// <summary>Mean loss over the rows of the last epoch, as they were trained (cross-entropy, or half the squared error of standardized targets).</summary>
    public double FinalLoss { get; } = finalLoss;

    /// <summary>
    /// The model as ONNX (opset 13): input "features" [batch, F], Gemm (transB) and Relu nodes, output
    /// <see cref="OutputName"/> [batch, outputs]; the metadata has the feature names ("feature_names", a JSON
    /// array), the task (<see cref="ModelTasks.MetadataKey"/>), a regression's output names ("output_names") and, when
    /// trained quantization-aware, the calibration it was trained for (<see cref="StatedCalibration.MetadataKey"/>).
    /// </summary>
    public byte[] ToOnnx()
    {
        var builder = new OnnxModelBuilder(opset: 13, graphName: "mlp")
            .DocString(FormattableString.Invariant(
                $"MLP trained by QuantEdge (hidden {HiddenText(Options.HiddenLayers)}, {Options.Epochs} epochs, batch {Options.BatchSize}, Adam lr {Options.LearningRate}, seed {Options.Seed}). Takes raw feature values: the training standardization is folded into the first layer. Outputs {(Task == ModelTask.Regression ? "values in the targets' units" : "logits")}."))
            .Metadata("feature_names", JsonSerializer.Serialize(FeatureNames))
            .Metadata(ModelTasks.MetadataKey, ModelTasks.Name(Task))
            .Input(InputName, "batch", FeatureNames.Length);
        if (Task == ModelTask.Regression)
        {
            builder.Metadata("output_names", JsonSerializer.Serialize(OutputNames));
        }
        else
        {
            builder.Metadata("class_count", OutputCount.ToString(CultureInfo.InvariantCulture));
        }

        if (Options.QatEpochs > 0)
        {
            builder.Metadata(StatedCalibration.MetadataKey, "minmax"); // the ranges its quantization-aware epochs simulated
        }

        string value = InputName;
        for (int i = 0; i < Layers.Count; i++)
        {
            DenseLayer layer = Layers[i];
            string name = $"dense{i + 1}";
            bool last = i == Layers.Count - 1;
            string output = last ? OutputName : name;
            builder.Initializer($"{name}.weight", [layer.Outputs, layer.Inputs], layer.Weights)
                .Initializer($"{name}.bias", [layer.Outputs], layer.Bias)
                .Node("Gemm", [value, $"{name}.weight", $"{name}.bias"], [output], a => a.Int("transB", 1), name: name);
            value = output;
            if (!last)
            {
                value = $"relu{i + 1}";
                builder.Node("Relu", [output], [value], name: value);
            }
        }

        return builder.Output(OutputName, "batch", OutputCount).ToBytes();
    }

    /// <summary>The exported model, imported back as a float graph.</summary>
    public ModelGraph ToGraph() => OnnxImporter.Load(ToOnnx());

    /// <summary>Mean absolute error of the exported model's values against the rows' targets, per output.</summary>
    public double[] MeanAbsoluteError(Dataset data)
    {
        float[][] targets = data.Targets ?? throw new ArgumentException($"{data.Source} has no targets", nameof(data));
        data.RequireFeatureCount(FeatureNames.Length, "the model");
        var executor = new FloatExecutor(ToGraph());
        var sums = new double[OutputCount];
        for (int i = 0; i < data.Count; i++)
        {
            float[] values = executor.Run(data.Features[i]);
            for (int o = 0; o < OutputCount; o++)
            {
                sums[o] += Math.Abs(values[o] - targets[i][o]);
            }
        }

        return sums.Select(s => s / data.Count).ToArray();
    }

    /// <summary>Fraction of rows whose largest logit, computed from the exported model, is the row's label.</summary>
    public double Accuracy(Dataset data)
    {
        if (data.Labels is null)
        {
            throw new ArgumentException($"{data.Source} has no labels", nameof(data));
        }

        data.RequireFeatureCount(FeatureNames.Length, "the model");
        var executor = new FloatExecutor(ToGraph());
        int correct = 0;
        for (int i = 0; i < data.Count; i++)
        {
            float[] logits = executor.Run(data.Features[i]);
            correct += Array.IndexOf(logits, logits.Max()) == data.Labels[i] ? 1 : 0;
        }

        return (double)correct / data.Count;
    }

    /// <summary>"32,16", or "none" for logistic regression.</summary>
    public static string HiddenText(int[] hidden) => hidden.Length == 0 ? "none" : string.Join(",", hidden);
}
