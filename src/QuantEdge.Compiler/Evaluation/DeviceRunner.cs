using QuantEdge.Compiler.Quantization.Lowering;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Interpreter;

namespace QuantEdge.Compiler.Evaluation;

/// <summary>The device's answer for one input: the predicted class and the dequantized outputs.</summary>
public sealed record Prediction(int Class, double[] Outputs);

/// <summary>
/// Runs one row of features through a loaded <see cref="Model"/> exactly as a device would: each
/// feature becomes the raw integer the device is fed (real value / 10^unitExponent, rounded), the
/// runtime quantizes it, runs, and the int8 outputs are dequantized for display. Features come in the
/// model's own (ONNX, NCHW) order and are laid out in the device's NHWC order here.
/// </summary>
public static class DeviceRunner
{
    /// <summary>The raw integer inputs, in device order, for a row of real feature values in model order.</summary>
    public static int[] RawInputs(Model model, ReadOnlySpan<float> features)
    {
        TensorInfo input = model.InputTensor;
        if (features.Length != input.Elements)
        {
            throw new ArgumentException($"the model takes {input.Elements} inputs, the row has {features.Length}");
        }

        int[] order = InputOrder(input);
        var raw = new int[order.Length];
        for (int j = 0; j < raw.Length; j++)
        {
            raw[j] = RawValue(features[order[j]], model.GetInputUnitExponent(j));
        }

        return raw;
    }

    /// <summary>Quantizes a row on the "device", runs it and reads the outputs.</summary>
    public static Prediction Run(Model model, ReadOnlySpan<float> features)
    {
        model.SetRawInputs(RawInputs(model, features));
        model.Invoke();
        var outputs = new double[model.OutputLength];
        for (int i = 0; i < outputs.Length; i++)
        {
            outputs[i] = Dequantize(model, model.GetOutput(i));
        }

        return new Prediction(model.ArgMax(), outputs);
    }

    /// <summary>The real value of an int8 output code: (q − zero point) × scale.</summary>
    public static double Dequantize(Model model, int q)
    {
        TensorInfo output = model.OutputTensor;
        return (q - output.ZeroPoint) * (double)BitConverter.Int32BitsToSingle(output.ScaleBits);
    }

    /// <summary>The integer a device is fed for a real value counted in units of 10^unitExponent.</summary>
    public static int RawValue(double value, int unitExponent) =>
        (int)Math.Clamp(Math.Round(value / Math.Pow(10, unitExponent), MidpointRounding.AwayFromZero), int.MinValue, int.MaxValue);

    /// <summary>For each device input element, the index of the model-order (NCHW) feature it takes.</summary>
    public static int[] InputOrder(TensorInfo input) => DevicePlan.NaturalOrder([input.N, input.C, input.H, input.W]);
}
