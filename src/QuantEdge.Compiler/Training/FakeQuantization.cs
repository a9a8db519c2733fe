using QuantEdge.Compiler.Quantization;

namespace QuantEdge.Compiler.Training;

/// <summary>
/// The quantizer's int8 rounding, simulated in double during training ("fake quantization"): values go onto
/// the grid the device will use and come back as reals, so the loss sees the rounding and the clipping. The
/// gradient passes through the rounding unchanged (the straight-through estimator) and is zero where a value
/// clipped.
/// </summary>
internal static class FakeQuantization
{
    /// <summary>
    /// <paramref name="value"/> on an activation's asymmetric int8 grid (<see cref="QuantParams.FromRange"/> of its
    /// observed range): rounded to the nearest of its 256 codes, clamped to them.
    /// </summary>
    public static double Activation(double value, QuantParams grid) => grid.Dequantize(grid.Quantize(value));

    /// <summary>
    /// A dense layer's weights (<paramref name="outputs"/> rows of <paramref name="inputs"/>) rounded as the
    /// quantizer rounds them: per output channel, symmetric, codes −127…127, the scale the row's largest
    /// |w × inputStep| / 127 rounded up onto the layer's grid of channel scales (<see cref="WeightQuantizer.ScaleIndex"/>). The quantizer multiplies each weight by the int8 step of the input it meets (one step per
    /// feature for a first layer whose input is quantized per feature), so a weight on a finely quantized feature
    /// is rounded more coarsely; <paramref name="inputStep"/> holds those steps (all 1 for one step per tensor).
    /// </summary>
    public static void Weights(double[] weights, int outputs, int inputs, double[] inputStep, double[] rounded)
    {
        var ideal = new double[outputs];
        for (int o = 0; o < outputs; o++)
        {
            for (int i = 0; i < inputs; i++)
            {
                ideal[o] = Math.Max(ideal[o], Math.Abs(weights[o * inputs + i] * inputStep[i]) / 127);
            }
        }

        double largest = ideal.Max();
        for (int o = 0; o < outputs; o++)
        {
            double scale = WeightQuantizer.GridScale(largest, WeightQuantizer.ScaleIndex(largest, ideal[o]));
            for (int i = 0; i < inputs; i++)
            {
                int row = o * inputs;
                rounded[row + i] = scale == 0
                    ? 0
                    : Math.Clamp(Math.Round(weights[row + i] * inputStep[i] / scale, MidpointRounding.AwayFromZero), -127, 127) * scale / inputStep[i];
            }
        }
    }

    /// <summary>
    /// Each feature's int8 step when its observed range [min, max] is spread over 255 steps, as the quantizer
    /// quantizes an input per feature. A constant feature gets the step of an empty range, as there: its
    /// weights (which never train, its standardized value is 0) must not set their rows' scales.
    /// </summary>
    public static double[] FeatureSteps(double[][] rows, int features)
    {
        var steps = new double[features];
        for (int i = 0; i < features; i++)
        {
            double min = rows.Min(row => row[i]), max = rows.Max(row => row[i]);
            steps[i] = max > min ? (max - min) / 255 : QuantParams.FromRange(0, 0).Scale;
        }

        return steps;
    }

    /// <summary>Each feature's value on its own int8 grid: <paramref name="steps"/> apart from the feature's minimum.</summary>
    public static double[][] Features(double[][] rows, double[] steps)
    {
        int features = steps.Length;
        double[] min = Enumerable.Range(0, features).Select(i => rows.Min(row => row[i])).ToArray();
        return rows.Select(row => row.Select((v, i) => min[i] + Math.Round((v - min[i]) / steps[i], MidpointRounding.AwayFromZero) * steps[i]).ToArray()).ToArray();
    }
}
