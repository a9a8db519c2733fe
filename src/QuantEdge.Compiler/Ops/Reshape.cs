using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Ops;
using QuantEdge.Compiler.Quantization.Lowering;

// Reshape, Flatten, Squeeze, Unsqueeze (and Identity's copy): everything the host compiler does with a reshape,
// one part per pass, in pass order. Its float node is ReshapeNode (Graph/Nodes/Shaping.cs), its device record
// ReshapeRecord (Blob/Records/ReshapeRecord.cs); ONNX's shape rules are in Onnx/OnnxSemantics.cs.

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class OnnxGraphImporter
    {
        [ForOp("Flatten")]
        private void ConvertFlatten(OnnxNodeContext c)
        {
            c.RequireInputs(1, 1);
            string input = Activation(c, 0);
            int[] target = OnnxSemantics.FlattenedShape(c, shapes[input], c.Int("axis", 1));
            Emit(new ReshapeNode { Name = c.IrName, Input = input, Output = c.OutputName(0), TargetShape = target }, c);
        }

        [ForOp("Reshape")]
        private void ConvertReshape(OnnxNodeContext c)
        {
            c.RequireInputs(opset < 5 ? 1 : 2, opset < 5 ? 1 : 2);
            string input = Activation(c, 0);
            long[] requested = opset < 5
                ? c.Ints("shape") ?? throw c.Error("the shape attribute is required before opset 5.")
                : IntConstant(c, 1, "shape");
            bool allowZero = opset >= 14 && c.Int("allowzero", 0) != 0;
            int[] target = OnnxSemantics.ReshapedShape(c, shapes[input], requested, allowZero);
            Emit(new ReshapeNode { Name = c.IrName, Input = input, Output = c.OutputName(0), TargetShape = target }, c);
        }

        /// <summary>
        /// Squeeze and Unsqueeze only relabel dimensions: a Reshape. Their axes are an attribute before
        /// opset 13 and a constant input from it on (Squeeze's optional: without it every 1 goes).
        /// </summary>
        [ForOp("Squeeze")]
        [ForOp("Unsqueeze")]
        private void ConvertSqueeze(OnnxNodeContext c)
        {
            bool squeeze = c.Node.OpType == "Squeeze";
            bool axesInput = opset >= 13;
            c.RequireInputs(axesInput && !squeeze ? 2 : 1, axesInput ? 2 : 1);
            string input = Activation(c, 0);
            long[]? axes = axesInput ? (c.InputName(1) is null ? null : IntConstant(c, 1, "axes")) : c.Ints("axes");
            int[] target = squeeze
                ? OnnxSemantics.SqueezedShape(c, shapes[input], axes)
                : OnnxSemantics.UnsqueezedShape(c, shapes[input], axes ?? throw c.Error("axes are required."));
            Emit(new ReshapeNode { Name = c.IrName, Input = input, Output = c.OutputName(0), TargetShape = target }, c);
        }
    }
}

namespace QuantEdge.Compiler.PreQuantized
{
    internal sealed partial class PreQuantizedGraph
    {
        [ForOp("Reshape")]
        [ForOp("Flatten")]
        private Value Reshape(OnnxNodeContext c)
        {
            bool flatten = c.Node.OpType == "Flatten";
            c.RequireInputs(flatten ? 1 : 2, flatten ? 1 : 2);
            long flattenAxis = flatten ? c.Int("axis", 1) : 0;
            long[] requested = flatten ? [] : IntegerValues(c, 1, "shape").Values;
            bool allowZero = !flatten && opset >= 14 && c.Int("allowzero", 0) != 0;

            return SameQuantizationOp(c, x =>
            {
                int[] shape = flatten ? OnnxSemantics.FlattenedShape(c, x.Shape, flattenAxis) : OnnxSemantics.ReshapedShape(c, x.Shape, requested, allowZero);
                // The bytes do not move: element j still holds ONNX element x.Order[j] (see DevicePlan's reshape).
                // A vector takes any order (the layer reading it permutes its weights); an image needs its natural one.
                int[] order = shape.Length <= 2 ? x.Order : DevicePlan.NaturalOrder(shape);
                if (shape.Length > 2 && !x.Order.SequenceEqual(order))
                {
                    throw c.Error($"reshaping {Shapes.Format(x.Shape)} to {Shapes.Format(shape)} reorders the device's NHWC bytes (a transpose the device does not do).");
                }

                return (shape, order, (input, output) => new ReshapeRecord(input, output));
            });
        }
    }
}

namespace QuantEdge.Compiler.Quantization.Lowering
{
    internal sealed partial class DevicePlan
    {
        [ForOp(typeof(ReshapeNode))]
        private void PlanReshape(ReshapeNode reshape)
        {
            DeviceValue input = values[reshape.Input];
            int[] outputShape = reshape.OutputShape;
            int[] natural = NaturalOrder(outputShape);
            // The bytes do not move: device element j still holds float element input.FlatOrder[j], and a
            // reshape keeps flat indices. Fine when that is the output's natural order, or when the output
            // is a vector (its users take any order, see Lower); an image re-laid-out needs a transpose.
            if (!input.FlatOrder.SequenceEqual(natural) && outputShape.Length > 2)
            {
                throw Unsupported(reshape, $"reshaping {Shapes.Format(input.FloatShape)} to {Shapes.Format(outputShape)} reorders the device's NHWC bytes (a transpose the device does not do)");
            }

            AddValue(reshape.Output, outputShape, input.FlatOrder);
            Steps.Add(new Step(StepKind.Reshape, reshape, [reshape.Input], reshape.Output));
        }
    }

    internal sealed partial class Lowerer
    {
        [ForOp(StepKind.Reshape)]
        private ReshapeRecord LowerReshape(StepTensors s) => new(s.Input, s.Output);
    }
}

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class QdqGraph
    {
        [ForOp(typeof(ReshapeRecord))]
        private void ExportReshape(ReshapeRecord reshape) =>
            values[reshape.Output] = Relayout(values[reshape.Input], model.Tensors[reshape.Input].Dims, model.Tensors[reshape.Output].Dims);
    }
}
