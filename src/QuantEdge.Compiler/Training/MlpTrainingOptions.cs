namespace QuantEdge.Compiler.Training;

/// <summary>How <see cref="MlpTrainer"/> trains: architecture, schedule and seed.</summary>
public sealed record MlpTrainingOptions
{
    /// <summary>Sizes of the hidden ReLU layers, input side first; empty gives logistic regression.</summary>
    public int[] HiddenLayers { get; init; } = [32, 16];

    /// <summary>Passes over the training rows.</summary>
    public int Epochs { get; init; } = 200;

    public int BatchSize { get; init; } = 32;

    /// <summary>Adam's step size.</summary>
    public double LearningRate { get; init; } = 0.005;

    /// <summary>
    /// Classification (class labels, softmax cross-entropy, logits out) or regression (numeric targets, mean
    /// squared error on standardized targets, values out).
    /// </summary>
    public Runtime.ModelTask Task { get; init; } = Runtime.ModelTask.Classification;

    /// <summary>
    /// How many of the last <see cref="Epochs"/> train quantization-aware (int8 fake quantization of inputs,
    /// weights and activations, straight-through gradients); 0 trains in float throughout. At least the first
    /// epoch is float: it measures the activation ranges the first quantized epoch uses.
    /// </summary>
    public int QatEpochs { get; init; }

    /// <summary>Seeds the weight initialisation and the order of rows in every epoch.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (HiddenLayers.Any(size => size < 1 || size > HostLimits.MaxLayerWidth))
        {
            throw new ArgumentException($"hidden layer sizes must be 1 to {HostLimits.MaxLayerWidth} (got {string.Join(",", HiddenLayers)})");
        }

        if (Task == Runtime.ModelTask.Anomaly)
        {
            throw new ArgumentException("the trainer makes classifiers and regressions, not anomaly scores");
        }

        if (Epochs < 1)
        {
            throw new ArgumentException($"epochs must be at least 1 (got {Epochs})");
        }

        if (QatEpochs < 0 || QatEpochs >= Epochs)
        {
            throw new ArgumentException($"quantization-aware epochs must be 0 to {Epochs - 1}: a float epoch first measures the ranges the int8 grids span (got {QatEpochs})");
        }

        if (BatchSize < 1)
        {
            throw new ArgumentException($"batch size must be at least 1 (got {BatchSize})");
        }

        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
        {
            throw new ArgumentException($"learning rate must be a positive number (got {LearningRate})");
        }
    }
}
