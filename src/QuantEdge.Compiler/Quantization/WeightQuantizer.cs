using QuantEdge.Compiler.Blob;
using QuantEdge.Runtime.Format;

namespace QuantEdge.Compiler.Quantization;

/// <summary>
/// A layer's weights, bias and requantization in int8/int32, ready for the device: real output of
/// channel o = WeightScales[o] × (Σ_k Weights[o][k] × (q_k − zp_k) + Bias[o]).
/// </summary>
internal sealed record QuantizedLayer(sbyte[] Weights, int[] Bias, double[] WeightScales, Requantization Requantization);

/// <summary>
/// Symmetric int8 weights (zero point 0, codes in [−127, 127]) with one scale per output channel
/// (or one for the whole tensor), int32 bias at scale inputScale × weightScale, and the Q31
/// requantization of each channel. Channel scales are placed on a grid of 32 steps per octave below
/// the layer's largest (<see cref="ChannelScales"/>): rounding a scale up by at most 2^(1/32) (2.2%)
/// costs about 0.03 bit of weight precision and lets the blob store one byte per channel instead of a
/// 4-byte multiplier and a shift.
/// </summary>
internal static class WeightQuantizer
{
    /// <summary>
    /// Quantizes a layer given as <paramref name="effective"/>[o][k] = w[o][k] × s_k, the real weight
    /// times the scale of the input it multiplies (so that a per-feature input scale is compensated
    /// here, in the weights). With <paramref name="inputMean"/> (E[q_k − zp_k] for channel o, tap k),
    /// bias correction removes the expected output shift that weight rounding causes. With <paramref name="rounding"/>
    /// each channel's codes are chosen for its output, not weight by weight (<see cref="OutputAwareRounding"/>).
    /// </summary>
    public static QuantizedLayer Quantize(double[][] effective, float[] bias, double outputScale, bool perTensor, Func<int, int, double>? inputMean,
        OutputAwareRounding? rounding = null)
    {
        int channels = effective.Length;
        double[] ideal = effective.Select(row => row.Length == 0 ? 0 : row.Max(Math.Abs) / 127).ToArray();
        double largest = ideal.Max() > 0 ? ideal.Max() : 1.0;
        QuantizedMultiplier base0 = QuantizedMultiplier.FromReal(largest / outputScale);
        if (base0.Multiplier < 1 << 30)
        {
            throw new ArgumentOutOfRangeException(nameof(outputScale), "the output scale is too large for the layer's weights to reach it");
        }

        // The lowest expanded shift is baseShift − index/32 − 1; keep it within −31.
        int maxIndex = Math.Clamp(ChannelScales.StepsPerOctave * (base0.Shift + 30) + ChannelScales.StepsPerOctave - 1, 0, 255);
        var index = new byte[channels];
        double[] scales = new double[channels];
        for (int o = 0; o < channels; o++)
        {
            index[o] = perTensor ? (byte)0 : ScaleIndex(largest, ideal[o], maxIndex);
            scales[o] = GridScale(largest, index[o]);
        }

        int depth = effective[0].Length;
        var weights = new sbyte[channels * depth];
        var biasQ = new int[channels];
        for (int o = 0; o < channels; o++)
        {
            double correctedBias = bias[o];
            int[] codes = rounding?.Round(effective[o], scales[o]) ?? NearestCodes(effective[o], scales[o]);
            for (int k = 0; k < depth; k++)
            {
                int q = codes[k];
                weights[o * depth + k] = (sbyte)q;
                if (inputMean != null)
                {
                    correctedBias -= (q * scales[o] - effective[o][k]) * inputMean(o, k);
                }
            }

            biasQ[o] = SaturateToInt32(Math.Round(correctedBias / scales[o], MidpointRounding.AwayFromZero));
        }

        return new QuantizedLayer(weights, biasQ, scales, new ScaleGridRequantization(base0.Multiplier, base0.Shift, [.. index]));
    }

    /// <summary>Each weight rounded to its nearest code on the grid <paramref name="scale"/> (half away from zero), within ±127.</summary>
    public static int[] NearestCodes(double[] weights, double scale) =>
        weights.Select(w => (int)Math.Clamp(Math.Round(w / scale, MidpointRounding.AwayFromZero), -127, 127)).ToArray();

    /// <summary>
    /// The grid step of a channel whose ideal scale (its largest |weight| / 127) is <paramref name="ideal"/>: the
    /// most steps below the layer's <paramref name="largest"/> that still reach the ideal scale, so the grid
    /// scale is the ideal one rounded up (a channel of zeros takes the largest scale: any scale holds zeros).
    /// </summary>
    public static byte ScaleIndex(double largest, double ideal, int maxIndex = byte.MaxValue) =>
        (byte)Math.Clamp(ideal == 0 ? 0 : (int)Math.Floor(ChannelScales.StepsPerOctave * Math.Log2(largest / ideal)), 0, maxIndex);

    public static double GridScale(double largest, byte index) => largest * Math.Pow(2, -(double)index / ChannelScales.StepsPerOctave);

    public static int SaturateToInt32(double value) => (int)Math.Clamp(value, int.MinValue, int.MaxValue);
}
