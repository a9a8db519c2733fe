namespace QuantEdge.Compiler.Graph;

/// <summary>
/// A graph that cannot be right: inconsistent shapes (shape inference failed), values used before they
/// are produced, duplicate names. The importer wraps it with the ONNX node it came from.
/// </summary>
public sealed class InvalidGraphException(string message) : Exception(message);
