using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Ops;
using QuantEdge.Compiler.Quantization.Lowering;
using DataType = Onnx.TensorProto.Types.DataType;

// Conv, and the device's Conv2D and DepthwiseConv2D ops: everything the host compiler does with them, one part per
// pass, in pass order (float import, pre-quantized import: QLinearConv, ConvInteger, QDQ Conv). The depthwise op
// also runs a per-channel affine map (BatchNormalization.cs, Arithmetic.cs) and an average pool that counts its
// padding (Pool.cs). The float node is Conv2DNode (Graph/Nodes/Conv2D.cs), the device records Conv2DRecord and
// DepthwiseConv2DRecord (Blob/Records/); weights are quantized by Quantization/WeightQuantizer.cs.

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class OnnxGraphImporter
    {
        [ForOp("Conv")]
        private void ConvertConv(OnnxNodeContext c)
        {
            c.RequireInputs(2, 3);
            string input = Activation(c, 0);
            int[] inputShape = shapes[input];
            if (inputShape.Length is not (3 or 4))
            {
                throw c.Error($"only 1-D and 2-D convolutions (rank-3 or rank-4 input) are supported; input is {Shapes.Format(inputShape)}.");
            }

            OnnxConstant w = FloatConstantTensor(c, 1, "W (weights)");
            if (w.Shape.Length != inputShape.Length)
            {
                throw c.Error($"weights {Shapes.Format(w.Shape)} do not match the rank of input {Shapes.Format(inputShape)}.");
            }

            int outChannels = w.Shape[0];
            float[] bias = c.InputName(2) is null ? new float[outChannels] : FloatConstant(c, 2, "B (bias)");
            if (bias.Length != outChannels)
            {
                throw c.Error($"bias has {bias.Length} values for {outChannels} output channels.");
            }

            int[] kernel = w.Shape[2..];
            if (c.Ints("kernel_shape") is { } declared && !declared.SequenceEqual(kernel.Select(k => (long)k)))
            {
                throw c.Error($"kernel_shape [{string.Join(", ", declared)}] does not match weights {Shapes.Format(w.Shape)}.");
            }

            OnnxWindow window = OnnxSemantics.ReadWindow(c, inputShape, kernel, allowDilations: true);
            int[] weightShape = inputShape.Length == 3 ? [outChannels, w.Shape[1], 1, w.Shape[2]] : w.Shape;
            Emit(new Conv2DNode
            {
                Name = c.IrName,
                Input = input,
                Output = c.OutputName(0),
                Weights = new FloatTensor(weightShape, w.Floats!),
                Bias = bias,
                Strides = window.Strides,
                Pads = window.Pads,
                Dilations = window.Dilations,
                Group = checked((int)c.Int("group", 1)),
            }, c);
        }
    }
}

namespace QuantEdge.Compiler.PreQuantized
{
    internal sealed partial class PreQuantizedGraph
    {
        [ForOp("QLinearConv")]
        private Value QLinearConv(OnnxNodeContext c)
        {
            c.RequireInputs(8, 9);
            Quantized x = QuantizedInput(c, 0);
            RequireQuantization(c, x, 1, 2);
            Constant w = ConstantOf(c, 3, "w");
            (long[] zeroPoints, bool unsigned) = ZeroPoints(c, 5, w.Type);
            long[]? bias = c.InputName(8) is null ? null : IntegerValues(c, 8, "B").Values;
            var layer = Convolution(c, x, w, FloatValues(c, 4, "w_scale"), zeroPoints, unsigned, bias);
            return layer(Spec(c, FloatValues(c, 6, "y_scale"), ZeroPoints(c, 7, DataType.Uint8)));
        }

        [ForOp("ConvInteger")]
        private Value ConvInteger(OnnxNodeContext c)
        {
            c.RequireInputs(2, 4);
            Quantized x = QuantizedInput(c, 0);
            RequireQuantization(c, x, -1, 2);
            Constant w = ConstantOf(c, 1, "w");
            (long[] zeroPoints, bool unsigned) = ZeroPoints(c, 3, w.Type);
            return Convolution(c, x, w, null, zeroPoints, unsigned, null)(null);
        }

        /// <summary>QDQ: Conv(DequantizeLinear(x), DequantizeLinear(w)[, DequantizeLinear(int32 bias)]) → QuantizeLinear.</summary>
        [ForOp("Conv")]
        private Value QdqConv(OnnxNodeContext c)
        {
            c.RequireInputs(2, 3);
            Quantized x = DequantizedInput(c);
            DequantizedConstant w = DequantizedWeights(c, 1, outputAxis: 0);
            var layer = Convolution(c, x, w.Source, w.Scales, w.ZeroPoints, w.Source.Unsigned, QdqBias(c, 2, x, w));
            return new Pending(spec => (Quantized)layer(spec));
        }

        /// <summary>A 1-D or 2-D convolution, group 1 (Conv2D, with a weight zero point) or depthwise; like <see cref="Dense"/> otherwise.</summary>
        private Func<OutputSpec?, Value> Convolution(OnnxNodeContext c, Quantized x, Constant w, float[]? scales, long[] zeroPoints, bool unsigned, long[]? bias)
        {
            int rank = x.Shape.Length;
            long[] values = w.Tensor.Integers ?? throw c.Error("the weights must be integers.");
            int[] wShape = w.Tensor.Shape;
            if (rank is not (3 or 4) || wShape.Length != rank || !x.Order.SequenceEqual(DevicePlan.NaturalOrder(x.Shape)))
            {
                throw c.Error($"only 1-D and 2-D convolutions of an image in its natural layout are supported (input {Shapes.Format(x.Shape)}, weights {Shapes.Format(wShape)}).");
            }

            int[] kernel = wShape[2..];
            if (c.Ints("kernel_shape") is { } declared && !declared.SequenceEqual(kernel.Select(k => (long)k)))
            {
                throw c.Error($"kernel_shape [{string.Join(", ", declared)}] does not match weights {Shapes.Format(wShape)}.");
            }

            OnnxWindow window = OnnxSemantics.ReadWindow(c, x.Shape, kernel, allowDilations: true);
            int group = checked((int)c.Int("group", 1));
            NchwShape s = NchwShape.Of(x.Shape);
            int outputs = wShape[0], perGroup = wShape[1];
            (int kh, int kw) = (rank == 3 ? 1 : kernel[0], kernel[^1]);
            bool depthwise = group > 1 && group == s.Channels && perGroup == 1 && outputs % group == 0;
            if (perGroup * group != s.Channels || (group != 1 && !depthwise))
            {
                throw c.Error($"group {group} with weights {Shapes.Format(wShape)} on input {Shapes.Format(x.Shape)}: the device runs group 1 and depthwise (group = input channels) convolutions.");
            }

            int weightZeroPoint = DeviceZeroPoint(c, OneZeroPoint(c, zeroPoints), unsigned);
            if (depthwise && weightZeroPoint != 0)
            {
                throw c.Error("a weight zero point on a depthwise convolution is not supported (symmetric weights only).");
            }

            int taps = kh * kw, channels = s.Channels;
            int depth = depthwise ? taps : taps * channels;
            // OHWI for Conv2D (tap k = (ky·KW + kx)·C + c), [KH, KW, O] for depthwise; weightOf(o, k) in OHWI/tap order either way.
            var deviceWeights = new sbyte[outputs * depth];
            Func<int, int, int> weightOf = depthwise ? (o, t) => deviceWeights[t * outputs + o] : (o, k) => deviceWeights[o * depth + k];
            for (int o = 0; o < outputs; o++)
            {
                for (int k = 0; k < depth; k++)
                {
                    int ci = depthwise ? 0 : k % channels, tap = depthwise ? k : k / channels;
                    long value = values[((o * perGroup + ci) * kh + tap / kw) * kw + tap % kw];
                    deviceWeights[depthwise ? k * outputs + o : o * depth + k] = DeviceWeight(c, value, unsigned);
                }
            }

            long[] channelBias = ChannelBias(c, bias, outputs);
            int[] deviceBias = channelBias.Select(b => ToInt32(c, b, "a bias")).ToArray();
            float[] weightScales = ChannelScales(c, scales, outputs);
            int oh = Shapes.WindowOutputSize(s.Height, kh, window.Strides.Height, window.Dilations.Height, window.Pads.Top, window.Pads.Bottom);
            int ow = Shapes.WindowOutputSize(s.Width, kw, window.Strides.Width, window.Dilations.Width, window.Pads.Left, window.Pads.Right);
            int[] shape = new NchwShape(s.Batch, outputs, oh, ow).ToShape(rank);
            var deviceWindow = new DeviceWindow(kh, kw, window.Strides.Height, window.Strides.Width, window.Dilations.Height, window.Dilations.Width, window.Pads.Top, window.Pads.Left);
            return spec =>
            {
                int inputZeroPoint = x.Params.ZeroPoint;
                (int[] multipliers, int[] shifts, OutputSpec y) = Requantization(c, x, spec, weightScales, o =>
                    AccumulatorRange(c, channelBias[o], inputZeroPoint, Enumerable.Range(0, depth).Select(k => weightOf(o, k) - weightZeroPoint), skippable: true));
                int tensor = device.AddTensor(new DeviceTensor(c.OutputName(0), [.. DevicePlan.DeviceDims(shape)], y.Params.Scale, y.Params.ZeroPoint));
                device.Ops.Add(depthwise
                    ? new DepthwiseConv2DRecord(x.Tensor, tensor, deviceWindow, inputZeroPoint, outputs / channels, [.. deviceWeights], [.. deviceBias],
                        Blob.Requantization.Explicit(multipliers, shifts), y.Params.ZeroPoint, y.Min, y.Max)
                    : new Conv2DRecord(x.Tensor, tensor, deviceWindow, inputZeroPoint, [.. deviceWeights], [.. deviceBias],
                        Blob.Requantization.Explicit(multipliers, shifts), y.Params.ZeroPoint, y.Min, y.Max) { WeightZeroPoint = weightZeroPoint });
                return spec is null ? new Accumulators(tensor, shape, DevicePlan.NaturalOrder(shape)) : new Quantized(tensor, shape, DevicePlan.NaturalOrder(shape), y.Params, y.Unsigned);
            };
        }
    }
}

namespace QuantEdge.Compiler.Quantization.Lowering
{
    internal sealed partial class DevicePlan
    {
        [ForOp(typeof(Conv2DNode))]
        private void PlanConv(Conv2DNode conv)
        {
            int channels = NchwShape.Of(Graph.ShapeOf(conv.Input)).Channels;
            if (conv.Group == 1)
            {
                AddStep(new Step(StepKind.Conv2D, conv, [conv.Input], conv.Output));
            }
            else if (conv.Group == channels && conv.OutputChannels % channels == 0)
            {
                AddStep(new Step(StepKind.DepthwiseConv2D, conv, [conv.Input], conv.Output));
            }
            else
            {
                throw Unsupported(conv, $"grouped convolution with {conv.Group} groups of {channels / conv.Group} channels; the device runs group 1 (Conv2D) and depthwise (group = input channels)");
            }
        }
    }

    internal sealed partial class Lowerer
    {
        [ForOp(StepKind.Conv2D)]
        private Conv2DRecord LowerConv2D(StepTensors s) => Conv((Conv2DNode)s.Step.Node, s.InValue, s.Input, s.Output, s.X, s.Y, s.Min, s.Max);

        private Conv2DRecord Conv(Conv2DNode conv, DeviceValue input, int inputIndex, int output, QuantParams x, QuantParams y, int min, int max)
        {
            int channels = conv.Weights.Shape[1];
            (int kh, int kw) = (conv.Kernel.Height, conv.Kernel.Width);
            double[] channelMean = ChannelMeans(input);
            int taps = kh * kw * channels;
            // OHWI: tap k = (ky·KW + kx)·C + c.
            double[][] effective = Rows(conv.OutputChannels, taps, (o, k) =>
            {
                int c = k % channels, kx = k / channels % kw, ky = k / channels / kw;
                return conv.Weights.Data[((o * channels + c) * kh + ky) * kw + kx] * (double)x.Scale;
            });
            QuantizedLayer q = WeightQuantizer.Quantize(effective, conv.Bias, y.Scale, options.PerTensorWeights,
                options.BiasCorrection ? (o, k) => channelMean[k % channels] / x.Scale : null,
                OutputAwareRoundingFor(conv.Name, Enumerable.Range(0, taps).ToArray(), _ => x.Scale));
            var window = new DeviceWindow(kh, kw, conv.Strides.Height, conv.Strides.Width, conv.Dilations.Height, conv.Dilations.Width, conv.Pads.Top, conv.Pads.Left);
            return new Conv2DRecord(inputIndex, output, window, x.ZeroPoint, [.. q.Weights], [.. q.Bias], q.Requantization, y.ZeroPoint, min, max);
        }

        [ForOp(StepKind.DepthwiseConv2D)]
        private DepthwiseConv2DRecord LowerDepthwise(StepTensors s) => Depthwise(s.Step, s.InValue, s.Input, s.Output, s.X, s.Y, s.Min, s.Max);

        /// <summary>A depthwise convolution, an affine map per channel, or an average pool that counts its padding.</summary>
        private DepthwiseConv2DRecord Depthwise(Step step, DeviceValue input, int inputIndex, int output, QuantParams x, QuantParams y, int min, int max)
        {
            int inChannels = input.Dims[3];
            DeviceWindow window;
            Func<int, int, double> weight;
            float[] bias;
            int taps;
            int outChannels;
            if (step.SyntheticDepthwise is var (weights, shift, kh, kw))
            {
                outChannels = inChannels;
                taps = kh * kw;
                weight = (o, t) => weights[o * taps + t];
                bias = shift;
                window = step.Node is Pool2DNode pool
                    ? new DeviceWindow(kh, kw, pool.Strides.Height, pool.Strides.Width, PadTop: pool.Pads.Top, PadLeft: pool.Pads.Left)
                    : new DeviceWindow(1, 1);
            }
            else
            {
                var conv = (Conv2DNode)step.Node;
                outChannels = conv.OutputChannels;
                taps = conv.Kernel.Height * conv.Kernel.Width;
                weight = (o, t) => conv.Weights.Data[o * taps + t];
                bias = conv.Bias;
                window = new DeviceWindow(conv.Kernel.Height, conv.Kernel.Width, conv.Strides.Height, conv.Strides.Width,
                    conv.Dilations.Height, conv.Dilations.Width, conv.Pads.Top, conv.Pads.Left);
            }

            int multiplier = outChannels / inChannels;
            double[] channelMean = ChannelMeans(input);
            double[][] effective = Rows(outChannels, taps, (o, t) => weight(o, t) * x.Scale);
            QuantizedLayer q = WeightQuantizer.Quantize(effective, bias, y.Scale, options.PerTensorWeights,
                options.BiasCorrection ? (o, t) => channelMean[o / multiplier] / x.Scale : null);
            // Device layout [KH, KW, O]: tap-major.
            var deviceWeights = new sbyte[taps * outChannels];
            for (int o = 0; o < outChannels; o++)
            {
                for (int t = 0; t < taps; t++)
                {
                    deviceWeights[t * outChannels + o] = q.Weights[o * taps + t];
                }
            }

            return new DepthwiseConv2DRecord(inputIndex, output, window, x.ZeroPoint, multiplier, [.. deviceWeights], [.. q.Bias], q.Requantization, y.ZeroPoint, min, max);
        }
    }
}

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class QdqGraph
    {
        [ForOp(typeof(Conv2DRecord))]
        private void ExportConv2D(Conv2DRecord conv) =>
            Convolution(conv.Input, conv.Output, conv.Window, conv.InputZeroPoint, OihwFromOhwi(conv), 1,
                conv.Bias, conv.Requantization.Multipliers, conv.Requantization.Shifts, conv.ActivationMin, conv.ActivationMax);

        [ForOp(typeof(DepthwiseConv2DRecord))]
        private void ExportDepthwise(DepthwiseConv2DRecord depthwise) =>
            Convolution(depthwise.Input, depthwise.Output, depthwise.Window, depthwise.InputZeroPoint, OihwFromDepthwise(depthwise),
                model.Tensors[depthwise.Input].Dims[3], depthwise.Bias, depthwise.Requantization.Multipliers, depthwise.Requantization.Shifts, depthwise.ActivationMin, depthwise.ActivationMax);

        private void Convolution(int inputIndex, int outputIndex, DeviceWindow window, int inputZeroPoint, sbyte[] oihw, int group,
            IReadOnlyList<int> bias, IReadOnlyList<int> multiplier, IReadOnlyList<int> shift, int min, int max)
        {
            DeviceTensor x = model.Tensors[inputIndex], y = model.Tensors[outputIndex];
            int outputs = y.Dims[3];
            string weights = Int8s(oihw, outputs, x.Dims[3] / group, window.FilterHeight, window.FilterWidth);
            long[] pads = Pads(x.Dims, y.Dims, window, out bool crop);
            string Conv(string input, string w, string b) => Crop(Node("Conv", [Rank4(input, x.Dims), w, b], a => a
                .Ints("kernel_shape", window.FilterHeight, window.FilterWidth)
                .Ints("strides", window.StrideHeight, window.StrideWidth)
                .Ints("dilations", window.DilationHeight, window.DilationWidth)
                .Ints("pads", pads)
                .Int("group", group)), y.Dims, crop);

            if (arithmetic == QdqArithmetic.Device)
            {
                int taps = oihw.Length / outputs;
                long largest = Enumerable.Range(0, outputs)
                    .Max(o => oihw.Skip(o * taps).Take(taps).Sum(w => (long)Math.Abs(w)) * LargestCode(inputZeroPoint) + Math.Abs((long)bias[o]));
                if (largest >= Float32ExactIntegers)
                {
                    throw new NotSupportedException($"{prefix}: a convolution whose accumulator can reach {largest}, beyond float32's exact integers (2^24)");
                }

                string accumulator = Conv(Dequantize(values[inputIndex], 1f, inputZeroPoint), Dequantize(weights, 1f, 0), Node("DequantizeLinear", [Int32s(bias), Scalar(1f)]));
                string result = RequantizeAccumulator(Cast(accumulator, OnnxInt64), multiplier, shift, [outputs, 1, 1], y.ZeroPoint, min, max);
                values[outputIndex] = FromRank4(result, y.Dims);
                return;
            }

            double[] unit = AccumulatorScales(multiplier, shift, y.Scale);
            string real = Node("DequantizeLinear", [weights, Floats(unit.Select(a => (float)(a / x.Scale)).ToArray(), outputs), Int8s(new sbyte[outputs], outputs)],
                a => a.Int("axis", 0));
            string sum = Conv(Dequantize(values[inputIndex], x.Scale, inputZeroPoint), real, BiasValue(bias, unit));
            Quantize(Clamp(FromRank4(sum, y.Dims), min, max, y), outputIndex);
        }

        /// <summary>Conv2D weights OHWI (the blob) as OIHW (ONNX).</summary>
        private static sbyte[] OihwFromOhwi(Conv2DRecord conv)
        {
            int outputs = conv.Bias.Length, kh = conv.Window.FilterHeight, kw = conv.Window.FilterWidth;
            int channels = conv.Weights.Length / (outputs * kh * kw);
            var oihw = new sbyte[conv.Weights.Length];
            for (int o = 0; o < outputs; o++)
            {
                for (int y = 0; y < kh; y++)
                {
                    for (int x = 0; x < kw; x++)
                    {
                        for (int c = 0; c < channels; c++)
                        {
                            oihw[((o * channels + c) * kh + y) * kw + x] = conv.Weights[((o * kh + y) * kw + x) * channels + c];
                        }
                    }
                }
            }

            return oihw;
        }

        /// <summary>Depthwise weights [KH, KW, O] (the blob) as [O, 1, KH, KW] (ONNX, one input channel per group).</summary>
        private static sbyte[] OihwFromDepthwise(DepthwiseConv2DRecord depthwise)
        {
            int outputs = depthwise.Bias.Length, taps = depthwise.Window.FilterHeight * depthwise.Window.FilterWidth;
            var oihw = new sbyte[depthwise.Weights.Length];
            for (int o = 0; o < outputs; o++)
            {
                for (int t = 0; t < taps; t++)
                {
                    oihw[o * taps + t] = depthwise.Weights[t * outputs + o];
                }
            }

            return oihw;
        }
    }
}
