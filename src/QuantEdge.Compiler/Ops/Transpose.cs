using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Ops;

// Transpose: everything the host compiler does with it, one part per pass, in pass order. Its float node is
// TransposeNode (Graph/Nodes/TransposeNode.cs), its device record TransposeRecord (Blob/Records/TransposeRecord.cs).

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class OnnxGraphImporter
    {
        /// <summary>Transpose by perm, by default the axes reversed.</summary>
        [ForOp("Transpose")]
        private void ConvertTranspose(OnnxNodeContext c)
        {
            string input = SoleInput(c);
            int rank = shapes[input].Length;
            long[] perm = c.Ints("perm") ?? Enumerable.Range(0, rank).Reverse().Select(a => (long)a).ToArray();
            if (perm.Length != rank || !perm.Order().SequenceEqual(Enumerable.Range(0, rank).Select(a => (long)a)))
            {
                throw c.Error($"perm [{string.Join(", ", perm)}] is not a permutation of the {rank} axes of input {Shapes.Format(shapes[input])}.");
            }

            Emit(new TransposeNode { Name = c.IrName, Input = input, Output = c.OutputName(0), Perm = perm.Select(a => (int)a).ToArray() }, c);
        }
    }
}

namespace QuantEdge.Compiler.Quantization.Lowering
{
    internal sealed partial class DevicePlan
    {
        [ForOp(typeof(TransposeNode))]
        private void PlanTranspose(TransposeNode transpose) =>
            // A copy in another order: the output keeps the input's quantization.
            AddStep(new Step(StepKind.Transpose, transpose, [transpose.Input], transpose.Output));
    }

    internal sealed partial class Lowerer
    {
        [ForOp(StepKind.Transpose)]
        private TransposeRecord LowerTranspose(StepTensors s) => new(s.Input, s.Output, [.. DeviceAxes(((TransposeNode)s.Step.Node).Perm)]);

        /// <summary>
        /// An ONNX perm (output axis i is input axis perm[i]) as the NHWC one of the device's tensors: for each
        /// device output axis, the device input axis it comes from. The axes a rank below 4 adds stay in place.
        /// </summary>
        private static int[] DeviceAxes(int[] perm)
        {
            int[] device = DevicePlan.DeviceAxes(perm.Length);
            int[] axes = [0, 1, 2, 3];
            for (int a = 0; a < perm.Length; a++)
            {
                axes[device[a]] = device[perm[a]];
            }

            return axes;
        }
    }
}

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class QdqGraph
    {
        /// <summary>
        /// A permutation of the NHWC axes as ONNX's Transpose of the NCHW value, dequantized and quantized again
        /// in the shared quantization (exact) in both arithmetics.
        /// </summary>
        [ForOp(typeof(TransposeRecord))]
        private void Transpose(TransposeRecord transpose)
        {
            DeviceTensor x = model.Tensors[transpose.Input], y = model.Tensors[transpose.Output];
            int[] nhwcOfNchw = [0, 3, 1, 2], nchwOfNhwc = [0, 2, 3, 1];
            long[] perm = [.. nhwcOfNchw.Select(d => (long)nchwOfNhwc[transpose.Axes[d]])];
            string permuted = Node("Transpose", [Rank4(Dequantize(values[transpose.Input], x.Scale, x.ZeroPoint), x.Dims)], a => a.Ints("perm", perm));
            Quantize(FromRank4(permuted, y.Dims), transpose.Output);
        }
    }
}
