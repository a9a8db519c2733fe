using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Ops;

// BatchNormalization: folded into the Conv/Gemm before it, or kept as a per-channel affine map that the device
// runs as a 1×1 depthwise convolution (Conv.cs): one part per pass, in pass order. Its float node is
// ChannelAffineNode (Graph/Nodes/ChannelAffineNode.cs).

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class OnnxGraphImporter
    {
        [ForOp("BatchNormalization")]
        private void ConvertBatchNormalization(OnnxNodeContext c)
        {
            c.RequireInputs(5, 5);
            double epsilon = c.Float("epsilon", 1e-5f);
            c.Ignore("momentum");
            if (opset < 9 && c.Int("spatial", 1) != 1)
            {
                throw c.Error("spatial=0 (per-activation statistics) is not supported.");
            }

            if (opset >= 14 && c.Int("training_mode", 0) != 0)
            {
                throw c.Error("training_mode=1 is not supported; only inference-mode BatchNormalization.");
            }

            RequireTestMode(c);

            RejectUsedExtraOutputs(c, "running statistics (training mode)");
            string input = Activation(c, 0);
            int[] inputShape = shapes[input];
            if (inputShape.Length < 2)
            {
                throw c.Error($"input {Shapes.Format(inputShape)} has no channel axis.");
            }

            int channels = inputShape[1];
            float[][] parameters = new[] { "scale", "B", "mean", "var" }
                .Select((role, i) => FloatConstant(c, i + 1, role))
                .ToArray();
            if (parameters.Any(p => p.Length != channels))
            {
                throw c.Error($"scale, B, mean and var need {channels} values each (input {Shapes.Format(inputShape)}), have {string.Join(", ", parameters.Select(p => p.Length))}.");
            }

            var scale = new float[channels];
            var shift = new float[channels];
            for (int ch = 0; ch < channels; ch++)
            {
                double s = parameters[0][ch] / Math.Sqrt(parameters[3][ch] + epsilon);
                scale[ch] = (float)s;
                shift[ch] = (float)(parameters[1][ch] - parameters[2][ch] * s);
            }

            if (TryGetFoldTarget(input, out int index))
            {
                ReplaceFolded(index, ScaleOutputChannels(ScaleOutputChannels(nodes[index], scale, multiply: true), shift, multiply: false), c.OutputName(0), c);
                return;
            }

            Emit(new ChannelAffineNode { Name = c.IrName, Input = input, Output = c.OutputName(0), Scale = scale, Shift = shift }, c);
        }
    }
}

namespace QuantEdge.Compiler.Quantization.Lowering
{
    internal sealed partial class DevicePlan
    {
        [ForOp(typeof(ChannelAffineNode))]
        private void PlanChannelAffine(ChannelAffineNode affine) => AddStep(ChannelAffineStep(affine, affine.Scale, affine.Shift));
    }
}
