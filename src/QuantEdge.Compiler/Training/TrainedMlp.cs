using System.Globalization;
using System.Text.Json;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;

namespace QuantEdge.Compiler.Training;

/// <summary>A fully connected layer: y = W·x + b, W row-major [Outputs, Inputs].</summary>
public sealed record DenseLayer(int Inputs, int Outputs, float[] Weights, float[] Bias);

/// <summary>
/// A trained MLP that takes RAW features (the training standardization is folded into the first
/// layer): Dense → ReLU → … → Dense, ending in logits (no softmax).
/// </summary>
public sealed class TrainedMlp(string[] featureNames, int classCount, IReadOnlyList<DenseLayer> layers, MlpTrainingOptions options, double finalLoss)
{
    public const string InputName = "features";
    public const string OutputName = "logits";

    public string[] FeatureNames { get; } = featureNames;

    public int ClassCount { get; } = classCount;

    /// <summary>Input side first; ReLU between consecutive layers, none after the last.</summary>
    public IReadOnlyList<DenseLayer> Layers { get; } = layers;

    public MlpTrainingOptions Options { get; } = options;

    /// <summary>Mean softmax cross-entropy over the rows of the last epoch, as they were trained.</summary>
    public double FinalLoss { get; } = finalLoss;

    /// <summary>
    /// The model as ONNX (opset 13): input "features" [batch, F], Gemm (transB) and Relu nodes, output
    /// "logits" [batch, classes]; the feature names are in the metadata ("feature_names", a JSON array).
    /// </summary>
    public byte[] ToOnnx()
    {
        var builder = new OnnxModelBuilder(opset: 13, graphName: "mlp")
            .DocString(FormattableString.Invariant(
                $"MLP trained by QuantEdge (hidden {HiddenText(Options.HiddenLayers)}, {Options.Epochs} epochs, batch {Options.BatchSize}, Adam lr {Options.LearningRate}, seed {Options.Seed}). Takes raw feature values: the training standardization is folded into the first layer. Outputs logits."))
            .Metadata("feature_names", JsonSerializer.Serialize(FeatureNames))
            .Metadata("class_count", ClassCount.ToString(CultureInfo.InvariantCulture))
            .Input(InputName, "batch", FeatureNames.Length);
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

        return builder.Output(OutputName, "batch", ClassCount).ToBytes();
    }

    /// <summary>The exported model, imported back as a float graph.</summary>
    public ModelGraph ToGraph() => OnnxImporter.Load(ToOnnx());

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
