using QuantEdge.Compiler.Graph;
using QuantEdge.Runtime;

namespace QuantEdge.Compiler.Quantization;

/// <summary>What a float graph's outputs mean, when the user does not say (<c>--task</c>).</summary>
public static class ModelTasks
{
    /// <summary>
    /// A graph that ends in a softmax is a classifier; so is one with several outputs (class logits, as
    /// <c>quantedge train</c> makes); a single output is a real value, a regression (an anomaly score looks the
    /// same, so only the user can say it is one).
    /// </summary>
    public static ModelTask Infer(ModelGraph graph)
    {
        GraphValue output = graph.Outputs[0];
        if (graph.ProducerOf(output.Name) is Softmax)
        {
            return ModelTask.Classification;
        }

        int values = output.Shape.Skip(1).Aggregate(1, (a, b) => a * b);
        return values == 1 ? ModelTask.Regression : ModelTask.Classification;
    }

    /// <summary>The task as the command line spells it.</summary>
    public static string Name(ModelTask task) => task switch
    {
        ModelTask.Regression => "regression",
        ModelTask.Anomaly => "anomaly",
        _ => "classification",
    };
}
