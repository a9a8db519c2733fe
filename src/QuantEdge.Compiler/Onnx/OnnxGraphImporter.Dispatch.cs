using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Ops;

namespace QuantEdge.Compiler.Onnx;

/// <summary>
/// The dispatch of ONNX nodes to their op's import (in <c>Ops/</c>) and what those share: reading a node's
/// inputs as computed values or constants, and folding into the layer before.
/// </summary>
internal sealed partial class OnnxGraphImporter
{
    /// <summary>Each ONNX op type's import: a <c>[ForOp("OpType")]</c> method in the op's file, <c>Ops/&lt;Op&gt;.cs</c>.</summary>
    private static readonly OpParts<string> Imports = new(typeof(OnnxGraphImporter), StringComparer.Ordinal);

    public static readonly IReadOnlyList<string> SupportedOps = Imports.Keys.Order(StringComparer.Ordinal).ToArray();

    private void Convert(OnnxNodeContext c)
    {
        if (c.Node.Domain is not ("" or "ai.onnx"))
        {
            throw Unsupported(c, $"op '{c.Node.OpType}' of domain '{c.Node.Domain}' is not supported");
        }

        if (opset < 6)
        {
            // A legacy hint that an output may reuse an input's buffer; it does not change results.
            c.Ignore("consumed_inputs");
        }

        if (!Imports.TryRun(this, c.Node.OpType, [c], out _))
        {
            throw Unsupported(c, $"op type '{c.Node.OpType}' is not supported");
        }
    }

    private OnnxImportException Unsupported(OnnxNodeContext c, string what) =>
        c.Error($"{what}. Supported ops (ai.onnx opsets {OnnxImporter.MinOpset}-{OnnxImporter.MaxOpset}): {string.Join(", ", SupportedOps)}.");

    /// <summary>Before opset 7, BatchNormalization and Dropout compute training-mode results unless is_test is set.</summary>
    private void RequireTestMode(OnnxNodeContext c)
    {
        if (opset < 7 && c.Int("is_test", 0) == 0)
        {
            throw c.Error("is_test=0 (training mode) is not supported; only test (inference) mode.");
        }
    }

    /// <summary>
    /// Folds a per-output-channel factor (<paramref name="multiply"/>: weights and bias scale) or
    /// offset (bias shifts) into a Conv2D or Dense.
    /// </summary>
    private static Node ScaleOutputChannels(Node node, float[] perChannel, bool multiply)
    {
        var layer = node as IOutputChannelLayer ?? throw new InvalidOperationException($"{node} cannot absorb a per-channel operation.");
        return layer.WithParameters(Weights(layer.Weights), Bias(layer.Bias));

        float[] Bias(float[] bias) => bias.Select((b, o) => multiply ? b * perChannel[o] : b + perChannel[o]).ToArray();

        // Output channel is the outermost weight axis in both layouts ([Out, In] and OIHW).
        FloatTensor Weights(FloatTensor weights)
        {
            if (!multiply)
            {
                return weights;
            }

            int block = weights.Length / perChannel.Length;
            return new FloatTensor(weights.Shape, weights.Data.Select((w, i) => w * perChannel[i / block]).ToArray());
        }
    }

    /// <summary>The computed input of a node that has exactly one input.</summary>
    private string SoleInput(OnnxNodeContext c)
    {
        c.RequireInputs(1, 1);
        return Activation(c, 0);
    }

    private void RejectUsedExtraOutputs(OnnxNodeContext c, string what)
    {
        foreach (string extra in c.Node.Output.Skip(1).Where(o => o.Length > 0))
        {
            if (consumedNames.Contains(extra) || graphOutputs.Contains(extra))
            {
                throw c.Error($"output '{extra}' ({what}) is used; it is not supported.");
            }
        }
    }

    /// <summary>The alias-resolved name of input <paramref name="i"/>, which must be computed at run time.</summary>
    private string Activation(OnnxNodeContext c, int i)
    {
        string name = c.InputName(i) ?? throw c.Error($"input {i} is missing.");
        string value = Resolve(name);
        if (constants.ContainsKey(value))
        {
            throw c.Error($"input {i} ('{name}') is a constant where a computed value is expected; graphs that compute on constants alone are not supported.");
        }

        return shapes.ContainsKey(value)
            ? value
            : throw c.Error($"input {i} ('{name}') is not a graph input, initializer or output of an earlier node.");
    }

    private bool IsConstantInput(OnnxNodeContext c, int i) => c.InputName(i) is { } name && constants.ContainsKey(Resolve(name));

    private OnnxConstant ConstantInput(OnnxNodeContext c, int i, string role)
    {
        string name = c.InputName(i) ?? throw c.Error($"input {i} ({role}) is missing.");
        string value = Resolve(name);
        if (constants.TryGetValue(value, out OnnxConstant? constant))
        {
            return constant;
        }

        throw shapes.ContainsKey(value)
            ? c.Error($"input {i} ('{name}', {role}) must be a constant (initializer or Constant node); it is computed at run time.")
            : c.Error($"input {i} ('{name}', {role}) is not a graph input, initializer or output of an earlier node.");
    }

    private OnnxConstant FloatConstantTensor(OnnxNodeContext c, int i, string role)
    {
        OnnxConstant constant = ConstantInput(c, i, role);
        return constant.Floats is not null ? constant : throw c.Error($"input {i} ({role}) must be floating-point, not integer.");
    }

    private float[] FloatConstant(OnnxNodeContext c, int i, string role) => FloatConstantTensor(c, i, role).Floats!;

    private long[] IntConstant(OnnxNodeContext c, int i, string role) =>
        ConstantInput(c, i, role).Integers ?? throw c.Error($"input {i} ({role}) must be an integer tensor.");

    private float Scalar(OnnxNodeContext c, int i, string role)
    {
        float[] values = FloatConstant(c, i, role);
        return values.Length == 1 ? values[0] : throw c.Error($"input {i} ({role}) must be a scalar, has {values.Length} values.");
    }
}
