using Google.Protobuf;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;

namespace QuantEdge.Compiler.Tests.Onnx;

/// <summary>
/// A smoke check on a few of ONNX's own backend test cases (Vectors/onnx-node, see its README): each
/// model imports and the executor reproduces test_data_set_0's expected output. ONNX feeds weights and
/// other parameters as graph inputs; the IR needs them constant, so the harness binds every input
/// after the first <c>computed</c> ones to its test value as an initializer.
/// </summary>
public class OnnxNodeTestDataTests
{
    private static string Root => Path.Combine(AppContext.BaseDirectory, "Vectors", "onnx-node");

    [Theory]
    [InlineData("test_relu", 1)]
    [InlineData("test_sigmoid", 1)]
    [InlineData("test_tanh", 1)]
    [InlineData("test_leakyrelu", 1)]
    [InlineData("test_softmax_axis_0", 1)]
    [InlineData("test_softmax_default_axis", 1)]
    [InlineData("test_maxpool_2d_pads", 1)]
    [InlineData("test_maxpool_2d_ceil", 1)]
    [InlineData("test_maxpool_2d_same_lower", 1)]
    [InlineData("test_maxpool_1d_default", 1)]
    [InlineData("test_averagepool_2d_pads_count_include_pad", 1)]
    [InlineData("test_averagepool_2d_same_upper", 1)]
    [InlineData("test_averagepool_2d_ceil", 1)]
    [InlineData("test_flatten_axis2", 1)]
    [InlineData("test_reshape_negative_dim", 1)]
    [InlineData("test_reshape_zero_and_negative_dim", 1)]
    [InlineData("test_gemm_alpha", 1)]
    [InlineData("test_gemm_beta", 1)]
    [InlineData("test_gemm_default_vector_bias", 1)]
    [InlineData("test_gemm_transposeB", 1)]
    [InlineData("test_matmul_2d", 1)]
    [InlineData("test_conv_with_strides_and_asymmetric_padding", 1)]
    [InlineData("test_conv_with_strides_padding", 1)]
    [InlineData("test_conv_with_autopad_same", 1)]
    [InlineData("test_basic_conv_with_padding", 1)]
    [InlineData("test_batchnorm_example", 1)]
    [InlineData("test_batchnorm_epsilon", 1)]
    [InlineData("test_clip", 1)]
    [InlineData("test_clip_default_min", 1)]
    [InlineData("test_concat_3d_axis_1", 2)]
    [InlineData("test_add_bcast", 2)]
    [InlineData("test_dropout_default", 1)]
    [InlineData("test_identity", 1)]
    public void ImportsAndReproducesTheExpectedOutput(string name, int computed)
    {
        string folder = Path.Combine(Root, name);
        var model = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(folder, "model.onnx")));
        var inputs = new Dictionary<string, float[]>();
        var graphInputs = model.Graph.Input.ToList();
        for (int i = 0; i < graphInputs.Count; i++)
        {
            global::Onnx.TensorProto value = ReadTensor(folder, $"input_{i}.pb");
            value.Name = graphInputs[i].Name;
            if (i < computed)
            {
                inputs[value.Name] = OnnxTensors.Read(value, null, value.Name).Floats!;
            }
            else
            {
                model.Graph.Input.Remove(graphInputs[i]);
                model.Graph.Initializer.Add(value);
            }
        }

        ModelGraph graph = OnnxImporter.Load(model.ToByteArray());
        IReadOnlyDictionary<string, float[]> actual = new FloatExecutor(graph).Run(inputs);
        for (int i = 0; i < model.Graph.Output.Count; i++)
        {
            string output = model.Graph.Output[i].Name;
            OnnxConstant expected = OnnxTensors.Read(ReadTensor(folder, $"output_{i}.pb"), null, output);
            Assert.Equal(expected.Shape, graph.ShapeOf(output));
            OnnxReference.AssertClose($"{name} {output}", expected.Floats!, actual[output]);
        }
    }

    private static global::Onnx.TensorProto ReadTensor(string folder, string file) =>
        global::Onnx.TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(folder, "test_data_set_0", file)));
}
