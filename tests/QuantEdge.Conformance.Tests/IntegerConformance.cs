using Onnx;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.PreQuantized;
using QuantEdge.Runtime;

namespace QuantEdge.Conformance.Tests;

/// <summary>
/// Runs an integer case (QuantizeLinear, DequantizeLinear, QLinearMatMul, QLinearConv, MatMulInteger,
/// ConvInteger) through <see cref="PreQuantizedImporter"/>, the blob and the device runtime, and
/// compares every output with ONNX's expected values exactly: integers must be equal, and a float
/// output (DequantizeLinear) must be the same float32.
/// </summary>
internal static class IntegerConformance
{
    public static IReadOnlySet<string> Operators { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "QuantizeLinear", "DequantizeLinear", "QLinearMatMul", "QLinearConv", "MatMulInteger", "ConvInteger",
    };

    public static CaseResult Run(OnnxCase c, CaseSubject subject)
    {
        var fits = new List<RequantizationReport>();
        foreach (DataSet set in c.ReadDataSets())
        {
            (ModelProto model, Dictionary<string, TensorProto> inputs) = ParameterBinding.Bind(c, set);
            if (inputs.Count != 1)
            {
                return new CaseResult(c, subject, Verdict.UnsupportedVariant, $"{inputs.Count} computed inputs; the device takes one.");
            }

            double[] input = Values(inputs.Values.Single());
            PreQuantizedModel imported;
            try
            {
                // ONNX's test inputs are whole numbers: raw device inputs count units of 1.
                var options = new PreQuantizedOptions { InputUnitExponent = input.All(v => v == Math.Floor(v)) ? 0 : null };
                imported = PreQuantizedImporter.Load(ParameterBinding.Bytes(model), options);
            }
            catch (OnnxImportException e)
            {
                bool importerFault = e.Message.Contains("malformed node", StringComparison.Ordinal);
                return new CaseResult(c, subject, importerFault ? Verdict.Failed : Verdict.UnsupportedVariant, e.Message);
            }

            fits.AddRange(imported.Requantizations);
            double[] actual = imported.Run(Model.Load(imported.Blob), input);
            double[] expected = Values(set.Outputs[0]);
            for (int j = 0; j < expected.Length; j++)
            {
                if (actual[j] != expected[j])
                {
                    int wrong = Enumerable.Range(0, expected.Length).Count(i => actual[i] != expected[i]);
                    return new CaseResult(c, subject, Verdict.Failed,
                        $"{wrong} of {expected.Length} outputs differ; first [{j}]: {actual[j]} instead of {expected[j]}") { Requantizations = fits };
                }
            }
        }

        return new CaseResult(c, subject, Verdict.Passed, "") { Requantizations = fits };
    }

    /// <summary>A tensor's elements as doubles (exact for every integer type and for float32).</summary>
    private static double[] Values(TensorProto tensor)
    {
        OnnxConstant constant = OnnxTensors.Read(tensor, null, tensor.Name);
        return constant.Floats?.Select(v => (double)v).ToArray() ?? constant.Integers!.Select(v => (double)v).ToArray();
    }
}
