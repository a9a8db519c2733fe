using Google.Protobuf;
using Onnx;
using QuantEdge.Compiler.Graph;

namespace QuantEdge.Compiler.Onnx;

/// <summary>
/// Reads an ONNX model (default-domain opsets <see cref="MinOpset"/>–<see cref="MaxOpset"/>) into a
/// float <see cref="ModelGraph"/>. Inference-time folding happens here: Identity and Dropout vanish,
/// BatchNormalization and constant Add/Sub/Mul/Div fold into the preceding Conv2D or Dense, Gemm and
/// MatMul become Dense, Flatten becomes Reshape, auto_pad and ceil_mode become explicit pads, and open
/// batch dimensions become 1; nodes no graph output depends on are dropped. Anything else is refused with an <see cref="OnnxImportException"/> that
/// names the node, its op type and what is supported.
/// </summary>
public static class OnnxImporter
{
    /// <summary>
    /// Opsets 1–6 are read with their legacy attributes: consumed_inputs (a memory hint, ignored),
    /// is_test (BatchNormalization and Dropout must be in test mode), broadcast/axis (Add, Sub, Mul,
    /// Div, Gemm) and Reshape's shape attribute (before opset 5).
    /// </summary>
    public const int MinOpset = 1;

    public const int MaxOpset = 21;

    /// <summary>ONNX op types (default domain) the importer accepts.</summary>
    public static IReadOnlyList<string> SupportedOps => OnnxGraphImporter.SupportedOps;

    /// <summary>Imports a model file; external tensor data is read relative to its folder.</summary>
    public static ModelGraph Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnnxImportException($"Cannot read ONNX model '{path}': {e.Message}", e);
        }

        return Load(bytes, Path.GetDirectoryName(Path.GetFullPath(path)), path);
    }

    /// <summary>Imports a model from its bytes (models with external tensor data need <see cref="Load(string)"/>).</summary>
    public static ModelGraph Load(byte[] bytes) => Load(bytes, null, "ONNX model");

    private static ModelGraph Load(byte[] bytes, string? baseDirectory, string source)
    {
        ModelProto model = Parse(bytes, source);
        if (model.Graph is null)
        {
            throw new OnnxImportException($"{source} has no graph: it is not an ONNX model, or it is truncated.");
        }

        OperatorSetIdProto? opset = model.OpsetImport.LastOrDefault(o => o.Domain is "" or "ai.onnx");
        if (opset is null)
        {
            throw new OnnxImportException($"{source} imports no default-domain (ai.onnx) opset: it is not an ONNX model, or it is truncated.");
        }

        if (opset.Version < MinOpset || opset.Version > MaxOpset)
        {
            throw new OnnxImportException($"{source} uses ai.onnx opset {opset.Version}; this importer supports opsets {MinOpset} to {MaxOpset}.");
        }

        ModelGraph graph = new OnnxGraphImporter(model.Graph, (int)opset.Version, baseDirectory).Import();
        graph.Metadata = model.MetadataProps.GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        return graph;
    }

    private static ModelProto Parse(byte[] bytes, string source)
    {
        if (bytes.Length == 0)
        {
            throw new OnnxImportException($"{source} is empty.");
        }

        try
        {
            return ModelProto.Parser.ParseFrom(bytes);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidOperationException or ArgumentException)
        {
            throw new OnnxImportException($"{source} is not a readable ONNX model (it may be truncated or not ONNX at all): {e.Message}", e);
        }
    }
}
