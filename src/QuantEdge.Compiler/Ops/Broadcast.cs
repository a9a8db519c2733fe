using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Ops;
using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

// Sub of two values, Max and Min: the device's broadcasting binary op (and a table for Max/Min with a scalar
// constant): one part per pass, in pass order. Their float nodes are in Graph/Nodes/Arithmetic.cs (Sub's import
// is Add's, Arithmetic.cs), their device record BroadcastRecord (Blob/Records/BroadcastRecord.cs), their
// arithmetic Add's (Quantization/AddQuantization.cs).

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class OnnxGraphImporter
    {
        /// <summary>
        /// Max and Min of one or more operands: one is the identity (a copy), more a chain of pairs. Of two,
        /// one may be a constant, which becomes the pair's constant operand.
        /// </summary>
        [ForOp("Max")]
        [ForOp("Min")]
        private void ConvertExtremum(OnnxNodeContext c)
        {
            bool max = c.Node.OpType == "Max";
            int count = c.Node.Input.Count;
            if (count == 0)
            {
                throw c.Error("needs at least one input.");
            }

            if (count == 2 && IsConstantInput(c, 0) != IsConstantInput(c, 1))
            {
                int valueIndex = IsConstantInput(c, 0) ? 1 : 0;
                OnnxConstant k = FloatConstantTensor(c, 1 - valueIndex, "constant operand");
                var constant = new FloatTensor(k.Shape, k.Floats!);
                string value = Activation(c, valueIndex);
                Emit(max
                    ? new MaxNode { Name = c.IrName, Input = value, Constant = constant, Output = c.OutputName(0) }
                    : new MinNode { Name = c.IrName, Input = value, Constant = constant, Output = c.OutputName(0) }, c);
                return;
            }

            string[] operands = Enumerable.Range(0, count).Select(i => Activation(c, i)).ToArray();
            if (count == 1)
            {
                Emit(new ReshapeNode { Name = c.IrName, Input = operands[0], Output = c.OutputName(0), TargetShape = shapes[operands[0]] }, c);
                return;
            }

            string left = operands[0];
            for (int i = 1; i < count; i++)
            {
                bool last = i == count - 1;
                string output = last ? c.OutputName(0) : NewValueName($"{c.OutputName(0)}_{i}");
                string name = last ? c.IrName : $"{c.IrName}_{i}";
                left = Emit(max
                    ? new MaxNode { Name = name, Input = left, Other = operands[i], Output = output }
                    : new MinNode { Name = name, Input = left, Other = operands[i], Output = output }, c).Output;
            }
        }
    }
}

namespace QuantEdge.Compiler.Quantization.Lowering
{
    internal sealed partial class DevicePlan
    {
        [ForOp(typeof(SubNode))]
        private void PlanSub(SubNode sub) => AddStep(BroadcastStep(StepKind.Sub, sub));

        [ForOp(typeof(MaxNode))]
        private void PlanMax(MaxNode max)
        {
            if (max.Other != null)
            {
                AddStep(BroadcastStep(StepKind.Maximum, max));
            }
            else
            {
                float floor = ScalarConstant(max);
                AddStep(Lookup(max, x => Math.Max(x, floor)));
            }
        }

        [ForOp(typeof(MinNode))]
        private void PlanMin(MinNode min)
        {
            if (min.Other != null)
            {
                AddStep(BroadcastStep(StepKind.Minimum, min));
            }
            else
            {
                float ceiling = ScalarConstant(min);
                AddStep(Lookup(min, x => Math.Min(x, ceiling)));
            }
        }

        /// <summary>
        /// Sub, Max or Min of two values: the device broadcasts operands of one rank (each dim equal to the
        /// other's or 1), which keeps their NHWC dims aligned.
        /// </summary>
        private Step BroadcastStep(StepKind kind, ElementwiseBinary node)
        {
            int[] a = Graph.ShapeOf(node.Input);
            int[] b = Graph.ShapeOf(node.Other!);
            if (a.Length != b.Length)
            {
                throw Unsupported(node, $"{node.OpName} of {Shapes.Format(a)} and {Shapes.Format(b)}; the device broadcasts operands of the same rank");
            }

            return new Step(kind, node, [node.Input, node.Other!], node.Output);
        }

        /// <summary>The constant operand of a Max or Min with a constant, which the device takes as a table: a single value.</summary>
        private static float ScalarConstant(ElementwiseBinary node) => node.Constant!.Length == 1
            ? node.Constant.Data[0]
            : throw Unsupported(node, $"{node.OpName} with a constant of shape {Shapes.Format(node.Constant.Shape)}; the device takes a single value");
    }

    internal sealed partial class Lowerer
    {
        [ForOp(StepKind.Sub)]
        [ForOp(StepKind.Maximum)]
        [ForOp(StepKind.Minimum)]
        private BroadcastRecord LowerBroadcast(StepTensors s)
        {
            QuantParams other = Params(s.Step.Inputs[1]);
            int opCode = s.Step.Kind switch { StepKind.Sub => BlobFormat.OpSub, StepKind.Maximum => BlobFormat.OpMaximum, _ => BlobFormat.OpMinimum };
            return new BroadcastRecord(opCode, s.Input, tensorIndex[s.Step.Inputs[1]], s.Output,
                AddQuantization.Create(s.OutValue.Length, s.X.Scale, s.X.ZeroPoint, other.Scale, other.ZeroPoint, s.Y.Scale, s.Y.ZeroPoint, s.Min, s.Max));
        }
    }
}

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class QdqGraph
    {
        /// <summary>
        /// Sub, Maximum or Minimum: both inputs as NCHW (a vector as [N, C, 1, 1]) so that ONNX's broadcasting
        /// matches the device's over NHWC dims; Device arithmetic rescales each as Add does, then combines.
        /// </summary>
        [ForOp(typeof(BroadcastRecord))]
        private void Broadcast(BroadcastRecord op)
        {
            string opType = op.OpCode switch { BlobFormat.OpSub => "Sub", BlobFormat.OpMaximum => "Max", _ => "Min" };
            DeviceTensor a = model.Tensors[op.Input1], b = model.Tensors[op.Input2], y = model.Tensors[op.Output];
            AddParams p = op.Params;
            if (arithmetic == QdqArithmetic.Float)
            {
                string left = Rank4(Dequantize(values[op.Input1], a.Scale, a.ZeroPoint), a.Dims);
                string right = Rank4(Dequantize(values[op.Input2], b.Scale, b.ZeroPoint), b.Dims);
                Quantize(Clamp(FromRank4(Node(opType, [left, right]), y.Dims), p.ActivationMin, p.ActivationMax, y), op.Output);
                return;
            }

            string Scaled(int tensor, DeviceTensor t, int multiplier, int shift) => MultiplyByQuantizedMultiplier(
                Rank4(Node("Sub", [Cast(values[tensor], OnnxInt64), Int64(t.ZeroPoint)]), t.Dims), [multiplier], [shift], [], p.LeftShift);
            string combined = Node(opType, [Scaled(op.Input1, a, p.Input1Multiplier, p.Input1Shift), Scaled(op.Input2, b, p.Input2Multiplier, p.Input2Shift)]);
            values[op.Output] = RequantizeAccumulator(FromRank4(combined, y.Dims), [p.OutputMultiplier], [p.OutputShift], [], y.ZeroPoint, p.ActivationMin, p.ActivationMax);
        }
    }
}
