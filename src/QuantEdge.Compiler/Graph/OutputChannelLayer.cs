namespace QuantEdge.Compiler.Graph;

/// <summary>
/// A layer with weights and a bias per output channel, the channel the outermost weight axis (Conv2D's OIHW,
/// Dense's [Out, In]): the importer folds a per-channel scale or shift that follows it into them.
/// </summary>
public interface IOutputChannelLayer
{
    FloatTensor Weights { get; }

    float[] Bias { get; }

    /// <summary>The same layer with other weights and bias.</summary>
    Node WithParameters(FloatTensor weights, float[] bias);
}
