namespace QuantEdge.Compiler.Quantization;

/// <summary>
/// A layer's weights, bias and requantization in int8/int32, ready for the device: real output of
/// channel o = WeightScales[o] × (Σ_k Weights[o][k] × (q_k − zp_k) + Bias[o]).
/// </summary>
internal sealed record QuantizedLayer(sbyte[] Weights, int[] Bias, double[] WeightScales, int[] Multiplier, int[] Shift);

/// <summary>
/// Symmetric int8 weights (zero point 0, codes in [−127, 127]) with one scale per output channel
/// (or one for the whole tensor), int32 bias at scale inputScale × weightScale, and the Q31
/// requantization multipliers of each channel.
/// </summary>
internal static class WeightQuantizer
{
    /// <summary>
    /// Quantizes a layer given as <paramref name="effective"/>[o][k] = w[o][k] × s_k, the real weight
    /// times the scale of the input it multiplies (so that a per-feature input scale is compensated
    /// here, in the weights). With <paramref name="inputMean"/> (E[q_k − zp_k] for channel o, tap k),
    /// bias correction removes the expected output shift that weight rounding causes.
    /// </summary>
    public static QuantizedLayer Quantize(double[][] effective, float[] bias, double outputScale, bool perTensor, Func<int, int, double>? inputMean)
    {
        int channels = effective.Length;
        double[] scales = new double[channels];
        double tensorMax = effective.Max(row => row.Length == 0 ? 0 : row.Max(Math.Abs));
        for (int o = 0; o < channels; o++)
        {
            double max = perTensor ? tensorMax : effective[o].Max(Math.Abs);
            // float32, as every scale the device derives its multipliers from.
            scales[o] = max > 0 ? (float)(max / 127) : 1.0;
        }

        int depth = effective[0].Length;
        var weights = new sbyte[channels * depth];
        var biasQ = new int[channels];
        var multipliers = new int[channels];
        var shifts = new int[channels];
        for (int o = 0; o < channels; o++)
        {
            double correctedBias = bias[o];
            for (int k = 0; k < depth; k++)
            {
                int q = (int)Math.Clamp(Math.Round(effective[o][k] / scales[o], MidpointRounding.AwayFromZero), -127, 127);
                weights[o * depth + k] = (sbyte)q;
                if (inputMean != null)
                {
                    correctedBias -= (q * scales[o] - effective[o][k]) * inputMean(o, k);
                }
            }

            biasQ[o] = SaturateToInt32(Math.Round(correctedBias / scales[o], MidpointRounding.AwayFromZero));
            QuantizedMultiplier m = QuantizedMultiplier.FromReal(scales[o] / outputScale);
            multipliers[o] = m.Multiplier;
            shifts[o] = m.Shift;
        }

        return new QuantizedLayer(weights, biasQ, scales, multipliers, shifts);
    }

    public static int SaturateToInt32(double value) => (int)Math.Clamp(value, int.MinValue, int.MaxValue);
}
