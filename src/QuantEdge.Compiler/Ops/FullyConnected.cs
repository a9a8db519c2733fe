using System.Collections.Immutable;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Ops;
using QuantEdge.Compiler.Quantization.Lowering;
using DataType = Onnx.TensorProto.Types.DataType;

// Gemm and MatMul, the fully connected layer: everything the host compiler does with it, one part per pass, in
// pass order (float import, pre-quantized import: QLinearMatMul, MatMulInteger, QDQ Gemm/MatMul). Its float node
// is DenseNode (Graph/Nodes/Dense.cs), its device record FullyConnectedRecord (Blob/Records/FullyConnectedRecord.cs);
// its weights are quantized by Quantization/WeightQuantizer.cs.

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class OnnxGraphImporter
    {
        [ForOp("Gemm")]
        private void ConvertGemm(OnnxNodeContext c)
        {
            c.RequireInputs(2, 3);
            float alpha = c.Float("alpha", 1);
            float beta = c.Float("beta", 1);
            if (opset < 7)
            {
                // Whether C broadcasts; every C taken below is valid either way.
                c.Ignore("broadcast");
            }

            bool transB = c.Int("transB", 0) != 0;
            if (c.Int("transA", 0) != 0)
            {
                throw c.Error("transA=1 (a transposed activation) is not supported; only transA=0.");
            }

            string input = Activation(c, 0);
            OnnxConstant b = FloatConstantTensor(c, 1, "B");
            if (b.Shape.Length != 2)
            {
                throw c.Error($"B must be a rank-2 matrix, not {Shapes.Format(b.Shape)}.");
            }

            int outFeatures = transB ? b.Shape[0] : b.Shape[1];
            int inFeatures = transB ? b.Shape[1] : b.Shape[0];
            var weights = new float[outFeatures * inFeatures];
            for (int o = 0; o < outFeatures; o++)
            {
                for (int i = 0; i < inFeatures; i++)
                {
                    weights[o * inFeatures + i] = alpha * b.Floats![transB ? o * inFeatures + i : i * outFeatures + o];
                }
            }

            var bias = new float[outFeatures];
            if (c.InputName(2) is not null)
            {
                OnnxConstant bias2D = FloatConstantTensor(c, 2, "C");
                float[] perColumn = GemmBias(c, bias2D, outFeatures);
                for (int o = 0; o < outFeatures; o++)
                {
                    bias[o] = beta * perColumn[o];
                }
            }

            Emit(new DenseNode { Name = c.IrName, Input = input, Output = c.OutputName(0), Weights = new FloatTensor([outFeatures, inFeatures], weights), Bias = bias }, c);
        }

        /// <summary>Gemm's C as one value per output column; C that varies along the batch rows is refused.</summary>
        private static float[] GemmBias(OnnxNodeContext c, OnnxConstant bias, int columns)
        {
            int[] shape = bias.Shape;
            bool rowsOk = shape.Length < 2 || shape[0] == 1;
            int last = shape.Length == 0 ? 1 : shape[^1];
            if (shape.Length > 2 || !rowsOk || (last != 1 && last != columns))
            {
                throw c.Error($"C of shape {Shapes.Format(shape)} is not a bias over {columns} output columns; supported: scalar, [{columns}], [1, {columns}] (or 1 for broadcast).");
            }

            return Enumerable.Range(0, columns).Select(o => bias.Floats![last == 1 ? 0 : o]).ToArray();
        }

        [ForOp("MatMul")]
        private void ConvertMatMul(OnnxNodeContext c)
        {
            c.RequireInputs(2, 2);
            if (IsConstantInput(c, 0) && !IsConstantInput(c, 1))
            {
                ConvertMatMulOfConstantLeft(c);
                return;
            }

            string input = Activation(c, 0);
            OnnxConstant b = FloatConstantTensor(c, 1, "B (weights)");
            if (shapes[input].Length != 2 || b.Shape.Length != 2)
            {
                throw c.Error($"only a rank-2 activation times a rank-2 constant is supported, not {Shapes.Format(shapes[input])} × {Shapes.Format(b.Shape)}.");
            }

            int inFeatures = b.Shape[0];
            int outFeatures = b.Shape[1];
            var weights = new float[outFeatures * inFeatures];
            for (int o = 0; o < outFeatures; o++)
            {
                for (int i = 0; i < inFeatures; i++)
                {
                    weights[o * inFeatures + i] = b.Floats![i * outFeatures + o];
                }
            }

            Emit(new DenseNode { Name = c.IrName, Input = input, Output = c.OutputName(0), Weights = new FloatTensor([outFeatures, inFeatures], weights), Bias = new float[outFeatures] }, c);
        }

        /// <summary>
        /// Y = A·X with A a constant [M×K] and X a rank-2 activation [K×N]: Yᵀ = Xᵀ·Aᵀ, so X is transposed to N rows of K
        /// features, each row goes through a dense layer whose weights are A's rows, and the [N×M] result is transposed back.
        /// </summary>
        private void ConvertMatMulOfConstantLeft(OnnxNodeContext c)
        {
            OnnxConstant a = FloatConstantTensor(c, 0, "A (weights)");
            string input = Activation(c, 1);
            if (shapes[input].Length != 2 || a.Shape.Length != 2)
            {
                throw c.Error($"only a rank-2 constant times a rank-2 activation is supported, not {Shapes.Format(a.Shape)} × {Shapes.Format(shapes[input])}.");
            }

            string output = c.OutputName(0);
            string rows = NewValueName($"{output}_rows");
            string products = NewValueName($"{output}_rows_product");
            (int outFeatures, int inFeatures) = (a.Shape[0], a.Shape[1]);
            Emit(new TransposeNode { Name = $"{c.IrName}_rows", Input = input, Output = rows, Perm = [1, 0] }, c);
            Emit(new DenseNode { Name = c.IrName, Input = rows, Output = products, Weights = new FloatTensor([outFeatures, inFeatures], a.Floats!), Bias = new float[outFeatures] }, c);
            Emit(new TransposeNode { Name = $"{c.IrName}_columns", Input = products, Output = output, Perm = [1, 0] }, c);
        }
    }
}

namespace QuantEdge.Compiler.PreQuantized
{
    internal sealed partial class PreQuantizedGraph
    {
        [ForOp("QLinearMatMul")]
        private Value QLinearMatMul(OnnxNodeContext c)
        {
            c.RequireInputs(8, 8);
            Quantized a = QuantizedInput(c, 0);
            RequireQuantization(c, a, 1, 2);
            Constant b = ConstantOf(c, 3, "b");
            (long[] zeroPoints, bool unsigned) = ZeroPoints(c, 5, b.Type);
            var layer = Dense(c, a, MatrixOf(c, b, 3, transposed: false), FloatValues(c, 4, "b_scale"), zeroPoints, unsigned, null);
            return layer(Spec(c, FloatValues(c, 6, "y_scale"), ZeroPoints(c, 7, DataType.Uint8)));
        }

        [ForOp("MatMulInteger")]
        private Value MatMulInteger(OnnxNodeContext c)
        {
            c.RequireInputs(2, 4);
            Quantized a = QuantizedInput(c, 0);
            RequireQuantization(c, a, -1, 2);
            Constant b = ConstantOf(c, 1, "B");
            (long[] zeroPoints, bool unsigned) = ZeroPoints(c, 3, b.Type);
            return Dense(c, a, MatrixOf(c, b, 1, transposed: false), null, zeroPoints, unsigned, null)(null);
        }

        /// <summary>QDQ: Gemm or MatMul of DequantizeLinear(x) by DequantizeLinear(weights), with a DequantizeLinear(int32 bias) for Gemm.</summary>
        [ForOp("Gemm")]
        [ForOp("MatMul")]
        private Value QdqDense(OnnxNodeContext c)
        {
            bool gemm = c.Node.OpType == "Gemm";
            c.RequireInputs(2, gemm ? 3 : 2);
            bool transposed = gemm && c.Int("transB", 0) != 0;
            if (gemm && (c.Float("alpha", 1) != 1 || c.Float("beta", 1) != 1 || c.Int("transA", 0) != 0))
            {
                throw c.Error("only alpha = beta = 1 and transA = 0 are supported in a quantized Gemm.");
            }

            Quantized x = DequantizedInput(c);
            DequantizedConstant w = DequantizedWeights(c, 1, outputAxis: transposed ? 0 : 1);
            var layer = Dense(c, x, MatrixOf(c, w.Source, 1, transposed), w.Scales, w.ZeroPoints, w.Source.Unsigned, gemm ? QdqBias(c, 2, x, w) : null);
            return new Pending(spec => (Quantized)layer(spec));
        }

        /// <summary>
        /// A fully connected layer: out[n][o] = Σ_k (x[n][k] − xzp) × (w[o][k] − wzp) + bias[o], then ONNX's
        /// requantization (or the accumulators themselves, for a null spec). Reads everything now, emits the op when called.
        /// </summary>
        private Func<OutputSpec?, Value> Dense(OnnxNodeContext c, Quantized x, Matrix weights, float[]? scales, long[] zeroPoints, bool unsigned, long[]? bias)
        {
            if (x.Shape.Length != 2 || x.Shape[1] != weights.Depth)
            {
                throw c.Error($"only a rank-2 activation [N, {weights.Depth}] times the weights is supported, not {Shapes.Format(x.Shape)}.");
            }

            int outputs = weights.Outputs, depth = weights.Depth, batch = x.Shape[0];
            int weightZeroPoint = DeviceZeroPoint(c, OneZeroPoint(c, zeroPoints), unsigned);
            // Device element j of a row holds ONNX feature order[j] (a permutation when x is a flattened image).
            int[] rowOrder = x.Order.Take(depth).ToArray();
            var deviceWeights = new sbyte[outputs * depth];
            for (int o = 0; o < outputs; o++)
            {
                for (int j = 0; j < depth; j++)
                {
                    deviceWeights[o * depth + j] = DeviceWeight(c, weights.At(o, rowOrder[j]), unsigned);
                }
            }

            long[] channelBias = ChannelBias(c, bias, outputs);
            float[] weightScales = ChannelScales(c, scales, outputs);
            int inputZeroPoint = x.Params.ZeroPoint;
            // The bias stays raw: the device folds the input zero points in at load.
            int[] rawBias = channelBias.Select(b => ToInt32(c, b, "a bias")).ToArray();

            return spec =>
            {
                (int[] multipliers, int[] shifts, OutputSpec y) = Requantization(c, x, spec, weightScales, o =>
                    AccumulatorRange(c, channelBias[o], inputZeroPoint, Enumerable.Range(0, depth).Select(j => deviceWeights[o * depth + j] - weightZeroPoint), skippable: false));
                int[] shape = [batch, outputs];
                int tensor = device.AddTensor(new DeviceTensor(c.OutputName(0), [.. DevicePlan.DeviceDims(shape)], y.Params.Scale, y.Params.ZeroPoint));
                device.Ops.Add(new FullyConnectedRecord(x.Tensor, tensor, [.. deviceWeights], [.. rawBias], Blob.Requantization.Explicit(multipliers, shifts), y.Params.ZeroPoint, y.Min, y.Max, weightZeroPoint));
                return spec is null ? new Accumulators(tensor, shape, DevicePlan.NaturalOrder(shape)) : new Quantized(tensor, shape, DevicePlan.NaturalOrder(shape), y.Params, y.Unsigned);
            };
        }
    }
}

namespace QuantEdge.Compiler.Quantization.Lowering
{
    internal sealed partial class DevicePlan
    {
        [ForOp(typeof(DenseNode))]
        private void PlanDense(DenseNode dense) => AddStep(new Step(StepKind.FullyConnected, dense, [dense.Input], dense.Output));
    }

    internal sealed partial class Lowerer
    {
        [ForOp(StepKind.FullyConnected)]
        private FullyConnectedRecord LowerFullyConnected(StepTensors s) => FullyConnected((DenseNode)s.Step.Node, s.InValue, s.Input, s.Output, s.Y, s.Min, s.Max);

        private FullyConnectedRecord FullyConnected(DenseNode dense, DeviceValue input, int inputIndex, int output, QuantParams y, int min, int max)
        {
            // Device element j holds float feature order[j]: the weights' columns follow it. A feature
            // centred by an offset c_j reaches the layer as x_j − c_j: Σ w·c_j moves into the bias.
            int[] order = input.FlatOrder[..dense.InputFeatures];
            InputFeature[] features = FeatureQuantization(input);
            double[] mean = statistics[input.Source].Mean;
            double Weight(int o, int j) => dense.Weights.Data[o * dense.InputFeatures + order[j]];
            double[][] effective = Rows(dense.OutputFeatures, order.Length, (o, j) => Weight(o, j) * features[j].Params.Scale);
            float[] centredBias = dense.Bias.Select((b, o) => (float)(b + Enumerable.Range(0, order.Length).Sum(j => Weight(o, j) * features[j].Offset))).ToArray();
            QuantizedLayer q = WeightQuantizer.Quantize(effective, centredBias, y.Scale, options.PerTensorWeights,
                options.BiasCorrection ? (o, j) => (mean[order[j]] - features[j].Offset) / features[j].Params.Scale : null,
                OutputAwareRoundingFor(dense.Name, order, j => features[j].Params.Scale));

            // The bias stays raw: the device folds Σ_k w·zp_k in at load.
            return new FullyConnectedRecord(inputIndex, output, [.. q.Weights], [.. q.Bias], q.Requantization, y.ZeroPoint, min, max);
        }
    }
}

namespace QuantEdge.Compiler.Onnx
{
    internal sealed partial class QdqGraph
    {
        [ForOp(typeof(FullyConnectedRecord))]
        private void FullyConnected(FullyConnectedRecord fc)
        {
            DeviceTensor x = model.Tensors[fc.Input], y = model.Tensors[fc.Output];
            int depth = x.Dims[3], outputs = y.Dims[3];

            // What the kernel's integer inputs stand for, per input column: the model input's rules (one,
            // or one per feature), or the tensor's own quantization.
            bool fromRules = fc.Input == model.Input;
            float[] inputScales = new float[depth];
            int[] inputZeroPoints = new int[depth];
            for (int k = 0; k < depth; k++)
            {
                InputRule? rule = fromRules ? model.InputRules[model.InputRules.Count == 1 ? 0 : k] : null;
                (inputScales[k], inputZeroPoints[k]) = rule != null ? (rule.Scale, rule.ZeroPoint) : (x.Scale, x.ZeroPoint);
            }

            // The blob's bias is raw (the device folds the input zero points in at load), which is what
            // a DequantizeLinear of the input that carries the zero points needs.
            ImmutableArray<int> bias = fc.Bias;
            long largestAccumulator = 0;
            for (int o = 0; o < outputs; o++)
            {
                long bound = Math.Abs((long)bias[o]);
                for (int k = 0; k < depth; k++)
                {
                    bound += Math.Abs(fc.Weights[o * depth + k] - fc.WeightZeroPoint) * LargestCode(inputZeroPoints[k]);
                }

                largestAccumulator = Math.Max(largestAccumulator, bound);
            }

            bool perFeature = inputScales.Distinct().Count() > 1 || inputZeroPoints.Distinct().Count() > 1;
            float[] scales = arithmetic == QdqArithmetic.Device ? Enumerable.Repeat(1f, depth).ToArray() : inputScales;
            string input = perFeature
                ? Node("DequantizeLinear", [values[fc.Input], Floats(scales, depth), Int8s(inputZeroPoints.Select(z => (sbyte)z).ToArray(), depth)], a => a.Int("axis", 1))
                : Dequantize(values[fc.Input], scales[0], inputZeroPoints[0]);
            string rows = Relayout(input, x.Dims, RowDims(y.Dims, depth));
            int[] outputRows = RowDims(y.Dims, outputs);
            string weights = Int8s(fc.Weights, outputs, depth);
            if (arithmetic == QdqArithmetic.Device)
            {
                // Sums of integer codes are exact in float32 below 2^24; beyond, the layer runs in float64.
                bool inFloat32 = largestAccumulator < Float32ExactIntegers;
                string codes = Dequantize(weights, 1f, fc.WeightZeroPoint);
                string accumulator = inFloat32
                    ? Node("Gemm", [rows, codes, Node("DequantizeLinear", [Int32s(bias), Scalar(1f)])], a => a.Int("transB", 1))
                    : Node("Gemm", [Cast(rows, OnnxDouble), Cast(codes, OnnxDouble), Cast(Int32s(bias), OnnxDouble)], a => a.Int("transB", 1));
                string result = RequantizeAccumulator(Cast(accumulator, OnnxInt64), fc.Requantization.Multipliers, fc.Requantization.Shifts, [outputs], y.ZeroPoint, fc.ActivationMin, fc.ActivationMax);
                values[fc.Output] = Relayout(result, outputRows, y.Dims);
                return;
            }

            double[] unit = AccumulatorScales(fc.Requantization.Multipliers, fc.Requantization.Shifts, y.Scale);
            float[] weightScales = unit.Select(a => (float)(perFeature ? a : a / inputScales[0])).ToArray();
            string real = Node("DequantizeLinear", [weights, Floats(weightScales, outputs), Int8s(Enumerable.Repeat((sbyte)fc.WeightZeroPoint, outputs).ToArray(), outputs)],
                a => a.Int("axis", 0));
            if (perFeature)
            {
                // The int8 weights were compensated for each feature's scale; dividing it out gives the real weights.
                real = Node("Mul", [real, Floats(inputScales.Select(s => 1 / s).ToArray(), 1, depth)]);
            }

            string sum = Node("Gemm", [rows, real, BiasValue(bias, unit)], a => a.Int("transB", 1));
            Quantize(Clamp(Relayout(sum, outputRows, y.Dims), fc.ActivationMin, fc.ActivationMax, y), fc.Output);
        }
    }
}
