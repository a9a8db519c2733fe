using QuantEdge.Runtime;

namespace QuantEdge.Compiler.Evaluation;

/// <summary>One inference on the device runtime: the class, the int8 outputs and their real values.</summary>
public sealed record Prediction(int Class, sbyte[] Output, double[] Values);

/// <summary>
/// Runs a loaded model on real feature values exactly as a device would: each value becomes the raw
/// integer the device reads (in the feature's unit), the model quantizes it with integer math, runs,
/// and the outputs are dequantized for people.
/// </summary>
public static class DeviceRunner
{
    /// <summary>
    /// The raw integers a device passes to <see cref="Model.SetRawInputs"/> for these feature values:
    /// raw = round(x / 10^e) with e = <see cref="Model.GetInputUnitExponent"/> (half away from zero),
    /// saturated to the int range.
    /// </summary>
    public static int[] RawInputs(Model model, ReadOnlySpan<float> features)
    {
        if (features.Length != model.InputLength)
        {
            throw new ArgumentException($"the model takes {model.InputLength} inputs, {features.Length} were given", nameof(features));
        }

        var raw = new int[features.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            int exponent = model.GetInputUnitExponent(i);
            // Multiplying by an exact power of ten is exact where dividing by an inexact 10^e is not.
            double units = exponent <= 0 ? features[i] * Math.Pow(10, -exponent) : features[i] / Math.Pow(10, exponent);
            raw[i] = (int)Math.Clamp(Math.Round(units, MidpointRounding.AwayFromZero), int.MinValue, int.MaxValue);
        }

        return raw;
    }

    /// <summary>Sets the raw inputs for <paramref name="features"/>, invokes the model and reads its outputs.</summary>
    public static Prediction Run(Model model, ReadOnlySpan<float> features)
    {
        model.SetRawInputs(RawInputs(model, features));
        model.Invoke();
        var output = new sbyte[model.OutputLength];
        model.GetOutputs(output);
        double scale = OutputScale(model);
        int zeroPoint = model.OutputTensor.ZeroPoint;
        return new Prediction(model.ArgMax(), output, output.Select(q => (q - zeroPoint) * scale).ToArray());
    }

    /// <summary>The output tensor's scale (the blob stores its float32 bits).</summary>
    public static double OutputScale(Model model) => BitConverter.Int32BitsToSingle(model.OutputTensor.ScaleBits);
}
