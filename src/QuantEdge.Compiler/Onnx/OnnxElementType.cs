namespace QuantEdge.Compiler.Onnx;

/// <summary>ONNX tensor element types the builder writes (values are ONNX's TensorProto.DataType codes).</summary>
public enum OnnxElementType
{
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    Int32 = 6,
    Int64 = 7,
    Bool = 9,
}
