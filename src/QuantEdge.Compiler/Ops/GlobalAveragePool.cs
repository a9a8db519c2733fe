using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Ops;

// GlobalAveragePool, and ReduceMean/ReduceSum over an image's plane, which the device runs as one: everything
// the host compiler does with them, one part per pass, in pass order. Their float nodes are GlobalAveragePoolNode
// (Graph/Nodes/Pools.cs) and ReduceMeanNode/ReduceSumNode (Graph/Nodes/Reduce.cs), their device record
// GlobalAveragePoolRecord (Blob/Records/GlobalAveragePoolRecord.cs), their arithmetic
// Quantization/GlobalAveragePoolQuantization.cs.

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class OnnxGraphImporter
    {
        [ForOp("GlobalAveragePool")]
        private void ConvertGlobalAveragePool(OnnxNodeContext c) =>
            Emit(new GlobalAveragePoolNode { Name = c.IrName, Input = SoleInput(c), Output = c.OutputName(0) }, c);

        /// <summary>
        /// ReduceMean and ReduceSum over their axes: an attribute, or a constant input from the opset that
        /// made it one (ReduceSum 13, ReduceMean 18). No axes reduce over every axis, unless
        /// noop_with_empty_axes is set, which makes the node the identity.
        /// </summary>
        [ForOp("ReduceMean")]
        [ForOp("ReduceSum")]
        private void ConvertReduce(OnnxNodeContext c)
        {
            bool mean = c.Node.OpType == "ReduceMean";
            bool axesInput = opset >= (mean ? 18 : 13);
            c.RequireInputs(1, axesInput ? 2 : 1);
            string input = Activation(c, 0);
            int[] shape = shapes[input];
            long[]? axes = axesInput ? (c.InputName(1) is null ? null : IntConstant(c, 1, "axes")) : c.Ints("axes");
            bool keepDims = c.Int("keepdims", 1) != 0;
            bool noopWithoutAxes = axesInput && c.Int("noop_with_empty_axes", 0) != 0;
            if (axes is null || axes.Length == 0)
            {
                if (noopWithoutAxes)
                {
                    Emit(new ReshapeNode { Name = c.IrName, Input = input, Output = c.OutputName(0), TargetShape = shape }, c);
                    return;
                }

                axes = Enumerable.Range(0, shape.Length).Select(a => (long)a).ToArray();
            }

            int[] reduced = OnnxSemantics.Axes(c, axes, shape.Length);
            ReduceNode node = mean
                ? new ReduceMeanNode { Name = c.IrName, Input = input, Output = c.OutputName(0), Axes = reduced, KeepDims = keepDims }
                : new ReduceSumNode { Name = c.IrName, Input = input, Output = c.OutputName(0), Axes = reduced, KeepDims = keepDims };
            Emit(node, c);
        }
    }
}

namespace QuantEdge.Compiler.Quantization.Lowering
{
    internal sealed partial class DevicePlan
    {
        [ForOp(typeof(GlobalAveragePoolNode))]
        private void PlanGlobalAveragePool(GlobalAveragePoolNode pool) =>
            AddStep(new Step(StepKind.GlobalAveragePool, pool, [pool.Input], pool.Output));

        /// <summary>
        /// A mean or sum over the spatial plane of an image (axes 2 and 3 of NCHW, or 2 of a 1-D [N, C, W]),
        /// kept as 1s: the device's global average pool, whose multiplier then divides by the plane's size or not.
        /// </summary>
        [ForOp(typeof(ReduceNode))]
        private void PlanReduce(ReduceNode reduce)
        {
            int rank = Graph.ShapeOf(reduce.Input).Length;
            bool spatial = rank is 3 or 4 && reduce.Axes.SequenceEqual(Enumerable.Range(2, rank - 2));
            if (!spatial || !reduce.KeepDims)
            {
                throw Unsupported(reduce, $"{reduce.OpName} over axes [{string.Join(", ", reduce.Axes)}] of a rank-{rank} value{(reduce.KeepDims ? "" : " without keepdims")}; the device reduces the spatial plane of an image (axes 2 and 3 of NCHW) with keepdims");
            }

            AddStep(new Step(StepKind.GlobalAveragePool, reduce, [reduce.Input], reduce.Output));
        }
    }

    internal sealed partial class Lowerer
    {
        [ForOp(StepKind.GlobalAveragePool)]
        private GlobalAveragePoolRecord LowerGlobalAveragePool(StepTensors s)
        {
            var pool = GlobalAveragePoolQuantization.Create(s.InValue.Dims[0], s.InValue.Dims[1], s.InValue.Dims[2], s.InValue.Dims[3], s.X.Scale, s.X.ZeroPoint, s.Y.Scale, s.Y.ZeroPoint,
                sum: s.Step.Node is ReduceSumNode);
            return new GlobalAveragePoolRecord(s.Input, s.Output, pool.Multiplier, pool.Shift);
        }
    }
}

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class QdqGraph
    {
        [ForOp(typeof(GlobalAveragePoolRecord))]
        private void GlobalAveragePool(GlobalAveragePoolRecord pool)
        {
            DeviceTensor x = model.Tensors[pool.Input], y = model.Tensors[pool.Output];
            if (arithmetic == QdqArithmetic.Device)
            {
                string sum = Node("ReduceSum", [Rank4(Cast(values[pool.Input], OnnxInt64), x.Dims), Int64s([2, 3])]);
                string centered = Node("Sub", [sum, Int64((long)x.Dims[1] * x.Dims[2] * x.ZeroPoint)]);
                string result = RequantizeAccumulator(centered, [pool.Multiplier], [pool.Shift], [], y.ZeroPoint, pool.ActivationMin, pool.ActivationMax);
                values[pool.Output] = FromRank4(result, y.Dims);
                return;
            }

            string mean = Node("GlobalAveragePool", [Rank4(Dequantize(values[pool.Input], x.Scale, x.ZeroPoint), x.Dims)]);
            // The record's multiplier is inScale / (outScale × H × W) for a mean; a sum (ReduceSum lowered to
            // this op) has H × W times that, which the float form applies to the mean.
            double real = pool.Multiplier / 2147483648.0 * Math.Pow(2, pool.Shift);
            double factor = real * y.Scale * x.Dims[1] * x.Dims[2] / x.Scale;
            string reduced = Math.Abs(factor - 1) < 1e-6 ? mean : Node("Mul", [mean, Scalar((float)factor)]);
            Quantize(Clamp(FromRank4(reduced, y.Dims), pool.ActivationMin, pool.ActivationMax, y), pool.Output);
        }
    }
}
