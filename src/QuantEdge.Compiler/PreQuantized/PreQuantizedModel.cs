using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Runtime;

namespace QuantEdge.Compiler.PreQuantized;

/// <summary>What a graph input or output holds, as the ONNX model declares it.</summary>
public enum ValueKind
{
    /// <summary>float32: quantized on the way in (the device's input rules), dequantized on the way out.</summary>
    Float,

    /// <summary>uint8 codes: the device holds code − 128 (same differences, zero point − 128).</summary>
    UInt8,

    /// <summary>int8 codes, as the device holds them.</summary>
    Int8,

    /// <summary>int32 accumulators of the last layer (MatMulInteger, ConvInteger), read with <see cref="Model.InvokeAccumulators"/>.</summary>
    Int32,
}

/// <summary>One requantization the import chose, and how exactly it reproduces ONNX's (see <see cref="ExactRequantizer"/>).</summary>
/// <param name="Layer">The ONNX node, or "input" for the input rules.</param>
/// <param name="Channel">Output channel (or, for per-axis input rules, the channel of the quantized axis).</param>
public sealed record RequantizationReport(string Layer, int Channel, ExactRatio Multiplier, RequantizationFit Fit);

/// <summary>
/// A model quantized elsewhere (QDQ or QLinear ONNX), as the device runs it. Values cross the boundary
/// in the model's own order and types: see <see cref="Run"/>.
/// </summary>
/// <param name="InputOrder">For each device input element, the index (row-major, ONNX order) of the model input element it holds.</param>
/// <param name="OutputOrder">Likewise for the output.</param>
public sealed record PreQuantizedModel(
    DeviceModel Device,
    byte[] Blob,
    string InputName,
    int[] InputShape,
    ValueKind InputKind,
    int[] InputOrder,
    string OutputName,
    int[] OutputShape,
    ValueKind OutputKind,
    int[] OutputOrder,
    IReadOnlyList<RequantizationReport> Requantizations)
{
    /// <summary>
    /// Runs one example on a loaded <paramref name="model"/> (this one's <see cref="Blob"/>), as the
    /// device would be fed and read: a float input becomes raw integers (real value / 10^unitExponent,
    /// rounded) that the device quantizes itself; uint8 codes are shifted by −128; a float output is
    /// dequantized as ONNX's DequantizeLinear does, (q − zero point) × scale in float32. Values are in
    /// ONNX order; integers and float32 values are exact in the doubles returned.
    /// </summary>
    public double[] Run(Model model, IReadOnlyList<double> input)
    {
        if (input.Count != InputOrder.Length)
        {
            throw new ArgumentException($"the model takes {InputOrder.Length} input values, got {input.Count}", nameof(input));
        }

        for (int j = 0; j < InputOrder.Length; j++)
        {
            double value = input[InputOrder[j]];
            switch (InputKind)
            {
                case ValueKind.Float:
                    model.SetRawInput(j, DeviceRunner.RawValue(value, model.GetInputUnitExponent(j)));
                    break;
                case ValueKind.UInt8:
                    model.SetInput(j, checked((sbyte)((int)value - 128)));
                    break;
                default:
                    model.SetInput(j, checked((sbyte)(int)value));
                    break;
            }
        }

        var output = new double[OutputOrder.Length];
        if (OutputKind == ValueKind.Int32)
        {
            var accumulators = new int[OutputOrder.Length];
            model.InvokeAccumulators(accumulators);
            for (int j = 0; j < output.Length; j++)
            {
                output[OutputOrder[j]] = accumulators[j];
            }

            return output;
        }

        model.Invoke();
        float scale = BitConverter.Int32BitsToSingle(model.OutputTensor.ScaleBits);
        int zeroPoint = model.OutputTensor.ZeroPoint;
        for (int j = 0; j < output.Length; j++)
        {
            int q = model.GetOutput(j);
            output[OutputOrder[j]] = OutputKind switch
            {
                ValueKind.Float => (float)(q - zeroPoint) * scale,
                ValueKind.UInt8 => q + 128,
                _ => q,
            };
        }

        return output;
    }
}
