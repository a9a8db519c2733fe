using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Ops;
using DataType = Onnx.TensorProto.Types.DataType;

// Constant: a value the importers read at import time; no node, no device op.

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class OnnxGraphImporter
    {
        [ForOp("Constant")]
        private void ConvertConstant(OnnxNodeContext c)
        {
            if (c.Node.Input.Count != 0)
            {
                throw c.Error("a Constant node takes no inputs.");
            }

            string context = $"{c.Description} value";
            var candidates = new List<OnnxConstant>();
            if (c.Tensor("value") is { } tensor)
            {
                candidates.Add(RequireFinite(OnnxTensors.Read(tensor, baseDirectory, context), context));
            }

            if (c.Has("value_float"))
            {
                candidates.Add(RequireFinite(new OnnxConstant([], [c.Float("value_float", 0)], null), context));
            }

            if (c.Floats("value_floats") is { } floats)
            {
                candidates.Add(RequireFinite(new OnnxConstant([floats.Length], floats, null), context));
            }

            if (c.Has("value_int"))
            {
                candidates.Add(new OnnxConstant([], null, [c.Int("value_int", 0)]));
            }

            if (c.Ints("value_ints") is { } ints)
            {
                candidates.Add(new OnnxConstant([ints.Length], null, ints));
            }

            if (candidates.Count != 1)
            {
                throw c.Error($"needs exactly one value attribute, has {candidates.Count}.");
            }

            DefineConstant(c.OutputName(0), candidates[0], c);
        }
    }
}

namespace QuantEdge.Compiler.PreQuantized
{
    internal sealed partial class PreQuantizedGraph
    {
        [ForOp("Constant")]
        private static Constant ReadConstant(OnnxNodeContext c)
        {
            global::Onnx.TensorProto tensor = c.Tensor("value") ?? throw c.Error("only a Constant with a tensor 'value' is supported here.");
            return new Constant(OnnxTensors.Read(tensor, null, $"{c.Description} value"), (DataType)tensor.DataType);
        }
    }
}
