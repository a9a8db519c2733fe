using QuantEdge.Compiler.Blob;

namespace QuantEdge.Compiler.Onnx;

/// <summary>How an exported graph computes between its int8 tensors.</summary>
public enum QdqArithmetic
{
    /// <summary>
    /// The device's integer arithmetic, written with standard ONNX ops: each layer's accumulator is
    /// computed exactly over the int8 codes (DequantizeLinear with scale 1 and the zero point, then the
    /// float op on integer values, exact below 2^24), and requantized in int64 exactly as the runtime's
    /// MultiplyByQuantizedMultiplier does (TFLite's double rounding). Agrees with the runtime bit for
    /// bit except in softmax, which is ONNX's float softmax (see <see cref="QdqExporter"/>).
    /// </summary>
    Device,

    /// <summary>
    /// Standard QDQ: DequantizeLinear → float op → QuantizeLinear around every layer, with the real
    /// scales. What other tools read, and what ONNX Runtime fuses into its int8 kernels. It rounds once
    /// where the device rounds twice: double rounding equals single rounding of the value moved
    /// 2^(shift−1) steps away from zero, so about 2^shift of a layer's outputs (shift ≈ −8: 0.1–0.4%)
    /// land one step apart, and later layers can widen that to a few steps.
    /// </summary>
    Float,
}

/// <summary>
/// Exports a QuantEdge blob as a QDQ ONNX model (opset 13): each device tensor is an int8 ONNX value;
/// the float model input is quantized with QuantizeLinear (per axis when the blob quantizes each
/// feature on its own) and the output dequantized with DequantizeLinear, so the model is a drop-in for
/// the float model it came from (same input, [N, features] or NCHW). Weights stay int8 and biases
/// int32 in the file. Between the tensors, <see cref="QdqArithmetic"/> chooses standard QDQ float ops
/// or the device's exact integer arithmetic.
/// </summary>
/// <remarks>
/// Weight scales are not in the blob; the requantization multipliers are. A layer's accumulator unit is
/// worth A[o] = multiplier[o] × 2^shift[o] / 2^31 × outputScale, so (Float) the weight scale is
/// A[o] / inputScale (per output channel, axis 0) and the bias scale A[o]; (Device) the multiplier and
/// shift are applied as the device applies them.
/// Per op:
/// <list type="bullet">
/// <item>FullyConnected → Gemm (transB). The blob's bias has the input zero point folded in; it is
/// unfolded so that the input's DequantizeLinear carries the zero point. With per-feature input
/// quantization the first layer's DequantizeLinear is per axis; in Float its int8 weights (compensated
/// for each feature's scale) get their real value from a Mul with 1 / featureScale[k].</item>
/// <item>Conv2D → Conv; DepthwiseConv2D → Conv with group = input channels (weights OIHW). The device's
/// implicit trailing padding becomes explicit pads; a larger ONNX output is sliced.</item>
/// <item>MaxPool2D → MaxPool. GlobalAveragePool → GlobalAveragePool (Device: ReduceSum of the codes).
/// Add → Add, Mul → Mul (Device: TFLite's integer add and mul).</item>
/// <item>AveragePool2D (both): TFLite's int8 average rounds half away from zero, which no ONNX rounding
/// does, and pool windows make exact halves common. So it runs on the int8 codes: Cast to float,
/// AveragePool (padding not counted), add sign × 1/(4 × window area) (moves exact halves away from zero
/// and nothing else: other averages are at least 1/(2 × area) from a half), QuantizeLinear with scale 1.</item>
/// <item>Softmax → Softmax over the channel axis (beta, recovered from the input multiplier, as a Mul
/// when it is not 1). The device's fixed-point exp and reciprocal are not emulated, so softmax outputs
/// can differ by one step (1/256).</item>
/// <item>Lookup: the blob holds a 256-entry table, not the function it came from, so it is exported
/// exactly as a table: Cast of the int8 input to int32, Gather from the table (rotated by 128, since
/// Gather counts negative indices from the end).</item>
/// <item>Reshape and Concat move int8 values: Reshape/Transpose between the device's NHWC byte order
/// and ONNX's NCHW, Concat on the int8 values (inputs and output share one quantization).</item>
/// <item>Fused activation clamps: Float: none when they cover the full int8 range (QuantizeLinear
/// saturates), Relu when the clamp starts at the zero point, Clip otherwise; Device: Clip on the codes.</item>
/// </list>
/// Tensors with H = W = 1 are [N, C] in ONNX, others [N, C, H, W]. The batch dimension is symbolic
/// ("N") when no op mixes batches.
/// </remarks>
public static class QdqExporter
{
    /// <summary>The default-domain opset written: per-axis QuantizeLinear and DequantizeLinear need 13.</summary>
    public const int Opset = 13;

    /// <summary>Name of the model's float input.</summary>
    public const string InputName = "input";

    /// <summary>Name of the model's float (dequantized) output.</summary>
    public const string OutputName = "output";

    /// <summary>Largest average-pool window exported exactly (the tie nudge must exceed float32 error).</summary>
    public const int MaxAveragePoolWindow = 16384;

    /// <summary>The QDQ ONNX model of a blob.</summary>
    /// <exception cref="QuantEdge.Runtime.ModelFormatException">The blob is not a valid QuantEdge model.</exception>
    /// <exception cref="NotSupportedException">The blob uses something the export cannot express (the message says what).</exception>
    public static byte[] Export(byte[] blob, QdqArithmetic arithmetic = QdqArithmetic.Device) =>
        new QdqGraph(BlobReader.Read(blob).Model, arithmetic).Build();

    /// <summary>
    /// The export with every device tensor also a graph output (int8, named "t&lt;index&gt;"), to compare
    /// layer by layer with a blob whose tensors keep their own arena bytes.
    /// </summary>
    internal static byte[] ExportWithEveryTensor(byte[] blob, QdqArithmetic arithmetic) =>
        new QdqGraph(BlobReader.Read(blob).Model, arithmetic).Build(everyTensor: true);
}
