using Google.Protobuf;
using Onnx;

namespace QuantEdge.Compiler.Onnx;

/// <summary>The attributes of one node being built: <c>a => a.Int("transB", 1).Floats("scales", 1, 2)</c>.</summary>
public sealed class OnnxAttributes
{
    internal List<AttributeProto> Items { get; } = [];

    public OnnxAttributes Int(string name, long value) =>
        Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });

    public OnnxAttributes Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return Add(attribute);
    }

    public OnnxAttributes Float(string name, float value) =>
        Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value });

    public OnnxAttributes Floats(string name, params float[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        attribute.Floats.AddRange(values);
        return Add(attribute);
    }

    public OnnxAttributes String(string name, string value) =>
        Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) });

    /// <summary>A tensor attribute (the "value" of a Constant node).</summary>
    public OnnxAttributes Tensor(string name, int[] shape, float[] data) => Tensor(name, OnnxTensors.Create(name, shape, data));

    /// <inheritdoc cref="Tensor(string, int[], float[])"/>
    public OnnxAttributes Tensor(string name, int[] shape, long[] data) => Tensor(name, OnnxTensors.Create(name, shape, data));

    private OnnxAttributes Tensor(string name, TensorProto tensor) =>
        Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = tensor });

    private OnnxAttributes Add(AttributeProto attribute)
    {
        if (Items.Any(a => a.Name == attribute.Name))
        {
            throw new ArgumentException($"Attribute '{attribute.Name}' is set twice.");
        }

        Items.Add(attribute);
        return this;
    }
}
