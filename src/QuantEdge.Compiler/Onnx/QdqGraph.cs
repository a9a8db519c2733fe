using System.Text.Json;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Ops;
using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Onnx;

/// <summary>Builds the graph of one export; see <see cref="QdqExporter"/> for the design.</summary>
internal sealed partial class QdqGraph
{
    /// <summary>Each host op record type's export: a <c>[ForOp(typeof(RecordType))]</c> method in the op's file, <c>Ops/&lt;Op&gt;.cs</c>.</summary>
    private static readonly OpParts<Type> Exports = new(typeof(QdqGraph));

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

    /// <summary>The op record's export: a <c>[ForOp(typeof(RecordType))]</c> method in the op's file, <c>Ops/&lt;Op&gt;.cs</c>.</summary>
    private void Export(DeviceOp op)
    {
        if (!Exports.TryRunFor(this, op, [op], out _))
        {
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

    // ---- quantization ------------------------------------------------------------------------

    /// <summary>Per output channel, the real value of one accumulator unit: multiplier × 2^shift / 2^31 × outputScale.</summary>
    private static double[] AccumulatorScales(IReadOnlyList<int> multiplier, IReadOnlyList<int> shift, float outputScale) =>
        multiplier.Select((m, o) => m * Math.Pow(2, shift[o] - 31) * outputScale).ToArray();

    /// <summary>The largest |q − zeroPoint| of an int8 code.</summary>
    private static int LargestCode(int zeroPoint) => Math.Max(zeroPoint + 128, 127 - zeroPoint);

    /// <summary>clamp(MultiplyByQuantizedMultiplier(acc) + zeroPoint, min, max) on int64 values, as int8: the device's output stage.</summary>
    private string RequantizeAccumulator(string accumulator, IReadOnlyList<int> multiplier, IReadOnlyList<int> shift, int[] shape, int zeroPoint, int min, int max)
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
    private string MultiplyByQuantizedMultiplier(string x, IReadOnlyList<int> multiplier, IReadOnlyList<int> shift, int[] shape, int leftShift = 0)
    {
        long[] factor = multiplier.Select((m, c) => (long)m << (Math.Max(shift[c], 0) + leftShift)).ToArray();
        long[] divisor = shift.Select(s => 1L << Math.Max(-s, 0)).ToArray();
        string product = Node("Mul", [x, Int64s(factor, shape)]);
        string nudged = Node("Add", [product, Int64(1L << 30)]);
        string high = Node("Div", [Node("Sub", [nudged, Node("Mod", [nudged, Int64(1L << 31)])]), Int64(1L << 31)]);
        string magnitude = Node("Div", [Node("Add", [Node("Abs", [high]), Int64s(divisor.Select(d => d / 2).ToArray(), shape)]), Int64s(divisor, shape)]);
        return Node("Mul", [Node("Sign", [high]), magnitude]);
    }

    private string BiasValue(IReadOnlyList<int> bias, double[] unit) =>
        Node("DequantizeLinear", [Int32s(bias), Floats(unit.Select(a => (float)a).ToArray(), bias.Count)], a => a.Int("axis", 0));

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
    private static bool IsRank4(IReadOnlyList<int> dims) => dims[1] * dims[2] != 1;

    /// <summary>True when the ONNX (NCHW) element order is the device's (NHWC) order.</summary>
    private static bool SameOrder(IReadOnlyList<int> dims) => !IsRank4(dims) || dims[3] == 1;

    private long Batch(IReadOnlyList<int> dims) => dynamicBatch ? -1 : dims[0];

    private long[] OnnxShape(IReadOnlyList<int> dims) => IsRank4(dims) ? [Batch(dims), dims[3], dims[1], dims[2]] : [Batch(dims), dims[3]];

    private Dim[] Declared(IReadOnlyList<int> dims)
    {
        Dim batch = dynamicBatch ? "N" : dims[0];
        return IsRank4(dims) ? [batch, dims[3], dims[1], dims[2]] : [batch, dims[3]];
    }

    /// <summary>The dims of a fully connected layer's rows: every pixel of every batch is one row of <paramref name="depth"/> values.</summary>
    private static int[] RowDims(IReadOnlyList<int> dims, int depth) => [dims[0] * dims[1] * dims[2], 1, 1, depth];

    /// <summary>
    /// A value laid out for device dims <paramref name="from"/> re-laid out for <paramref name="to"/>
    /// (same element count), keeping the device's NHWC element order as the device's reshape does.
    /// </summary>
    private string Relayout(string value, IReadOnlyList<int> from, IReadOnlyList<int> to)
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

    private string Rank4(string value, IReadOnlyList<int> dims) => IsRank4(dims) ? value : Reshape(value, [Batch(dims), dims[3], 1, 1]);

    private string FromRank4(string value, IReadOnlyList<int> dims) => IsRank4(dims) ? value : Reshape(value, OnnxShape(dims));

    private string Reshape(string value, long[] shape) => Node("Reshape", [value, Int64s(shape)]);

    /// <summary>
    /// ONNX pads [top, left, bottom, right] for a device window: the device skips taps past the input's
    /// end, which is zero padding up to the last window it computes. <paramref name="crop"/>: ONNX would
    /// compute more rows or columns than the device does.
    /// </summary>
    private static long[] Pads(IReadOnlyList<int> input, IReadOnlyList<int> output, DeviceWindow w, out bool crop)
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

    private string Crop(string value, IReadOnlyList<int> output, bool crop) =>
        crop ? Node("Slice", [value, Int64s([0, 0]), Int64s([output[1], output[2]]), Int64s([2, 3])]) : value;

    private static OnnxAttributes PoolAttributes(OnnxAttributes a, DeviceWindow w, long[] pads) => a
        .Ints("kernel_shape", w.FilterHeight, w.FilterWidth)
        .Ints("strides", w.StrideHeight, w.StrideWidth)
        .Ints("pads", pads);

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

    private string Int8s(IReadOnlyList<sbyte> data, params int[] shape) => Constant("int8", n => builder.Initializer(n, shape, [.. data]));

    private string Int32s(IReadOnlyList<int> data) => Constant("int32", n => builder.Initializer(n, [data.Count], [.. data]));

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
