using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Ops;

// Slice and Split: everything the host compiler does with them, one part per pass, in pass order. Their float node
// is SliceNode (Graph/Nodes/SliceNode.cs), their device record SliceRecord (Blob/Records/SliceRecord.cs): a Split is
// one slice per output.

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class OnnxGraphImporter
    {
        /// <summary>
        /// Slice: starts, ends and axes are attributes before opset 10; from it on they are constant inputs, with
        /// steps. Bounds are clamped to the input as ONNX does; a slice with no element is refused.
        /// </summary>
        [ForOp("Slice")]
        private void ConvertSlice(OnnxNodeContext c)
        {
            bool inputsForm = opset >= 10;
            c.RequireInputs(inputsForm ? 3 : 1, inputsForm ? 5 : 1);
            string input = Activation(c, 0);
            long[] starts = inputsForm ? IntConstant(c, 1, "starts") : c.Ints("starts") ?? throw c.Error("starts are required.");
            long[] ends = inputsForm ? IntConstant(c, 2, "ends") : c.Ints("ends") ?? throw c.Error("ends are required.");
            long[]? axes = inputsForm ? (c.InputName(3) is null ? null : IntConstant(c, 3, "axes")) : c.Ints("axes");
            long[]? steps = inputsForm && c.InputName(4) is not null ? IntConstant(c, 4, "steps") : null;
            int[] shape = shapes[input];
            axes ??= [.. Enumerable.Range(0, starts.Length).Select(a => (long)a)];
            steps ??= [.. starts.Select(_ => 1L)];
            if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
            {
                throw c.Error($"starts, ends, axes and steps hold {starts.Length}, {ends.Length}, {axes.Length} and {steps.Length} values; they must hold as many.");
            }

            int[] first = new int[shape.Length], end = [.. shape], step = [.. shape.Select(_ => 1)];
            var named = new HashSet<int>();
            for (int i = 0; i < starts.Length; i++)
            {
                int a = OnnxSemantics.NormalizeAxis(c, axes[i], shape.Length);
                if (!named.Add(a) || steps[i] == 0)
                {
                    throw c.Error(steps[i] == 0 ? "a step is 0." : $"axes [{string.Join(", ", axes)}] name axis {a} twice.");
                }

                // Negative bounds count from the end; then both are clamped into the axis as ONNX does (for a step back,
                // the end to −1: before the first element). A step longer than the axis takes one element, as the axis's length does.
                long d = shape[a];
                long from = starts[i] < 0 ? starts[i] + d : starts[i], to = ends[i] < 0 ? ends[i] + d : ends[i];
                bool forward = steps[i] > 0;
                first[a] = (int)(forward ? Math.Clamp(from, 0, d) : Math.Clamp(from, 0, d - 1));
                end[a] = (int)(forward ? Math.Clamp(to, 0, d) : Math.Clamp(to, -1, d - 1));
                step[a] = (int)Math.Clamp(steps[i], -Math.Max(d, 1), Math.Max(d, 1));
                if (SliceNode.Count(first[a], end[a], step[a]) == 0)
                {
                    throw c.Error($"axis {a} from {starts[i]} to {ends[i]} by {steps[i]} takes no element of input {Shapes.Format(shape)}: the device has no empty tensors.");
                }
            }

            Emit(new SliceNode { Name = c.IrName, Input = input, Output = c.OutputName(0), Starts = first, Ends = end, Steps = step }, c);
        }

        /// <summary>
        /// Split along axis into the node's outputs, one slice each: by the split sizes (an attribute before opset 13,
        /// a constant input from it on), or in equal parts (from opset 18 by num_outputs, the last part possibly smaller).
        /// </summary>
        [ForOp("Split")]
        private void ConvertSplit(OnnxNodeContext c)
        {
            c.RequireInputs(1, opset >= 13 ? 2 : 1);
            string input = Activation(c, 0);
            int[] shape = shapes[input];
            int axis = OnnxSemantics.NormalizeAxis(c, c.Int("axis", 0), shape.Length);
            int parts = c.Node.Output.Count, length = shape[axis];
            long[]? sizes = opset >= 13 ? (c.InputName(1) is null ? null : IntConstant(c, 1, "split")) : c.Ints("split");
            long numOutputs = opset >= 18 ? c.Int("num_outputs", parts) : parts;
            if (sizes is null)
            {
                if (numOutputs != parts)
                {
                    throw c.Error($"num_outputs is {numOutputs} for {parts} outputs.");
                }

                // Before opset 18 the parts must be equal; from it on each is the rounded-up share and the last what is left.
                int part = opset >= 18 ? (length + parts - 1) / parts : length / parts;
                if (opset < 18 && length % parts != 0)
                {
                    throw c.Error($"axis {axis} of input {Shapes.Format(shape)} does not split into {parts} equal parts.");
                }

                sizes = [.. Enumerable.Range(0, parts).Select(i => (long)Math.Min(part, length - i * part))];
            }

            if (sizes.Length != parts || sizes.Sum() != length || sizes.Any(s => s <= 0))
            {
                throw c.Error($"split [{string.Join(", ", sizes)}] must be {parts} positive sizes adding up to axis {axis} of input {Shapes.Format(shape)} (the device has no empty tensors).");
            }

            int begin = 0;
            for (int i = 0; i < parts; i++)
            {
                int[] first = new int[shape.Length], end = [.. shape];
                first[axis] = begin;
                end[axis] = begin += (int)sizes[i];
                Emit(new SliceNode { Name = $"{c.IrName}_{i}", Input = input, Output = c.OutputName(i), Starts = first, Ends = end, Steps = [.. shape.Select(_ => 1)] }, c);
            }
        }
    }
}

namespace QuantEdge.Compiler.Quantization.Lowering
{
    internal sealed partial class DevicePlan
    {
        [ForOp(typeof(SliceNode))]
        private void PlanSlice(SliceNode slice) =>
            // A copy of some of the input's codes: the output keeps the input's quantization.
            AddStep(new Step(StepKind.Slice, slice, [slice.Input], slice.Output));
    }

    internal sealed partial class Lowerer
    {
        /// <summary>The slice's starts and steps along the NHWC axes (an axis a rank below 4 adds: start 0, step 1; an axis of one output element: step 1).</summary>
        [ForOp(StepKind.Slice)]
        private SliceRecord LowerSlice(StepTensors s)
        {
            var slice = (SliceNode)s.Step.Node;
            int[] axes = DevicePlan.DeviceAxes(slice.OutputShape.Length);
            int[] starts = [0, 0, 0, 0], steps = [1, 1, 1, 1];
            for (int a = 0; a < axes.Length; a++)
            {
                starts[axes[a]] = slice.Starts[a];
                steps[axes[a]] = slice.OutputShape[a] == 1 ? 1 : slice.Steps[a];
            }

            return new SliceRecord(s.Input, s.Output, [.. starts], [.. steps]);
        }
    }
}

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class QdqGraph
    {
        /// <summary>
        /// A strided slice of the NHWC axes as ONNX's Slice of the NCHW value, dequantized and quantized again in the
        /// shared quantization (exact) in both arithmetics.
        /// </summary>
        [ForOp(typeof(SliceRecord))]
        private void Slice(SliceRecord slice)
        {
            DeviceTensor x = model.Tensors[slice.Input], y = model.Tensors[slice.Output];
            long[] starts = new long[4], ends = new long[4], steps = new long[4];
            for (int d = 0; d < 4; d++)
            {
                long a = NchwAxisOfNhwcAxis[d], end = slice.Starts[d] + (long)y.Dims[d] * slice.Steps[d];
                starts[a] = slice.Starts[d];
                steps[a] = slice.Steps[d];
                // Backwards past the first element: ONNX reads an end of −1 as the last, so the lowest int64 stands for "before 0".
                ends[a] = end < 0 ? long.MinValue : end;
            }

            string input = Rank4(Dequantize(values[slice.Input], x.Scale, x.ZeroPoint), x.Dims);
            string sliced = Node("Slice", [input, Int64s(starts), Int64s(ends), Int64s([0, 1, 2, 3]), Int64s(steps)]);
            Quantize(FromRank4(sliced, y.Dims), slice.Output);
        }
    }
}
