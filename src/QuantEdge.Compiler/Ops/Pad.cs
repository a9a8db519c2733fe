using System.Collections.Immutable;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Ops;

// Pad (constant): everything the host compiler does with it, one part per pass, in pass order. Its float node
// is PadNode (Graph/Nodes/PadNode.cs), its device record PadRecord (Blob/Records/PadRecord.cs).

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class OnnxGraphImporter
    {
        /// <summary>
        /// Pad in constant mode: pads and value are attributes before opset 11 and constant inputs from it on
        /// (opset 18's axes input is refused); negative pads would crop, which is not supported.
        /// </summary>
        [ForOp("Pad")]
        private void ConvertPad(OnnxNodeContext c)
        {
            bool inputsForm = opset >= 11;
            c.RequireInputs(inputsForm ? 2 : 1, inputsForm ? 3 : 1);
            if (c.Node.Input.Count > 3)
            {
                throw c.Error("the axes input (opset 18) is not supported; give pads for every axis.");
            }

            string mode = c.String("mode", "constant");
            if (mode != "constant")
            {
                throw c.Error($"mode '{mode}' is not supported; only constant padding.");
            }

            string input = Activation(c, 0);
            int[] shape = shapes[input];
            long[] pads = inputsForm ? IntConstant(c, 1, "pads") : c.Ints(opset < 2 ? "paddings" : "pads") ?? throw c.Error("pads are required.");
            float value = inputsForm ? (c.InputName(2) is null ? 0 : Scalar(c, 2, "constant_value")) : c.Float("value", 0);
            if (pads.Length != 2 * shape.Length || pads.Any(p => p < 0 || p > int.MaxValue))
            {
                throw c.Error($"pads [{string.Join(", ", pads)}] must be {2 * shape.Length} non-negative values (negative pads crop, which is not supported).");
            }

            Emit(new PadNode { Name = c.IrName, Input = input, Output = c.OutputName(0), Pads = pads.Select(p => (int)p).ToArray(), Value = value }, c);
        }
    }
}

namespace QuantEdge.Compiler.Quantization.Lowering
{
    internal sealed partial class DevicePlan
    {
        [ForOp(typeof(PadNode))]
        private void PlanPad(PadNode pad) =>
            // The pad value is coded in the input's quantization, which the output shares.
            AddStep(new Step(StepKind.Pad, pad, [pad.Input], pad.Output));
    }

    internal sealed partial class Lowerer
    {
        [ForOp(StepKind.Pad)]
        private PadRecord LowerPad(StepTensors s)
        {
            var pad = (PadNode)s.Step.Node;
            return new PadRecord(s.Input, s.Output, DevicePads(pad.Pads[..pad.OutputShape.Length]), s.X.Quantize(pad.Value));
        }

        /// <summary>Pads before each axis of a value, as NHWC ones: its dims laid out as <see cref="DevicePlan.DeviceDims"/> lays them, 0 where it adds a dim.</summary>
        private static ImmutableArray<int> DevicePads(int[] before) => before.Length switch
        {
            4 => [before[0], before[2], before[3], before[1]],
            3 => [before[0], 0, before[2], before[1]],
            2 => [before[0], 0, 0, before[1]],
            _ => [0, 0, 0, before[0]],
        };
    }
}

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class QdqGraph
    {
        /// <summary>
        /// A constant pad in both arithmetics: the input dequantized as NCHW, ONNX's Pad with the code's real value,
        /// quantized again in the shared quantization (exact: every value is a code of it).
        /// </summary>
        [ForOp(typeof(PadRecord))]
        private void Pad(PadRecord pad)
        {
            DeviceTensor x = model.Tensors[pad.Input], y = model.Tensors[pad.Output];
            // NHWC pads as ONNX's NCHW [N, C, H, W] begins, then ends (the output's dim less the input's and the begin).
            int[] nchw = [0, 3, 1, 2];
            long[] pads = [.. nchw.Select(d => (long)pad.Before[d]), .. nchw.Select(d => (long)(y.Dims[d] - x.Dims[d] - pad.Before[d]))];
            string value = Scalar((pad.Value - x.ZeroPoint) * x.Scale);
            string padded = Node("Pad", [Rank4(Dequantize(values[pad.Input], x.Scale, x.ZeroPoint), x.Dims), Int64s(pads), value]);
            Quantize(FromRank4(padded, y.Dims), pad.Output);
        }
    }
}
