using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Ops;
using QuantEdge.Compiler.Quantization;

// Softmax: everything the host compiler does with it, one part per pass, in pass order. Its float node is
// SoftmaxNode (Graph/Nodes/SoftmaxNode.cs), its device record SoftmaxRecord (Blob/Records/SoftmaxRecord.cs),
// its arithmetic Quantization/SoftmaxQuantization.cs.

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class OnnxGraphImporter
    {
        /// <summary>
        /// Opset 13 and later: softmax along one axis (default −1). Earlier: the input is viewed as 2-D
        /// [product of dims before axis, product from axis on] (default axis 1) and softmax runs along the
        /// second; when any dimension after the axis is not 1 that becomes Reshape, Softmax(1), Reshape.
        /// </summary>
        [ForOp("Softmax")]
        private void ConvertSoftmax(OnnxNodeContext c)
        {
            c.RequireInputs(1, 1);
            string input = Activation(c, 0);
            int[] shape = shapes[input];
            int axis = OnnxSemantics.NormalizeAxis(c, c.Int("axis", opset >= 13 ? -1 : 1), shape.Length, allowRank: false);
            string output = c.OutputName(0);
            int trailing = FloatTensor.ElementCount(shape[(axis + 1)..]);
            if (opset >= 13 || trailing == 1)
            {
                Emit(new SoftmaxNode { Name = c.IrName, Input = input, Output = output, Axis = axis }, c);
                return;
            }

            int outer = FloatTensor.ElementCount(shape[..axis]);
            string flat = NewValueName($"{output}_2d");
            string softmax = NewValueName($"{output}_softmax_2d");
            Emit(new ReshapeNode { Name = $"{c.IrName}_to_2d", Input = input, Output = flat, TargetShape = [outer, shape[axis] * trailing] }, c);
            Emit(new SoftmaxNode { Name = c.IrName, Input = flat, Output = softmax, Axis = 1 }, c);
            Emit(new ReshapeNode { Name = $"{c.IrName}_from_2d", Input = softmax, Output = output, TargetShape = shape }, c);
        }
    }
}

namespace QuantEdge.Compiler.Quantization.Lowering
{
    internal sealed partial class DevicePlan
    {
        [ForOp(typeof(SoftmaxNode))]
        private void PlanSoftmax(SoftmaxNode softmax)
        {
            if (softmax.Axis != 1)
            {
                throw Unsupported(softmax, $"softmax over axis {softmax.Axis}; the device takes it over the channel/feature axis (1)");
            }

            AddStep(new Step(StepKind.Softmax, softmax, [softmax.Input], softmax.Output)
            {
                FixedOutput = new QuantParams(1f / 256, -128),
            });
        }
    }

    internal sealed partial class Lowerer
    {
        [ForOp(StepKind.Softmax)]
        private SoftmaxRecord LowerSoftmax(StepTensors s)
        {
            int rowSize = s.OutValue.Dims[3];
            var softmax = SoftmaxQuantization.Create(s.OutValue.Length / rowSize, rowSize, 1.0, s.X.Scale);
            return new SoftmaxRecord(s.Input, s.Output, softmax.InputMultiplier, softmax.InputLeftShift, softmax.DiffMin);
        }
    }
}

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class QdqGraph
    {
        [ForOp(typeof(SoftmaxRecord))]
        private void Softmax(SoftmaxRecord softmax)
        {
            DeviceTensor x = model.Tensors[softmax.Input];
            // InputMultiplier × 2^leftShift / 2^31 = beta × inputScale × 2^(31 − integer bits).
            double beta = softmax.InputMultiplier * Math.Pow(2, softmax.InputLeftShift - 31)
                / (x.Scale * Math.Pow(2, 31 - SoftmaxQuantization.ScaledDiffIntegerBits));
            string input = Dequantize(values[softmax.Input], x.Scale, x.ZeroPoint);
            if (Math.Abs(beta - 1) > 1e-6)
            {
                input = Node("Mul", [input, Scalar((float)beta)]);
            }

            Quantize(Node("Softmax", [input], a => a.Int("axis", 1)), softmax.Output);
        }
    }
}
