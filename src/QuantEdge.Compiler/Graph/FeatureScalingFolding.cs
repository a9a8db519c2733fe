namespace QuantEdge.Compiler.Graph;

/// <summary>
/// Folds a per-feature scaling that feeds a dense layer into that layer: Dense(x × s + t) = (W·diag(s)) x + (W t + b),
/// for an Add or Mul of a per-feature constant and for a ChannelAffine (a BatchNormalization on features).
/// </summary>
/// <remarks>
/// A pipeline exported with its scaler in the graph (scikit-learn's StandardScaler as Sub and Div, a PyTorch
/// model that normalizes its input) puts a per-feature Add/Mul of constants between the raw features and the
/// first dense layer. Left as an op, its input is a tensor the device must quantize with one scale for every
/// raw feature (an area of ~1,000 beside a smoothness of ~0.001: the small ones vanish), and it costs an int8
/// rounding of its own. Folded, the raw features meet the dense layer directly and are quantized one scale per
/// feature. Only a scaling whose one reader is a Dense is folded: a convolution's zero padding does not commute
/// with an offset.
/// </remarks>
internal static class FeatureScalingFolding
{
    /// <summary>
    /// <paramref name="nodes"/> (topologically ordered) with every per-feature scaling folded into the Dense that
    /// reads it, repeatedly (a Sub then a Div fold one after the other); a value among
    /// <paramref name="graphOutputs"/> is never folded away.
    /// </summary>
    public static List<Node> Fold(List<Node> nodes, IReadOnlyCollection<string> graphOutputs)
    {
        var result = new List<Node>(nodes);
        bool folded;
        do
        {
            folded = false;
            for (int i = result.Count - 1; i >= 0 && !folded; i--)
            {
                if (result[i] is not DenseNode dense || result.FirstOrDefault(n => n.Output == dense.Input) is not { } scaling ||
                    graphOutputs.Contains(scaling.Output) || result.Count(n => n.Inputs.Contains(scaling.Output)) != 1 ||
                    Folded(scaling, dense) is not { } replacement)
                {
                    continue;
                }

                result[i] = replacement with { Input = scaling.Inputs[0] };
                result.Remove(scaling);
                folded = true;
            }
        }
        while (folded);

        return result;
    }

    /// <summary>The Dense with <paramref name="scaling"/> folded in, or null when it is not a per-feature scaling of the Dense's input.</summary>
    private static DenseNode? Folded(Node scaling, DenseNode dense)
    {
        int features = dense.InputFeatures;
        if (scaling.OutputShape.Length != 2 || scaling.OutputShape[1] != features)
        {
            return null;
        }

        return scaling switch
        {
            ChannelAffineNode affine => ScaleColumns(ShiftInputs(dense, affine.Shift), affine.Scale), // the shift meets the weights before scaling
            MulNode mul when PerFeature(mul, features) is { } scale => ScaleColumns(dense, scale),
            AddNode add when PerFeature(add, features) is { } shift => ShiftInputs(dense, shift),
            _ => null,
        };
    }

    /// <summary>
    /// The constant of a value-and-constant op as one value per feature, when its shape is [F], [1, F], [1] or a
    /// scalar (the value is [N, F] and stays so); else null.
    /// </summary>
    private static float[]? PerFeature(ElementwiseBinary op, int features)
    {
        if (op.Constant is not { } constant || constant.Rank > 2 || constant.Shape.Take(constant.Rank - 1).Any(d => d != 1) ||
            !(constant.Length == 1 || constant.Length == features))
        {
            return null;
        }

        return Enumerable.Range(0, features).Select(k => constant.Data[constant.Length == 1 ? 0 : k]).ToArray();
    }

    /// <summary>W'[o, k] = W[o, k] × s[k].</summary>
    private static DenseNode ScaleColumns(DenseNode dense, float[] scale)
    {
        int inputs = dense.InputFeatures;
        float[] weights = dense.Weights.Data.Select((w, i) => (float)((double)w * scale[i % inputs])).ToArray();
        return dense with { Weights = new FloatTensor(dense.Weights.Shape, weights) };
    }

    /// <summary>b'[o] = b[o] + Σ_k W[o, k] × t[k] (with W the original weights), summed in double.</summary>
    private static DenseNode ShiftInputs(DenseNode dense, float[] shift)
    {
        int inputs = dense.InputFeatures;
        float[] bias = dense.Bias.Select((b, o) =>
        {
            double sum = b;
            for (int k = 0; k < inputs; k++)
            {
                sum += (double)dense.Weights.Data[o * inputs + k] * shift[k];
            }

            return (float)sum;
        }).ToArray();
        return dense with { Bias = bias };
    }
}
