using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Ops;

// Concat: everything the host compiler does with it, one part per pass, in pass order. Its float node is
// ConcatNode (Graph/Nodes/Shaping.cs), its device record ConcatRecord (Blob/Records/ConcatRecord.cs).

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class OnnxGraphImporter
    {
        [ForOp("Concat")]
        private void ConvertConcat(OnnxNodeContext c)
        {
            if (c.Node.Input.Count == 0)
            {
                throw c.Error("needs at least one input.");
            }

            string[] operands = Enumerable.Range(0, c.Node.Input.Count).Select(i => Activation(c, i)).ToArray();
            if (!c.Has("axis") && opset >= 4)
            {
                throw c.Error("the axis attribute is required.");
            }

            // Before opset 4 the axis defaults to 1.
            int axis = OnnxSemantics.NormalizeAxis(c, c.Int("axis", 1), shapes[operands[0]].Length, allowRank: false);
            Emit(new ConcatNode { Name = c.IrName, Operands = operands, Output = c.OutputName(0), Axis = axis }, c);
        }
    }
}

namespace QuantEdge.Compiler.Quantization.Lowering
{
    internal sealed partial class DevicePlan
    {
        [ForOp(typeof(ConcatNode))]
        private void PlanConcat(ConcatNode concat) =>
            AddStep(new Step(StepKind.Concat, concat, concat.Operands.Select(o => RequantizedIfFixed(o, concat)).ToList(), concat.Output));

        /// <summary>
        /// Concat copies bytes, so all its inputs share one quantization. An input whose quantization its
        /// op fixes (sigmoid, tanh, softmax) would force that on the others; instead it is requantized
        /// into the shared one by an identity lookup table.
        /// </summary>
        private string RequantizedIfFixed(string value, ConcatNode concat)
        {
            Step? producer = Steps.LastOrDefault(s => s.Output == value);
            if (producer?.FixedOutput == null)
            {
                return value;
            }

            string copy = value + "#requantized";
            if (!values.ContainsKey(copy))
            {
                values[copy] = values[value] with { Name = copy };
                Steps.Add(new Step(StepKind.Lookup, concat, [value], copy) { Function = x => x });
            }

            return copy;
        }
    }

    internal sealed partial class Lowerer
    {
        [ForOp(StepKind.Concat)]
        private ConcatRecord LowerConcat(StepTensors s) =>
            new([.. s.Step.Inputs.Select(i => tensorIndex[i])], s.Output, DevicePlan.DeviceAxes(s.OutValue.FloatShape.Length)[((ConcatNode)s.Step.Node).Axis]);
    }
}

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class QdqGraph
    {
        [ForOp(typeof(ConcatRecord))]
        private void Concat(ConcatRecord concat)
        {
            IReadOnlyList<int> dims = model.Tensors[concat.Output].Dims;
            bool rank4 = IsRank4(dims);
            string[] inputs = concat.Inputs.Select(i => rank4 ? Rank4(values[i], model.Tensors[i].Dims) : values[i]).ToArray();
            long axis = rank4 ? NchwAxisOfNhwcAxis[concat.Axis] : concat.Axis == 0 ? 0 : 1;
            values[concat.Output] = Node("Concat", inputs, a => a.Int("axis", axis));
        }
    }
}
