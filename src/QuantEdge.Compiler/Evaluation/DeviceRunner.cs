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
    public static int[] RawInputs(Model model, ReadOnlySpan<float> features) => (int[])new Rows(model).RawInputs(features).Clone();

    /// <summary>Quantizes a row on the "device", runs it and reads the outputs.</summary>
    public static Prediction Run(Model model, ReadOnlySpan<float> features)
    {
        var rows = new Rows(model);
        rows.Run(features);
        var outputs = new double[model.OutputLength];
        rows.Outputs(outputs);
        return new Prediction(model.ArgMax(), outputs);
    }

    /// <summary>The real value of an int8 output code: (q − zero point) × scale.</summary>
    public static double Dequantize(Model model, int q)
    {
        TensorInfo output = model.OutputTensor;
        return (q - output.ZeroPoint) * (double)BitConverter.Int32BitsToSingle(output.ScaleBits);
    }

    /// <summary>The integer a device is fed for a real value counted in units of 10^unitExponent.</summary>
    public static int RawValue(double value, int unitExponent) => RawValue(value, Unit(unitExponent));

    /// <summary>The integer a device is fed for a real value counted in units of <paramref name="unit"/> (<see cref="Unit"/>).</summary>
    private static int RawValue(double value, double unit) =>
        (int)Math.Clamp(Math.Round(value / unit, MidpointRounding.AwayFromZero), int.MinValue, int.MaxValue);

    /// <summary>10^unitExponent, the real value of one raw unit.</summary>
    private static double Unit(int unitExponent) => Math.Pow(10, unitExponent);

    /// <summary>For each device input element, the index of the model-order (NCHW) feature it takes.</summary>
    public static int[] InputOrder(TensorInfo input) => DevicePlan.NaturalOrder([input.N, input.C, input.H, input.W]);

    /// <summary>
    /// Runs row after row through one loaded model exactly as <see cref="Run"/> does (the same raw inputs, the same dequantized
    /// outputs), with what every row shares worked out once: nothing is allocated per row. A model runs one row at a time, so
    /// threads that share out rows each need their own model and <see cref="Rows"/>.
    /// </summary>
    public sealed class Rows
    {
        private readonly int[] order;
        private readonly double[] units;
        private readonly int[] raw;
        private readonly int zeroPoint;
        private readonly double scale;

        public Rows(Model model)
        {
            Model = model;
            order = InputOrder(model.InputTensor);
            units = Enumerable.Range(0, order.Length).Select(j => Unit(model.GetInputUnitExponent(j))).ToArray();
            raw = new int[order.Length];
            zeroPoint = model.OutputTensor.ZeroPoint;
            scale = BitConverter.Int32BitsToSingle(model.OutputTensor.ScaleBits);
        }

        public Model Model { get; }

        /// <summary>Quantizes a row of real feature values (model order) on the "device" and runs it.</summary>
        public void Run(ReadOnlySpan<float> features)
        {
            Model.SetRawInputs(RawInputs(features));
            Model.Invoke();
        }

        /// <summary>The raw integer inputs, in device order, for a row of real feature values in model order (a buffer reused by the next row).</summary>
        public int[] RawInputs(ReadOnlySpan<float> features)
        {
            if (features.Length != raw.Length)
            {
                throw new ArgumentException($"the model takes {raw.Length} inputs, the row has {features.Length}");
            }

            for (int j = 0; j < raw.Length; j++)
            {
                raw[j] = RawValue(features[order[j]], units[j]);
            }

            return raw;
        }

        /// <summary>Output <paramref name="index"/> of the last row run, dequantized (<see cref="Dequantize"/>).</summary>
        public double Output(int index) => (Model.GetOutput(index) - zeroPoint) * scale;

        /// <summary>Every output of the last row run, dequantized, into <paramref name="destination"/>.</summary>
        public void Outputs(double[] destination)
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = Output(i);
            }
        }
    }
}
