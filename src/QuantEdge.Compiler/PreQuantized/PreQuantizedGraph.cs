using Onnx;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Compiler.Quantization.Lowering;
using DataType = Onnx.TensorProto.Types.DataType;

namespace QuantEdge.Compiler.PreQuantized;

/// <summary>
/// Converts one quantized ONNX graph into a <see cref="DeviceModel"/>. This file holds the values
/// and the graph-level work (constants, the input, the output); PreQuantizedGraph.Dispatch.cs hands each node
/// to its op's import (src/QuantEdge.Compiler/Ops/) and holds what those share.
/// </summary>
internal sealed partial class PreQuantizedGraph
{
    private readonly GraphProto graph;
    private readonly int opset;
    private readonly PreQuantizedOptions options;
    private readonly Dictionary<string, Value> values = new(StringComparer.Ordinal);
    private readonly DeviceModel device = new();
    private readonly List<RequantizationReport> reports = [];
    private string inputName = "";
    private ValueKind inputKind;
    private int[] inputShape = [];

    public PreQuantizedGraph(GraphProto graph, int opset, PreQuantizedOptions options)
    {
        this.graph = graph;
        this.opset = opset;
        this.options = options;
    }

    /// <summary>What a name stands for while the graph is converted.</summary>
    private abstract record Value;

    /// <summary>A float graph input, until the QuantizeLinear that reads it gives the device's input rules.</summary>
    private sealed record FloatInput(string Name, int[] Shape) : Value;

    /// <summary>
    /// An int8 device tensor: ONNX shape, which ONNX element each device (NHWC) element holds, its
    /// quantization on the device (zero point already − 128 for uint8), and whether ONNX sees it as uint8.
    /// <paramref name="PerChannelInput"/>: the model input quantized per channel by its input rules, which no op can read as one tensor.
    /// </summary>
    private sealed record Quantized(int Tensor, int[] Shape, int[] Order, QuantParams Params, bool Unsigned, bool PerChannelInput = false) : Value;

    /// <summary>DequantizeLinear of a device tensor: its float view, read by a QDQ float op or the graph output.</summary>
    private sealed record Dequantized(Quantized Source) : Value;

    /// <summary>The int32 result of MatMulInteger/ConvInteger: the last layer's accumulators.</summary>
    private sealed record Accumulators(int Tensor, int[] Shape, int[] Order) : Value;

    /// <summary>A float op on dequantized values (QDQ), lowered once the QuantizeLinear after it fixes the output quantization.</summary>
    private sealed record Pending(Func<OutputSpec, Quantized> Lower) : Value;

    /// <summary>An initializer or Constant node output, with its ONNX element type.</summary>
    private sealed record Constant(OnnxConstant Tensor, DataType Type) : Value
    {
        public bool Unsigned => Type == DataType.Uint8;
    }

    /// <summary>DequantizeLinear of a constant: integer values with their scales and zero points (one each, or one per index of <paramref name="Axis"/>).</summary>
    private sealed record DequantizedConstant(Constant Source, float[] Scales, long[] ZeroPoints, int Axis) : Value;

    /// <summary>The quantization an op's output gets and the clamp of a fused ReLU.</summary>
    private readonly record struct OutputSpec(QuantParams Params, bool Unsigned, int Min, int Max);

    public PreQuantizedModel Import()
    {
        foreach (TensorProto initializer in graph.Initializer)
        {
            values[initializer.Name] = new Constant(OnnxTensors.Read(initializer, null, $"Initializer '{initializer.Name}'"), (DataType)initializer.DataType);
        }

        ReadInput();
        for (int i = 0; i < graph.Node.Count; i++)
        {
            var context = new OnnxNodeContext(graph.Node[i], i);
            try
            {
                Convert(context);
                context.RejectUnreadAttributes();
            }
            catch (Exception e) when (e is not OnnxImportException)
            {
                throw context.Error($"malformed node ({e.GetType().Name}: {e.Message}).", e);
            }
        }

        return Finish();
    }

    private void ReadInput()
    {
        var inputs = graph.Input.Where(i => !values.ContainsKey(i.Name)).ToList();
        if (inputs.Count != 1 || graph.Output.Count != 1)
        {
            throw new OnnxImportException($"the device runs models with one input and one output; this one has {inputs.Count} inputs and {graph.Output.Count} outputs.");
        }

        ValueInfoProto input = inputs[0];
        inputName = input.Name;
        TypeProto.Types.Tensor type = input.Type?.TensorType ?? throw new OnnxImportException($"Graph input '{input.Name}' is not a tensor.");
        inputShape = type.Shape?.Dim.Select((d, axis) => d.HasDimValue && d.DimValue > 0 ? (int)d.DimValue
            : axis == 0 ? 1 : throw new OnnxImportException($"Graph input '{input.Name}': dimension {axis} is open; only the batch may be.")).ToArray()
            ?? throw new OnnxImportException($"Graph input '{input.Name}' has no shape.");
        switch ((DataType)type.ElemType)
        {
            case DataType.Float:
                inputKind = ValueKind.Float;
                values[inputName] = new FloatInput(inputName, inputShape);
                break;
            case DataType.Uint8:
            case DataType.Int8:
                inputKind = (DataType)type.ElemType == DataType.Uint8 ? ValueKind.UInt8 : ValueKind.Int8;
                QuantParams q = InputQuantization(inputKind == ValueKind.UInt8);
                int tensor = device.AddTensor(new DeviceTensor(inputName, [.. DevicePlan.DeviceDims(inputShape)], q.Scale, q.ZeroPoint));
                device.Input = tensor;
                device.InputRules.Add(InputRule.For(q.Scale, q.ZeroPoint, 0));
                values[inputName] = new Quantized(tensor, inputShape, DevicePlan.NaturalOrder(inputShape), q, inputKind == ValueKind.UInt8);
                break;
            default:
                throw new OnnxImportException($"Graph input '{input.Name}' has element type {(DataType)type.ElemType}; a quantized model takes float32, uint8 or int8.");
        }
    }

    /// <summary>
    /// The quantization of an already-quantized graph input: the scale and zero point its first
    /// reader declares for it (the integer operators declare only a zero point; their scale is 1).
    /// </summary>
    private QuantParams InputQuantization(bool unsigned)
    {
        foreach (NodeProto node in graph.Node)
        {
            int slot = node.Input.IndexOf(inputName);
            if (slot < 0)
            {
                continue;
            }

            var c = new OnnxNodeContext(node, graph.Node.IndexOf(node));
            (int scaleSlot, int zeroPointSlot) = (node.OpType, slot) switch
            {
                ("DequantizeLinear" or "QLinearConv" or "QLinearMatMul", 0) => (1, 2),
                ("MatMulInteger" or "ConvInteger", 0) => (-1, 2),
                _ => throw c.Error($"reads the quantized graph input '{inputName}' as input {slot}; only DequantizeLinear and the QLinear/integer operators can."),
            };
            float scale = scaleSlot < 0 ? 1f : PerTensor(FloatValues(c, scaleSlot, "scale"), c, "scale");
            long zeroPoint = c.InputName(zeroPointSlot) is null ? 0 : PerTensor(IntegerValues(c, zeroPointSlot, "zero point").Values, c, "zero point");
            return new QuantParams(scale, DeviceZeroPoint(c, zeroPoint, unsigned));
        }

        throw new OnnxImportException($"Graph input '{inputName}' is not read by any node.");
    }

    private PreQuantizedModel Finish()
    {
        ValueInfoProto output = graph.Output[0];
        Value value = values.GetValueOrDefault(output.Name) ?? throw new OnnxImportException($"Graph output '{output.Name}' is not produced by any node.");
        (int tensor, int[] shape, int[] order, ValueKind kind) = value switch
        {
            Dequantized d => (Usable(d.Source, output.Name).Tensor, d.Source.Shape, d.Source.Order, ValueKind.Float),
            Quantized q => (q.Tensor, q.Shape, q.Order, q.Unsigned ? ValueKind.UInt8 : ValueKind.Int8),
            Accumulators a => (a.Tensor, a.Shape, a.Order, ValueKind.Int32),
            _ => throw new OnnxImportException($"Graph output '{output.Name}' is {Describe(value)}; it must be quantized, dequantized (DequantizeLinear) or integer accumulators."),
        };

        if (kind == ValueKind.Int32 && device.Ops[^1].OutputTensor != tensor)
        {
            throw new OnnxImportException($"Graph output '{output.Name}' holds int32 accumulators, which the device gives only for its last layer.");
        }

        if (tensor == device.Input)
        {
            // The device's output must be written by an op: copy the input.
            DeviceTensor source = device.Tensors[tensor];
            int copy = device.AddTensor(source with { Name = output.Name });
            device.Ops.Add(new ReshapeRecord(tensor, copy));
            tensor = copy;
        }

        device.Output = tensor;
        device.Name = options.ModelName ?? "";
        var golden = new sbyte[device.Tensors[device.Input].Elements];
        byte[] blob = BlobWriter.WriteWithGolden(device, input: golden);
        return new PreQuantizedModel(device, blob, inputName, inputShape, inputKind, DevicePlan.NaturalOrder(inputShape),
            output.Name, shape, kind, order, reports);
    }

    private static string Describe(Value value) => value switch
    {
        FloatInput => "a float graph input",
        Pending => "a float result not followed by QuantizeLinear",
        Constant or DequantizedConstant => "a constant",
        _ => value.GetType().Name,
    };

    /// <summary>A device tensor an op reads as one tensor (not the model input quantized per channel).</summary>
    private static Quantized Usable(Quantized q, string reader) => q.PerChannelInput
        ? throw new OnnxImportException($"'{reader}' reads the model input quantized per channel; the device's tensors carry one scale and zero point (per-channel quantization exists for the input rules and weights only).")
        : q;

    /// <summary>The zero point as the device holds it: uint8 codes are shifted by −128.</summary>
    private static int DeviceZeroPoint(OnnxNodeContext c, long zeroPoint, bool unsigned)
    {
        long shifted = unsigned ? zeroPoint - 128 : zeroPoint;
        return shifted is >= -128 and <= 127 ? (int)shifted : throw c.Error($"zero point {zeroPoint} is outside the {(unsigned ? "uint8" : "int8")} range.");
    }

    private static T PerTensor<T>(T[] values, OnnxNodeContext c, string what) => values.Length == 1
        ? values[0]
        : throw c.Error($"{what} has {values.Length} values; only per-tensor quantization (one value) is supported here.");

    private Value ValueOf(OnnxNodeContext c, int slot)
    {
        string name = c.InputName(slot) ?? throw c.Error($"input {slot} is missing.");
        return values.GetValueOrDefault(name) ?? throw c.Error($"input {slot} ('{name}') is not a graph input, initializer or output of an earlier node.");
    }

    private Constant ConstantOf(OnnxNodeContext c, int slot, string what) => ValueOf(c, slot) as Constant
        ?? throw c.Error($"input {slot} ({what}) must be a constant (initializer or Constant node).");

    private float[] FloatValues(OnnxNodeContext c, int slot, string what) => ConstantOf(c, slot, what).Tensor.Floats
        ?? throw c.Error($"input {slot} ({what}) must be floating-point.");

    private (long[] Values, DataType Type) IntegerValues(OnnxNodeContext c, int slot, string what)
    {
        Constant constant = ConstantOf(c, slot, what);
        return (constant.Tensor.Integers ?? throw c.Error($"input {slot} ({what}) must be an integer tensor."), constant.Type);
    }

    /// <summary>The zero points of a scale/zero point pair (absent: 0 of the type), and whether that type is uint8.</summary>
    private (long[] ZeroPoints, bool Unsigned) ZeroPoints(OnnxNodeContext c, int slot, DataType defaultType)
    {
        if (c.InputName(slot) is null)
        {
            return ([0], defaultType == DataType.Uint8);
        }

        (long[] zeroPoints, DataType type) = IntegerValues(c, slot, "zero point");
        return (zeroPoints, type == DataType.Uint8);
    }

    private Quantized QuantizedInput(OnnxNodeContext c, int slot) => ValueOf(c, slot) switch
    {
        Quantized q => Usable(q, c.Description),
        var other => throw c.Error($"input {slot} is {Describe(other)}; a quantized tensor is expected."),
    };

    /// <summary>
    /// An activation's declared scale and zero point must be the ones its tensor has (the integer
    /// operators declare no scale: <paramref name="scaleSlot"/> −1).
    /// </summary>
    private void RequireQuantization(OnnxNodeContext c, Quantized x, int scaleSlot, int zeroPointSlot)
    {
        float scale = scaleSlot < 0 ? x.Params.Scale : PerTensor(FloatValues(c, scaleSlot, "scale"), c, "scale");
        (long[] zeroPoints, bool unsigned) = ZeroPoints(c, zeroPointSlot, x.Unsigned ? DataType.Uint8 : DataType.Int8);
        var declared = new QuantParams(scale, DeviceZeroPoint(c, PerTensor(zeroPoints, c, "zero point"), unsigned));
        if (unsigned != x.Unsigned || !SameQuantization(declared, x.Params))
        {
            throw c.Error($"declares its input quantized with scale {declared.Scale:R}, zero point {declared.ZeroPoint}; the tensor has scale {x.Params.Scale:R}, zero point {x.Params.ZeroPoint} (device zero points; requantizing between the two is not supported).");
        }
    }

    private static bool SameQuantization(QuantParams a, QuantParams b) =>
        BitConverter.SingleToInt32Bits(a.Scale) == BitConverter.SingleToInt32Bits(b.Scale) && a.ZeroPoint == b.ZeroPoint;
}
