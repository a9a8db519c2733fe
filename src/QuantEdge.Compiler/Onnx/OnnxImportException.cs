namespace QuantEdge.Compiler.Onnx;

/// <summary>
/// An ONNX model this importer cannot turn into a <see cref="Graph.ModelGraph"/>: unreadable or
/// truncated bytes, an unsupported operator, attribute or type, or inconsistent shapes. The message
/// names the node (index, name and op type) where there is one.
/// </summary>
public sealed class OnnxImportException : Exception
{
    public OnnxImportException(string message)
        : base(message)
    {
    }

    public OnnxImportException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
