using Google.Protobuf;
using Onnx;

namespace QuantEdge.Conformance.Tests;

/// <summary>
/// ONNX's node cases feed every operand as a graph input, weights included. QuantEdge compiles a
/// model for one input: weights, biases, shapes, clip bounds, scales and zero points must be constants.
/// So, as a deployed model would have them, the operands below become initializers holding the data
/// set's values; everything else stays a computed graph input. Div is included because the importer
/// takes it by a constant only (Add, Sub, Mul, Max and Min of two computed values are supported and stay so);
/// Pad's pads and value, ReduceSum's, Squeeze's and Unsqueeze's axes, Slice's starts, ends, axes and steps and Split's sizes (inputs
/// from opsets 10, 11 and 13) are constants in a deployed model too.
/// </summary>
internal static class ParameterBinding
{
    /// <summary>For each operator, the input slots bound as constants.</summary>
    public static readonly IReadOnlyDictionary<string, int[]> ConstantSlots = new Dictionary<string, int[]>(StringComparer.Ordinal)
    {
        ["Conv"] = [1, 2],
        ["Gemm"] = [1, 2],
        ["MatMul"] = [1],
        ["BatchNormalization"] = [1, 2, 3, 4],
        ["Clip"] = [1, 2],
        ["Reshape"] = [1],
        ["Dropout"] = [1, 2],
        ["Div"] = [1],
        ["Pad"] = [1, 2],
        ["ReduceSum"] = [1],
        ["Squeeze"] = [1],
        ["Unsqueeze"] = [1],
        ["Slice"] = [1, 2, 3, 4],
        ["Split"] = [1],
        ["QuantizeLinear"] = [1, 2],
        ["DequantizeLinear"] = [1, 2],
        ["QLinearMatMul"] = [1, 2, 3, 4, 5, 6, 7],
        ["QLinearConv"] = [1, 2, 3, 4, 5, 6, 7, 8],
        ["MatMulInteger"] = [1, 2, 3],
        ["ConvInteger"] = [1, 2, 3],
    };

    /// <summary>
    /// A copy of the case's model with the constant operands of <paramref name="set"/> bound as
    /// initializers, and the data set's values of the graph inputs that remain (by name).
    /// </summary>
    public static (ModelProto Model, Dictionary<string, TensorProto> Inputs) Bind(OnnxCase c, DataSet set)
    {
        ModelProto model = c.Model.Clone();
        GraphProto graph = model.Graph;
        HashSet<string> constantNames = ConstantOperands(graph);
        var inputs = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        List<ValueInfoProto> computed = c.ComputedInputs.ToList();
        for (int i = 0; i < computed.Count && i < set.Inputs.Length; i++)
        {
            TensorProto value = set.Inputs[i].Clone();
            value.Name = computed[i].Name;
            if (constantNames.Contains(value.Name))
            {
                graph.Input.Remove(graph.Input.First(v => v.Name == value.Name));
                graph.Initializer.Add(value);
            }
            else
            {
                inputs[value.Name] = value;
            }
        }

        return (model, inputs);
    }

    public static byte[] Bytes(ModelProto model) => model.ToByteArray();

    private static HashSet<string> ConstantOperands(GraphProto graph)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (NodeProto node in graph.Node)
        {
            if (node.Domain is "" or "ai.onnx" && ConstantSlots.TryGetValue(node.OpType, out int[]? slots))
            {
                names.UnionWith(slots.Where(s => s < node.Input.Count && node.Input[s].Length > 0).Select(s => node.Input[s]));
            }
        }

        return names;
    }
}
