using System.Text.Json;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Onnx;

/// <summary>Builds the graph of one export; see <see cref="QdqExporter"/> for the design.</summary>
internal sealed class QdqGraph
{
    private const int OnnxFloat = 1, OnnxInt8 = 3, OnnxInt32 = 6, OnnxInt64 = 7, OnnxDouble = 11;

    /// <summary>Integers up to this magnitude are exact in float32, and so are sums that stay below it.</summary>
    private const long Float32ExactIntegers = 1L << 24;
    private static readonly long[] ToNhwc = [0, 2, 3, 1], ToNchw = [0, 3, 1, 2];
    private static readonly long[] NchwAxisOfNhwcAxis = [0, 2, 3, 1];

    private readonly DeviceModel model;
    private readonly QdqArithmetic arithmetic;
    private readonly OnnxModelBuilder builder;
    private readonly bool dynamicBatch;

    /// <summary>The ONNX int8 value holding each device tensor, once written.</summary>
    private readonly string[] values;

    private readonly HashSet<string> scalars = new(StringComparer.Ordinal);
    private string prefix = "input";
    private int count;

    public QdqGraph(DeviceModel model, QdqArithmetic arithmetic)
    {
        this.model = model;
        this.arithmetic = arithmetic;
        builder = new OnnxModelBuilder(QdqExporter.Opset, model.Name.Length > 0 ? model.Name : "quantedge");
        int batch = model.Tensors[model.Input].Dims[0];
        dynamicBatch = model.Tensors.All(t => t.Dims[0] == batch) && !model.Ops.OfType<ConcatRecord>().Any(c => c.Axis == 0);
        values = new string[model.Tensors.Count];
    }

    public byte[] Build(bool everyTensor = false)
    {
        DeviceTensor input = model.Tensors[model.Input];
        builder.Input(QdqExporter.InputName, Declared(input.Dims));
        values[model.Input] = QuantizeInput(input);
        for (int i = 0; i < model.Ops.Count; i++)
        {
            prefix = $"op{i}";
            Export(model.Ops[i]);
        }

        DeviceTensor output = model.Tensors[model.Output];
        builder.Node("DequantizeLinear", [values[model.Output], Scalar(output.Scale), Scalar((sbyte)output.ZeroPoint)], [QdqExporter.OutputName], name: "output");
        builder.Output(QdqExporter.OutputName, Declared(output.Dims));
        for (int t = 0; everyTensor && t < values.Length; t++)
        {
            builder.Node("Identity", [values[t]], [$"t{t}"], name: $"t{t}");
            builder.Output($"t{t}", OnnxElementType.Int8, Declared(model.Tensors[t].Dims));
        }

        if (model.FeatureNames.Length > 0)
        {
            builder.Metadata("feature_names", JsonSerializer.Serialize(model.FeatureNames));
        }

        if (model.OutputNames.Length > 0)
        {
            builder.Metadata("class_labels", JsonSerializer.Serialize(model.OutputNames));
        }

        return builder.ToBytes();
    }

    private void Export(DeviceOp op)
    {
        switch (op)
        {
            case FullyConnectedRecord fc:
                FullyConnected(fc);
                break;
            case Conv2DRecord conv:
                Convolution(conv.Input, conv.Output, conv.Window, conv.InputZeroPoint, OihwFromOhwi(conv), 1,
                    conv.Bias, conv.Requantization.Multipliers, conv.Requantization.Shifts, conv.ActivationMin, conv.ActivationMax);
                break;
            case DepthwiseConv2DRecord depthwise:
                Convolution(depthwise.Input, depthwise.Output, depthwise.Window, depthwise.InputZeroPoint, OihwFromDepthwise(depthwise),
                    model.Tensors[depthwise.Input].Dims[3], depthwise.Bias, depthwise.Requantization.Multipliers, depthwise.Requantization.Shifts, depthwise.ActivationMin, depthwise.ActivationMax);
                break;
            case Pool2DRecord { Average: true } pool:
                AveragePool(pool);
                break;
            case Pool2DRecord pool:
                MaxPool(pool);
                break;
            case GlobalAveragePoolRecord pool:
                GlobalAveragePool(pool);
                break;
            case AddRecord add:
                Add(add);
                break;
            case MulRecord mul:
                Mul(mul);
                break;
            case BroadcastRecord broadcast:
                Broadcast(broadcast);
                break;
            case PadRecord pad:
                Pad(pad);
                break;
            case TransposeRecord transpose:
                Transpose(transpose);
                break;
            case LookupRecord lookup:
                Lookup(lookup);
                break;
            case SoftmaxRecord softmax:
                Softmax(softmax);
                break;
            case ConcatRecord concat:
                Concat(concat);
                break;
            case ReshapeRecord reshape:
                values[reshape.Output] = Relayout(values[reshape.Input], model.Tensors[reshape.Input].Dims, model.Tensors[reshape.Output].Dims);
                break;
            default:
                throw new NotSupportedException($"no QDQ export for {op.Kind}");
        }
    }

    /// <summary>
    /// The float model input, quantized by the blob's input rules: one for all, or one per feature
    /// (axis 1), after subtracting the real value of each feature's raw offset (a range centred away
    /// from zero), as the device subtracts the raw offset before it scales.
    /// </summary>
    private string QuantizeInput(DeviceTensor input)
    {
        IReadOnlyList<InputRule> rules = model.InputRules;
        string centred = rules.All(r => r.RawOffset == 0)
            ? QdqExporter.InputName
            : Node("Sub", [QdqExporter.InputName, Floats(rules.Select(r => (float)r.RealOffset).ToArray(), rules.Count)]);
        if (rules.Count == 1)
        {
            return Node("QuantizeLinear", [centred, Scalar(rules[0].Scale), Scalar((sbyte)rules[0].ZeroPoint)]);
        }

        if (IsRank4(input.Dims))
        {
            throw new NotSupportedException("per-feature input quantization of an image input: ONNX quantizes per axis, not per element");
        }

        return Node("QuantizeLinear", [centred, Floats(rules.Select(r => r.Scale).ToArray(), rules.Count), Int8s(rules.Select(r => (sbyte)r.ZeroPoint).ToArray(), rules.Count)],
            a => a.Int("axis", 1));
    }

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
        int[] bias = fc.Bias;
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

    private void Convolution(int inputIndex, int outputIndex, DeviceWindow window, int inputZeroPoint, sbyte[] oihw, int group,
        int[] bias, int[] multiplier, int[] shift, int min, int max)
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

    private void MaxPool(Pool2DRecord pool)
    {
        DeviceTensor x = model.Tensors[pool.Input], y = model.Tensors[pool.Output];
        string input = Rank4(Dequantize(values[pool.Input], x.Scale, x.ZeroPoint), x.Dims);
        long[] pads = Pads(x.Dims, y.Dims, pool.Window, out bool crop);
        string result = Node("MaxPool", [input], a => PoolAttributes(a, pool.Window, pads));
        Quantize(Clamp(FromRank4(Crop(result, y.Dims, crop), y.Dims), pool.ActivationMin, pool.ActivationMax, y), pool.Output);
    }

    /// <summary>On the int8 codes, rounding half away from zero as the device does (see <see cref="QdqExporter"/>).</summary>
    private void AveragePool(Pool2DRecord pool)
    {
        DeviceTensor x = model.Tensors[pool.Input], y = model.Tensors[pool.Output];
        int window = pool.Window.FilterHeight * pool.Window.FilterWidth;
        if (window > QdqExporter.MaxAveragePoolWindow)
        {
            throw new NotSupportedException($"{prefix}: an average pool over {window} values; exact rounding is exported up to {QdqExporter.MaxAveragePoolWindow}");
        }

        string codes = Rank4(Cast(values[pool.Input], OnnxFloat), x.Dims);
        long[] pads = Pads(x.Dims, y.Dims, pool.Window, out bool crop);
        string mean = Crop(Node("AveragePool", [codes], a => PoolAttributes(a, pool.Window, pads).Int("count_include_pad", 0)), y.Dims, crop);
        string awayFromZero = Node("Add", [mean, Node("Mul", [Node("Sign", [mean]), Scalar(1f / (4 * window))])]);
        string clamped = pool.ActivationMin == sbyte.MinValue && pool.ActivationMax == sbyte.MaxValue
            ? awayFromZero
            : Node("Clip", [awayFromZero, Scalar((float)pool.ActivationMin), Scalar((float)pool.ActivationMax)]);
        values[pool.Output] = FromRank4(Node("QuantizeLinear", [clamped, Scalar(1f), Scalar((sbyte)0)]), y.Dims);
    }

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

    /// <summary>
    /// Sub, Maximum or Minimum: both inputs as NCHW (a vector as [N, C, 1, 1]) so that ONNX's broadcasting
    /// matches the device's over NHWC dims; Device arithmetic rescales each as Add does, then combines.
    /// </summary>
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

    /// <summary>
    /// A constant pad in both arithmetics: the input dequantized as NCHW, ONNX's Pad with the code's real value,
    /// quantized again in the shared quantization (exact: every value is a code of it).
    /// </summary>
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

    /// <summary>
    /// A permutation of the NHWC axes as ONNX's Transpose of the NCHW value, dequantized and quantized again
    /// in the shared quantization (exact) in both arithmetics.
    /// </summary>
    private void Transpose(TransposeRecord transpose)
    {
        DeviceTensor x = model.Tensors[transpose.Input], y = model.Tensors[transpose.Output];
        int[] nhwcOfNchw = [0, 3, 1, 2], nchwOfNhwc = [0, 2, 3, 1];
        long[] perm = [.. nhwcOfNchw.Select(d => (long)nchwOfNhwc[transpose.Axes[d]])];
        string permuted = Node("Transpose", [Rank4(Dequantize(values[transpose.Input], x.Scale, x.ZeroPoint), x.Dims)], a => a.Ints("perm", perm));
        Quantize(FromRank4(permuted, y.Dims), transpose.Output);
    }

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

    /// <summary>Float QDQ: dequantize both inputs, the float op, clamp, quantize.</summary>
    private void Elementwise(string opType, int input1, int input2, int output, int min, int max)
    {
        DeviceTensor a = model.Tensors[input1], b = model.Tensors[input2], y = model.Tensors[output];
        string left = Relayout(Dequantize(values[input1], a.Scale, a.ZeroPoint), a.Dims, y.Dims);
        string right = Relayout(Dequantize(values[input2], b.Scale, b.ZeroPoint), b.Dims, y.Dims);
        Quantize(Clamp(Node(opType, [left, right]), min, max, y), output);
    }

    /// <summary>q − zeroPoint of a tensor, as int64, laid out as <paramref name="like"/>.</summary>
    private string Centered(int tensor, int like)
    {
        DeviceTensor t = model.Tensors[tensor];
        return Relayout(Node("Sub", [Cast(values[tensor], OnnxInt64), Int64(t.ZeroPoint)]), t.Dims, model.Tensors[like].Dims);
    }

    private void Lookup(LookupRecord lookup)
    {
        var rotated = new sbyte[256];
        for (int i = 0; i < rotated.Length; i++)
        {
            rotated[i] = lookup.Table[(i + 128) & 255];
        }

        string indices = Cast(values[lookup.Input], OnnxInt32);
        string result = Node("Gather", [Int8s(rotated, 256), indices], a => a.Int("axis", 0));
        values[lookup.Output] = Relayout(result, model.Tensors[lookup.Input].Dims, model.Tensors[lookup.Output].Dims);
    }

    private void Softmax(SoftmaxRecord softmax)
    {
        DeviceTensor x = model.Tensors[softmax.Input];
        // InputMultiplier × 2^leftShift / 2^31 = beta × inputScale × 2^(31 − integer bits).
        double beta = softmax.InputMultiplier * Math.Pow(2, softmax.InputLeftShift - 31)
            / (x.Scale * Math.Pow(2, 31 - SoftmaxQuantization.ScaledDiffIntegerBits));
        string input = Dequantize(values[softmax.Input], x.Scale, x.ZeroPoint);
        if (Math.Abs(beta - 1) > 1e-6)
        {
            input = Node("Mul", [input, Scalar((float)beta)]);
        }

        Quantize(Node("Softmax", [input], a => a.Int("axis", 1)), softmax.Output);
    }

    private void Concat(ConcatRecord concat)
    {
        int[] dims = model.Tensors[concat.Output].Dims;
        bool rank4 = IsRank4(dims);
        string[] inputs = concat.Inputs.Select(i => rank4 ? Rank4(values[i], model.Tensors[i].Dims) : values[i]).ToArray();
        long axis = rank4 ? NchwAxisOfNhwcAxis[concat.Axis] : concat.Axis == 0 ? 0 : 1;
        values[concat.Output] = Node("Concat", inputs, a => a.Int("axis", axis));
    }

    // ---- quantization ------------------------------------------------------------------------

    /// <summary>Per output channel, the real value of one accumulator unit: multiplier × 2^shift / 2^31 × outputScale.</summary>
    private static double[] AccumulatorScales(int[] multiplier, int[] shift, float outputScale) =>
        multiplier.Select((m, o) => m * Math.Pow(2, shift[o] - 31) * outputScale).ToArray();

    /// <summary>The largest |q − zeroPoint| of an int8 code.</summary>
    private static int LargestCode(int zeroPoint) => Math.Max(zeroPoint + 128, 127 - zeroPoint);

    /// <summary>clamp(MultiplyByQuantizedMultiplier(acc) + zeroPoint, min, max) on int64 values, as int8: the device's output stage.</summary>
    private string RequantizeAccumulator(string accumulator, int[] multiplier, int[] shift, int[] shape, int zeroPoint, int min, int max)
    {
        string shifted = Node("Add", [MultiplyByQuantizedMultiplier(accumulator, multiplier, shift, shape), Int64(zeroPoint)]);
        return Cast(Node("Clip", [shifted, Int64(min), Int64(max)]), OnnxInt8);
    }

    /// <summary>
    /// x × 2^leftShift × multiplier × 2^shift / 2^31 on int64 values, rounded exactly as the runtime's
    /// MultiplyByQuantizedMultiplier (TFLite's double rounding): the doubling high multiply rounds
    /// p / 2^31 half up (a floor division of p + 2^30; Mod takes the divisor's sign, so n − n mod d is
    /// a multiple of d), then the right shift rounds half away from zero (sign × (|h| + 2^(e−1)) / 2^e).
    /// Per-channel constants have <paramref name="shape"/> (empty: one for all). Every product stays
    /// within int64: |x| · 2^(leftShift + left part of shift) is an int32 on the device.
    /// </summary>
    private string MultiplyByQuantizedMultiplier(string x, int[] multiplier, int[] shift, int[] shape, int leftShift = 0)
    {
        long[] factor = multiplier.Select((m, c) => (long)m << (Math.Max(shift[c], 0) + leftShift)).ToArray();
        long[] divisor = shift.Select(s => 1L << Math.Max(-s, 0)).ToArray();
        string product = Node("Mul", [x, Int64s(factor, shape)]);
        string nudged = Node("Add", [product, Int64(1L << 30)]);
        string high = Node("Div", [Node("Sub", [nudged, Node("Mod", [nudged, Int64(1L << 31)])]), Int64(1L << 31)]);
        string magnitude = Node("Div", [Node("Add", [Node("Abs", [high]), Int64s(divisor.Select(d => d / 2).ToArray(), shape)]), Int64s(divisor, shape)]);
        return Node("Mul", [Node("Sign", [high]), magnitude]);
    }

    private string BiasValue(int[] bias, double[] unit) =>
        Node("DequantizeLinear", [Int32s(bias), Floats(unit.Select(a => (float)a).ToArray(), bias.Length)], a => a.Int("axis", 0));

    private string Dequantize(string value, float scale, int zeroPoint) =>
        Node("DequantizeLinear", [value, Scalar(scale), Scalar((sbyte)zeroPoint)]);

    private void Quantize(string value, int tensor)
    {
        DeviceTensor t = model.Tensors[tensor];
        values[tensor] = Node("QuantizeLinear", [value, Scalar(t.Scale), Scalar((sbyte)t.ZeroPoint)]);
    }

    /// <summary>A fused activation's int8 clamp as a float op before the output's QuantizeLinear (which saturates on its own).</summary>
    private string Clamp(string value, int min, int max, DeviceTensor output)
    {
        if (min == sbyte.MinValue && max == sbyte.MaxValue)
        {
            return value;
        }

        if (min == output.ZeroPoint && max == sbyte.MaxValue)
        {
            return Node("Relu", [value]);
        }

        string Bound(int q, int full) => q == full ? "" : Scalar((q - output.ZeroPoint) * output.Scale);
        return Node("Clip", [value, Bound(min, sbyte.MinValue), Bound(max, sbyte.MaxValue)]);
    }

    // ---- layout ------------------------------------------------------------------------------

    /// <summary>Tensors with more than one pixel are [N, C, H, W] in ONNX; the rest [N, C].</summary>
    private static bool IsRank4(int[] dims) => dims[1] * dims[2] != 1;

    /// <summary>True when the ONNX (NCHW) element order is the device's (NHWC) order.</summary>
    private static bool SameOrder(int[] dims) => !IsRank4(dims) || dims[3] == 1;

    private long Batch(int[] dims) => dynamicBatch ? -1 : dims[0];

    private long[] OnnxShape(int[] dims) => IsRank4(dims) ? [Batch(dims), dims[3], dims[1], dims[2]] : [Batch(dims), dims[3]];

    private Dim[] Declared(int[] dims)
    {
        Dim batch = dynamicBatch ? "N" : dims[0];
        return IsRank4(dims) ? [batch, dims[3], dims[1], dims[2]] : [batch, dims[3]];
    }

    /// <summary>The dims of a fully connected layer's rows: every pixel of every batch is one row of <paramref name="depth"/> values.</summary>
    private static int[] RowDims(int[] dims, int depth) => [dims[0] * dims[1] * dims[2], 1, 1, depth];

    /// <summary>
    /// A value laid out for device dims <paramref name="from"/> re-laid out for <paramref name="to"/>
    /// (same element count), keeping the device's NHWC element order as the device's reshape does.
    /// </summary>
    private string Relayout(string value, int[] from, int[] to)
    {
        if (from.SequenceEqual(to))
        {
            return value;
        }

        string nhwc = SameOrder(from) ? value : Node("Transpose", [value], a => a.Ints("perm", ToNhwc));
        return SameOrder(to)
            ? Reshape(nhwc, OnnxShape(to))
            : Node("Transpose", [Reshape(nhwc, [Batch(to), to[1], to[2], to[3]])], a => a.Ints("perm", ToNchw));
    }

    private string Rank4(string value, int[] dims) => IsRank4(dims) ? value : Reshape(value, [Batch(dims), dims[3], 1, 1]);

    private string FromRank4(string value, int[] dims) => IsRank4(dims) ? value : Reshape(value, OnnxShape(dims));

    private string Reshape(string value, long[] shape) => Node("Reshape", [value, Int64s(shape)]);

    /// <summary>
    /// ONNX pads [top, left, bottom, right] for a device window: the device skips taps past the input's
    /// end, which is zero padding up to the last window it computes. <paramref name="crop"/>: ONNX would
    /// compute more rows or columns than the device does.
    /// </summary>
    private static long[] Pads(int[] input, int[] output, DeviceWindow w, out bool crop)
    {
        int bottom = TrailingPad(input[1], output[1], w.FilterHeight, w.StrideHeight, w.DilationHeight, w.PadTop, out bool cropRows);
        int right = TrailingPad(input[2], output[2], w.FilterWidth, w.StrideWidth, w.DilationWidth, w.PadLeft, out bool cropColumns);
        crop = cropRows || cropColumns;
        return [w.PadTop, w.PadLeft, bottom, right];
    }

    private static int TrailingPad(int input, int output, int filter, int stride, int dilation, int lead, out bool crop)
    {
        int span = (filter - 1) * dilation + 1;
        int trailing = Math.Max(0, (output - 1) * stride + span - input - lead);
        crop = (input + lead + trailing - span) / stride + 1 > output;
        return trailing;
    }

    private string Crop(string value, int[] output, bool crop) =>
        crop ? Node("Slice", [value, Int64s([0, 0]), Int64s([output[1], output[2]]), Int64s([2, 3])]) : value;

    private static OnnxAttributes PoolAttributes(OnnxAttributes a, DeviceWindow w, long[] pads) => a
        .Ints("kernel_shape", w.FilterHeight, w.FilterWidth)
        .Ints("strides", w.StrideHeight, w.StrideWidth)
        .Ints("pads", pads);

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

    // ---- graph building ----------------------------------------------------------------------

    /// <summary>Appends a node with one output, named after the op being exported; returns the output's name.</summary>
    private string Node(string opType, string[] inputs, Action<OnnxAttributes>? attributes = null)
    {
        string name = $"{prefix}/{opType}_{count++}";
        builder.Node(opType, inputs, [name], attributes, name);
        return name;
    }

    private string Constant(string kind, Func<string, OnnxModelBuilder> add)
    {
        string name = $"{prefix}/{kind}_{count++}";
        add(name);
        return name;
    }

    private string Floats(float[] data, params int[] shape) => Constant("float", n => builder.Initializer(n, shape, data));

    private string Int8s(sbyte[] data, params int[] shape) => Constant("int8", n => builder.Initializer(n, shape, data));

    private string Int32s(int[] data) => Constant("int32", n => builder.Initializer(n, [data.Length], data));

    private string Int64s(long[] data) => Constant("int64", n => builder.Initializer(n, [data.Length], data));

    /// <summary>Per-channel int64 constants of the given shape, or one scalar when every channel has the same value.</summary>
    private string Int64s(long[] data, int[] shape) =>
        data.Distinct().Count() == 1 ? Int64(data[0]) : Constant("int64", n => builder.Initializer(n, shape, data));

    private string Int64(long value) => Shared($"int64_{value}", n => builder.Initializer(n, [], [value]));

    private string Cast(string value, int to) => Node("Cast", [value], a => a.Int("to", to));

    private string Scalar(float value) => Shared($"float_{BitConverter.SingleToInt32Bits(value):x8}", n => builder.Initializer(n, [], [value]));

    private string Scalar(sbyte value) => Shared($"zero_point_{value}", n => builder.Initializer(n, [], [value]));

    /// <summary>Scalars (scales, zero points) are shared by every node that uses the same value.</summary>
    private string Shared(string name, Func<string, OnnxModelBuilder> add)
    {
        if (scalars.Add(name))
        {
            add(name);
        }

        return name;
    }
}
