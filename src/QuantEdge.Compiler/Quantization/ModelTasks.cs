using QuantEdge.Compiler.Graph;
using QuantEdge.Runtime;

namespace QuantEdge.Compiler.Quantization;

/// <summary>What a float graph's outputs mean, when the user does not say (<c>--task</c>).</summary>
public static class ModelTasks
{
    /// <summary>The ONNX metadata key that states the task (<c>quantedge train</c> writes it).</summary>
    public const string MetadataKey = "quantedge_task";

    /// <summary>
    /// The task the model's metadata states (<see cref="MetadataKey"/>); else a graph that ends in a softmax is
    /// a classifier, and so is one with several outputs (class logits); a single output is a real value, a
    /// regression (an anomaly score looks the same, so only the user can say it is one).
    /// </summary>
    public static ModelTask Infer(ModelGraph graph)
    {
        if (graph.Metadata.TryGetValue(MetadataKey, out string? stated) && Parse(stated) is ModelTask task)
        {
            return task;
        }

        GraphValue output = graph.Outputs[0];
        if (graph.ProducerOf(output.Name) is SoftmaxNode)
        {
            return ModelTask.Classification;
        }

        int values = output.Shape.Skip(1).Aggregate(1, (a, b) => a * b);
        return values == 1 ? ModelTask.Regression : ModelTask.Classification;
    }

    /// <summary>The output names the model's metadata states ("output_names", a JSON array, as <c>quantedge train</c> writes), or null.</summary>
    public static string[]? StatedOutputNames(ModelGraph graph) => StatedNames(graph, "output_names");

    /// <summary>
    /// The input feature names the model's metadata states ("feature_names", a JSON array of non-empty strings:
    /// QuantEdge's trainer and QDQ exporter write it), or null.
    /// </summary>
    public static string[]? StatedFeatureNames(ModelGraph graph) => StatedNames(graph, "feature_names");

    private static string[]? StatedNames(ModelGraph graph, string key)
    {
        if (!graph.Metadata.TryGetValue(key, out string? json))
        {
            return null;
        }

        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<string[]>(json) is { Length: > 0 } names && names.All(n => !string.IsNullOrEmpty(n)) ? names : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The task a name (as <see cref="Name"/> spells it, any case) stands for, or null.</summary>
    public static ModelTask? Parse(string name) => name.ToLowerInvariant() switch
    {
        "classification" => ModelTask.Classification,
        "regression" => ModelTask.Regression,
        "anomaly" => ModelTask.Anomaly,
        _ => null,
    };

    /// <summary>The task as the command line spells it.</summary>
    public static string Name(ModelTask task) => task switch
    {
        ModelTask.Regression => "regression",
        ModelTask.Anomaly => "anomaly",
        _ => "classification",
    };
}
