using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Ops;

// Identity and inference-mode Dropout: an alias of their input, or a copy (a reshape, Reshape.cs); no device op of their own.

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class OnnxGraphImporter
    {
        /// <summary>
        /// Identity and inference-mode Dropout pass their input through. Most were turned into aliases
        /// up front. One that writes a graph output renames its input's producer instead, so that the
        /// output keeps its name, or becomes a same-shape Reshape (a copy) when the input is a graph
        /// input or is read elsewhere too.
        /// </summary>
        [ForOp("Identity")]
        [ForOp("Dropout")]
        private void ConvertPassThrough(OnnxNodeContext c)
        {
            c.RequireInputs(1, c.Node.OpType == "Dropout" ? 3 : 1);
            if (c.Node.OpType == "Dropout")
            {
                c.Ignore("ratio", "seed");
                RequireTestMode(c);
                if (c.InputName(2) is not null && (!IsConstantInput(c, 2) || IntConstant(c, 2, "training_mode").Any(v => v != 0)))
                {
                    throw c.Error("training_mode must be absent or a constant false; only inference-mode Dropout is supported.");
                }

                if (c.Node.Output.Count > 1 && c.Node.Output[1] is { Length: > 0 } mask && (consumedNames.Contains(mask) || graphOutputs.Contains(mask)))
                {
                    throw c.Error($"its mask output '{mask}' is used; only inference-mode Dropout (mask unused) is supported.");
                }
            }

            string output = c.OutputName(0);
            if (aliases.ContainsKey(output))
            {
                string source = Resolve(output);
                if (!shapes.ContainsKey(source) && !constants.ContainsKey(source))
                {
                    throw c.Error($"input '{c.InputName(0)}' is not a graph input, initializer or output of an earlier node.");
                }

                return;
            }

            string input = Activation(c, 0);
            if (TryGetSoleProducer(input, out int index))
            {
                ReplaceFolded(index, nodes[index], output, c);
                return;
            }

            Emit(new ReshapeNode { Name = c.IrName, Input = input, Output = output, TargetShape = shapes[input] }, c);
        }
    }
}

namespace QuantEdge.Compiler.PreQuantized
{
    internal sealed partial class PreQuantizedGraph
    {
        [ForOp("Identity")]
        private Value Identity(OnnxNodeContext c) => ValueOf(c, 0);
    }
}
