using Google.Protobuf;
using Onnx;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Onnx;

namespace QuantEdge.Compiler.PreQuantized;

/// <summary>How to import a model quantized elsewhere.</summary>
public sealed record PreQuantizedOptions
{
    /// <summary>
    /// For a float input: the unit raw input values are counted in (10^exponent; 0 when the raw
    /// values are the real values themselves). Null: one tenth of the input scale's decade, as the
    /// quantizer chooses for non-integral data.
    /// </summary>
    public int? InputUnitExponent { get; init; }

    public string? ModelName { get; init; }
}

/// <summary>
/// Imports an ONNX model that is already quantized — QLinear operators (QLinearConv, QLinearMatMul),
/// integer operators (ConvInteger, MatMulInteger) or QDQ (QuantizeLinear/DequantizeLinear around float
/// Conv, Gemm, MatMul) — and maps it onto device ops as it is, without calibration: the model's own
/// scales, zero points, integer weights and biases are kept, and every requantization is chosen by
/// <see cref="ExactRequantizer"/> to reproduce ONNX's round-half-to-even where the device can.
/// </summary>
/// <remarks>
/// uint8 tensors become int8 with code − 128 and zero point − 128 (differences, hence results, are
/// unchanged). A float graph input must go straight into QuantizeLinear, whose scale and zero point
/// (per tensor, or per channel) become the device's input rules; a float graph output must come
/// straight from DequantizeLinear. Activations are quantized per tensor; weights per tensor or per
/// output channel, with one zero point per layer. Refusals are <see cref="OnnxImportException"/>s naming the node.
/// </remarks>
public static class PreQuantizedImporter
{
    /// <summary>ONNX op types (default domain) this import takes.</summary>
    public static IReadOnlyList<string> SupportedOps => PreQuantizedGraph.SupportedOps;

    public static PreQuantizedModel Load(byte[] onnx, PreQuantizedOptions? options = null)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(onnx);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxImportException($"not a readable ONNX model: {e.Message}", e);
        }

        OperatorSetIdProto opset = model.OpsetImport.LastOrDefault(o => o.Domain is "" or "ai.onnx")
            ?? throw new OnnxImportException("the model imports no default-domain (ai.onnx) opset.");
        if (model.Graph is null || opset.Version < 10 || opset.Version > OnnxImporter.MaxOpset)
        {
            throw new OnnxImportException($"a quantized model needs ai.onnx opset 10 (QLinear operators) to {OnnxImporter.MaxOpset}; this one has {opset.Version}.");
        }

        return new PreQuantizedGraph(model.Graph, (int)opset.Version, options ?? new PreQuantizedOptions()).Import();
    }

    public static PreQuantizedModel Load(string path, PreQuantizedOptions? options = null) => Load(File.ReadAllBytes(path), options);
}
