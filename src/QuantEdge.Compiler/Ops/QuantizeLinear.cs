using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Ops;
using QuantEdge.Compiler.Quantization.Lowering;
using QuantEdge.Compiler.Quantization;
using DataType = Onnx.TensorProto.Types.DataType;

// QuantizeLinear and DequantizeLinear: the pre-quantized importer's view of a quantized model (the float input
// quantized by the blob's input rules; a dequantized tensor read by a QDQ float op). No device op of their own.

namespace QuantEdge.Compiler.PreQuantized
{
    internal sealed partial class PreQuantizedGraph
    {
        [ForOp("QuantizeLinear")]
        private Value Quantize(OnnxNodeContext c)
        {
            c.RequireInputs(2, 3);
            long axis = c.Int("axis", 1);
            float[] scales = FloatValues(c, 1, "y_scale");
            (long[] zeroPoints, bool unsigned) = ZeroPoints(c, 2, DataType.Uint8);
            return ValueOf(c, 0) switch
            {
                FloatInput input => QuantizeInput(c, input, scales, zeroPoints, unsigned, axis),
                Pending pending => pending.Lower(Spec(c, scales, zeroPoints, unsigned)),
                Dequantized d => RequireAndReturn(c, d.Source),
                var other => throw c.Error($"quantizes {Describe(other)}; only the float model input or the result of a QDQ operator can be quantized."),
            };

            Quantized RequireAndReturn(OnnxNodeContext node, Quantized source)
            {
                RequireQuantization(node, source, 1, 2);
                return source;
            }
        }

        /// <summary>
        /// The float model input's QuantizeLinear becomes the device's input rules: raw integers (the
        /// real value in units of 10^e) quantized with a multiplier the <see cref="ExactRequantizer"/>
        /// chose, one rule for the tensor or one per channel.
        /// </summary>
        private Quantized QuantizeInput(OnnxNodeContext c, FloatInput input, float[] scales, long[] zeroPoints, bool unsigned, long axisAttribute)
        {
            if (device.InputRules.Count > 0)
            {
                throw c.Error("quantizes the float input a second time; the device quantizes its input once.");
            }

            int[] shape = input.Shape;
            int[] dims = DevicePlan.DeviceDims(shape);
            int[] order = DevicePlan.NaturalOrder(shape);
            bool perChannel = scales.Length > 1;
            int axis = perChannel ? OnnxSemantics.NormalizeAxis(c, axisAttribute, shape.Length) : 0;
            int channels = perChannel ? shape[axis] : 1;
            if (scales.Length != channels || (zeroPoints.Length != 1 && zeroPoints.Length != channels))
            {
                throw c.Error($"{scales.Length} scales and {zeroPoints.Length} zero points do not match {channels} channel(s) of input {Shapes.Format(shape)}.");
            }

            var rules = new InputRule[channels];
            for (int ch = 0; ch < channels; ch++)
            {
                float scale = scales[ch];
                int zeroPoint = DeviceZeroPoint(c, zeroPoints[zeroPoints.Length == 1 ? 0 : ch], unsigned);
                int unit = options.InputUnitExponent ?? RangeSelection.UnitExponent(scale, integral: false);
                ExactRatio m = ExactRatio.PowerOfTen(unit) / ExactRatio.FromFloat(scale);
                (long low, long high) = ExactRequantizer.TransitionRange(m, zeroPoint, -128, 127);
                RequantizationFit fit = ExactRequantizer.Fit(m, low, high, zeroPoint);
                reports.Add(new RequantizationReport("input", ch, m, fit));
                rules[ch] = new InputRule(unit, 0, fit.Multiplier, fit.Shift, zeroPoint, scale);
            }

            int inner = FloatTensor.ElementCount(shape[(axis + 1)..]);
            int perBatch = dims[1] * dims[2] * dims[3];
            for (int j = 0; j < (perChannel ? perBatch : 1); j++)
            {
                device.InputRules.Add(rules[perChannel ? order[j] / inner % channels : 0]);
            }

            QuantParams q = perChannel ? new QuantParams(1f, 0) : new QuantParams(rules[0].Scale, rules[0].ZeroPoint);
            int tensor = device.AddTensor(new DeviceTensor(input.Name, [.. dims], q.Scale, q.ZeroPoint));
            device.Input = tensor;
            return new Quantized(tensor, shape, order, q, unsigned, perChannel);
        }

        [ForOp("DequantizeLinear")]
        private Value Dequantize(OnnxNodeContext c)
        {
            c.RequireInputs(2, 3);
            long axis = c.Int("axis", 1);
            switch (ValueOf(c, 0))
            {
                case Constant constant:
                    float[] scales = FloatValues(c, 1, "x_scale");
                    long[] zeroPoints = ZeroPoints(c, 2, constant.Type).ZeroPoints;
                    return new DequantizedConstant(constant, scales, zeroPoints, scales.Length > 1 ? OnnxSemantics.NormalizeAxis(c, axis, constant.Tensor.Shape.Length) : -1);
                case Quantized q:
                    RequireQuantization(c, Usable(q, c.Description), 1, 2);
                    return new Dequantized(q);
                case var other:
                    throw c.Error($"dequantizes {Describe(other)}; only constants and quantized tensors can be dequantized.");
            }
        }
    }
}
