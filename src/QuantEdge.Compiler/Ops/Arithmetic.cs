using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Ops;
using QuantEdge.Runtime.Kernels;

// Add, Sub, Mul and Div: their ONNX import (a constant operand folded into the layer before, or kept), and the
// device's Add and Mul of two same-shape values or with a constant (a table, or a per-channel affine map run as a
// depthwise convolution): one part per pass, in pass order. Their float nodes are in Graph/Nodes/Arithmetic.cs,
// their device records AddRecord and MulRecord (Blob/Records/), their arithmetic Quantization/AddQuantization.cs
// and MulQuantization.cs. Sub of two values, Max and Min run on the device's broadcasting op: Broadcast.cs.

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class OnnxGraphImporter
    {
        /// <summary>
        /// Add/Sub/Mul of two values, or Add/Sub/Mul/Div of a value and a constant. A per-channel constant on
        /// the output of a Conv2D/Dense that nothing else reads is folded into its bias (Add, Sub) or its
        /// weights and bias (Mul, Div).
        /// </summary>
        [ForOp("Add")]
        [ForOp("Sub")]
        [ForOp("Mul")]
        [ForOp("Div")]
        private void ConvertArithmetic(OnnxNodeContext c)
        {
            c.RequireInputs(2, 2);
            string op = c.Node.OpType;
            bool additive = op is "Add" or "Sub";
            bool leftConstant = IsConstantInput(c, 0);
            bool rightConstant = IsConstantInput(c, 1);
            if (leftConstant && rightConstant)
            {
                throw c.Error("both inputs are constants; constant folding is not supported.");
            }

            if (!leftConstant && !rightConstant)
            {
                if (op is "Div")
                {
                    throw c.Error($"{op} of two computed values is not supported (only {op} by a constant).");
                }

                OnnxSemantics.RequireNumpyAlignment(c, opset, shapes[Activation(c, 1)], shapes[Activation(c, 0)]);

                Node binary = op switch
                {
                    "Add" => new AddNode { Name = c.IrName, Input = Activation(c, 0), Other = Activation(c, 1), Output = c.OutputName(0) },
                    "Sub" => new SubNode { Name = c.IrName, Input = Activation(c, 0), Other = Activation(c, 1), Output = c.OutputName(0) },
                    _ => new MulNode { Name = c.IrName, Input = Activation(c, 0), Other = Activation(c, 1), Output = c.OutputName(0) },
                };
                Emit(binary, c);
                return;
            }

            if (leftConstant && op is "Sub" or "Div")
            {
                throw c.Error($"a constant {(op == "Sub" ? "minus" : "divided by")} a computed value is not supported.");
            }

            int valueIndex = leftConstant ? 1 : 0;
            string input = Activation(c, valueIndex);
            OnnxConstant k = FloatConstantTensor(c, 1 - valueIndex, "constant operand");
            if (valueIndex == 0)
            {
                k = k with { Shape = OnnxSemantics.LegacyBroadcastShape(c, opset, k.Shape, shapes[input]) };
            }
            else
            {
                OnnxSemantics.RequireNumpyAlignment(c, opset, shapes[input], k.Shape);
            }

            float[] values = op switch
            {
                "Sub" => k.Floats!.Select(v => -v).ToArray(),
                "Div" => k.Floats!.Select(v => 1 / v).ToArray(),
                _ => k.Floats!,
            };
            var constant = new FloatTensor(k.Shape, values);

            if (TryGetFoldTarget(input, out int index) && PerChannel(constant, shapes[input]) is { } perChannel)
            {
                ReplaceFolded(index, ScaleOutputChannels(nodes[index], perChannel, multiply: !additive), c.OutputName(0), c);
                return;
            }

            Node node = additive
                ? new AddNode { Name = c.IrName, Input = input, Constant = constant, Output = c.OutputName(0) }
                : new MulNode { Name = c.IrName, Input = input, Constant = constant, Output = c.OutputName(0) };
            Emit(node, c);
        }

        /// <summary>
        /// The constant as one value per channel (axis 1) of a value of <paramref name="shape"/>, when it
        /// broadcasts along every other axis and does not widen the shape; null otherwise.
        /// </summary>
        private static float[]? PerChannel(FloatTensor constant, int[] shape)
        {
            int offset = shape.Length - constant.Rank;
            if (offset < 0 || shape.Length < 2)
            {
                return null;
            }

            int channels = shape[1];
            int channelAxis = 1 - offset; // the constant's axis aligned with axis 1, if it has one
            for (int axis = 0; axis < constant.Rank; axis++)
            {
                if (constant.Shape[axis] != 1 && !(axis == channelAxis && constant.Shape[axis] == channels))
                {
                    return null;
                }
            }

            // Every other dimension is 1, so element ch of a per-channel constant is channel ch's value.
            bool perChannel = constant.Length == channels;
            return Enumerable.Range(0, channels).Select(ch => constant.Data[perChannel ? ch : 0]).ToArray();
        }
    }
}

namespace QuantEdge.Compiler.Quantization.Lowering
{
    internal sealed partial class DevicePlan
    {
        [ForOp(typeof(AddNode))]
        private void PlanAdd(AddNode add)
        {
            if (add.Other != null)
            {
                RequireSameShape(add);
                AddStep(new Step(StepKind.Add, add, [add.Input, add.Other], add.Output));
            }
            else
            {
                AddStep(ConstantStep(add, add.Constant!, (x, c) => x + c, c => (1f, c)));
            }
        }

        [ForOp(typeof(MulNode))]
        private void PlanMul(MulNode mul)
        {
            if (mul.Other != null)
            {
                RequireSameShape(mul);
                AddStep(new Step(StepKind.Mul, mul, [mul.Input, mul.Other], mul.Output));
            }
            else
            {
                AddStep(ConstantStep(mul, mul.Constant!, (x, c) => x * c, c => (c, 0f)));
            }
        }

        /// <summary>
        /// Arithmetic with a constant: a scalar becomes a lookup table; a per-channel vector becomes a
        /// per-channel affine map (a 1×1 depthwise convolution).
        /// </summary>
        private Step ConstantStep(ElementwiseBinary node, FloatTensor constant, Func<double, double, double> f, Func<float, (float Scale, float Shift)> affine)
        {
            if (constant.Length == 1)
            {
                float c = constant.Data[0];
                return Lookup(node, x => f(x, c));
            }

            int[] shape = Graph.ShapeOf(node.Input);
            int channels = shape.Length >= 2 ? shape[1] : 0;
            // Right-aligned broadcasting puts a constant on axis 1 when it reads [C] followed by one 1 per
            // spatial axis, after any leading 1s: [F] for [N, F], [C, 1, 1] or [1, C, 1, 1] for [N, C, H, W].
            int[] significant = constant.Shape.SkipWhile(d => d == 1).ToArray();
            bool perChannel = significant.Length == shape.Length - 1 && significant[0] == channels && significant.Skip(1).All(d => d == 1);
            if (!perChannel)
            {
                throw Unsupported(node, $"{node.OpName} with a constant of shape {Shapes.Format(constant.Shape)}; the device takes a scalar or one value per channel");
            }

            var scale = new float[channels];
            var shift = new float[channels];
            for (int c = 0; c < channels; c++)
            {
                (scale[c], shift[c]) = affine(constant.Data[c]);
            }

            return ChannelAffineStep(node, scale, shift);
        }

        private void RequireSameShape(ElementwiseBinary node)
        {
            int[] a = Graph.ShapeOf(node.Input);
            int[] b = Graph.ShapeOf(node.Other!);
            if (!a.SequenceEqual(b))
            {
                throw Unsupported(node, $"{node.OpName} of {Shapes.Format(a)} and {Shapes.Format(b)}; the device adds and multiplies tensors of the same shape (no broadcasting)");
            }
        }
    }

    internal sealed partial class Lowerer
    {
        [ForOp(StepKind.Add)]
        private AddRecord LowerAdd(StepTensors s)
        {
            QuantParams b = Params(s.Step.Inputs[1]);
            return new AddRecord(s.Input, tensorIndex[s.Step.Inputs[1]], s.Output,
                AddQuantization.Create(s.OutValue.Length, s.X.Scale, s.X.ZeroPoint, b.Scale, b.ZeroPoint, s.Y.Scale, s.Y.ZeroPoint, s.Min, s.Max));
        }

        [ForOp(StepKind.Mul)]
        private MulRecord LowerMul(StepTensors s)
        {
            QuantParams m = Params(s.Step.Inputs[1]);
            return new MulRecord(s.Input, tensorIndex[s.Step.Inputs[1]], s.Output,
                MulQuantization.Create(s.OutValue.Length, s.X.Scale, s.X.ZeroPoint, m.Scale, m.ZeroPoint, s.Y.Scale, s.Y.ZeroPoint, s.Min, s.Max));
        }
    }
}

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class QdqGraph
    {
        [ForOp(typeof(AddRecord))]
        private void Add(AddRecord add)
        {
            if (arithmetic == QdqArithmetic.Float)
            {
                Elementwise("Add", add.Input1, add.Input2, add.Output, add.Params.ActivationMin, add.Params.ActivationMax);
                return;
            }

            // TFLite's int8 add: each input, centred and shifted left, rescaled to a common scale; the sum rescaled to the output.
            AddParams p = add.Params;
            string left = MultiplyByQuantizedMultiplier(Centered(add.Input1, add.Output), [p.Input1Multiplier], [p.Input1Shift], [], p.LeftShift);
            string right = MultiplyByQuantizedMultiplier(Centered(add.Input2, add.Output), [p.Input2Multiplier], [p.Input2Shift], [], p.LeftShift);
            values[add.Output] = RequantizeAccumulator(Node("Add", [left, right]), [p.OutputMultiplier], [p.OutputShift], [],
                model.Tensors[add.Output].ZeroPoint, p.ActivationMin, p.ActivationMax);
        }

        [ForOp(typeof(MulRecord))]
        private void Mul(MulRecord mul)
        {
            if (arithmetic == QdqArithmetic.Float)
            {
                Elementwise("Mul", mul.Input1, mul.Input2, mul.Output, mul.Params.ActivationMin, mul.Params.ActivationMax);
                return;
            }

            MulParams p = mul.Params;
            string product = Node("Mul", [Centered(mul.Input1, mul.Output), Centered(mul.Input2, mul.Output)]);
            values[mul.Output] = RequantizeAccumulator(product, [p.OutputMultiplier], [p.OutputShift], [],
                model.Tensors[mul.Output].ZeroPoint, p.ActivationMin, p.ActivationMax);
        }
    }
}
