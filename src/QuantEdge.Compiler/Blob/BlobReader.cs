using System.Buffers.Binary;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Compiler.Blob;

/// <summary>A blob read back as the device model it holds, with its golden vector and arena size.</summary>
public sealed record DeviceModelBlob(DeviceModel Model, GoldenVector Golden, int ArenaBytes);

/// <summary>
/// Reads a blob back into the records <see cref="BlobWriter"/> writes, for host tools that need every
/// parameter typed (exporters, per-layer timing). The blob is validated first by the device loader
/// (<see cref="Model.Load(byte[])"/>) and parsed by <see cref="BlobInspector"/>, whose named words this turns
/// into ops. Tensors have no names in a blob; they are called "t0", "t1", ...
/// </summary>
public static class BlobReader
{
    /// <exception cref="ModelFormatException">The blob breaks a rule of the format.</exception>
    public static DeviceModelBlob Read(byte[] blob)
    {
        Model loaded = Model.Load(blob);
        BlobContents contents = BlobInspector.Read(blob);
        var model = new DeviceModel
        {
            Name = contents.ModelName,
            Input = contents.InputTensor,
            Output = contents.OutputTensor,
            FeatureNames = contents.FeatureNames,
            OutputNames = contents.OutputNames,
            Task = contents.Task,
        };
        foreach (BlobTensor t in contents.Tensors)
        {
            model.AddTensor(new DeviceTensor($"t{t.Index}", t.Dims, t.Scale, t.ZeroPoint));
        }

        foreach (BlobInputRule r in contents.InputRules)
        {
            model.InputRules.Add(new InputRule(r.UnitExponent, r.RawOffset, r.Multiplier, r.Shift, r.ZeroPoint, (float)r.Scale));
        }

        foreach (BlobOp op in contents.Ops)
        {
            model.Ops.Add(new OpRecord(op, blob, contents.Sections.Data, model).Decode());
        }

        var golden = new GoldenVector(contents.GoldenRawInput, contents.GoldenInput, contents.GoldenOutput);
        return new DeviceModelBlob(model, golden, loaded.ArenaBytes);
    }

    /// <summary>One op record's named words, decoded into its typed host record.</summary>
    private sealed class OpRecord(BlobOp op, byte[] blob, int dataAt, DeviceModel model)
    {
        public DeviceOp Decode()
        {
            int input = op.Inputs.Length > 0 ? op.Inputs[0] : -1;
            switch (op.OpCode)
            {
                case BlobFormat.OpFullyConnected:
                    return new FullyConnectedOp(input, op.Output, Int8s("weights"), Int32s("bias"), Requantization(), P("outputZeroPoint"),
                        P("activationMin"), P("activationMax"), P("weightZeroPoint"), op.Layout);
                case BlobFormat.OpConv2D:
                    return new Conv2DOp(input, op.Output, Window(), P("inputZeroPoint"), Int8s("weights"), Int32s("bias"), Requantization(),
                        P("outputZeroPoint"), P("activationMin"), P("activationMax"), op.Layout)
                    {
                        WeightZeroPoint = op.Parameters.FirstOrDefault(p => p.Name == "weightZeroPoint")?.Value ?? 0,
                    };
                case BlobFormat.OpDepthwiseConv2D:
                    return new DepthwiseConv2DOp(input, op.Output, Window(), P("inputZeroPoint"), P("depthMultiplier"), Int8s("weights"),
                        Int32s("bias"), Requantization(), P("outputZeroPoint"), P("activationMin"), P("activationMax"));
                case BlobFormat.OpMaxPool2D:
                case BlobFormat.OpAveragePool2D:
                    return new Pool2DOp(input, op.Output, Window(), op.OpCode == BlobFormat.OpAveragePool2D, P("activationMin"), P("activationMax"));
                case BlobFormat.OpGlobalAveragePool:
                    return new GlobalAveragePoolOp(input, op.Output, P("multiplier"), P("shift"), P("activationMin"), P("activationMax"));
                case BlobFormat.OpAdd:
                    return new AddOp(op.Inputs[0], op.Inputs[1], op.Output, Elementwise(new AddParams
                    {
                        LeftShift = P("leftShift"),
                        Input1Multiplier = P("input1Multiplier"),
                        Input1Shift = P("input1Shift"),
                        Input2Multiplier = P("input2Multiplier"),
                        Input2Shift = P("input2Shift"),
                        OutputMultiplier = P("outputMultiplier"),
                        OutputShift = P("outputShift"),
                    }));
                case BlobFormat.OpMul:
                    return new MulOp(op.Inputs[0], op.Inputs[1], op.Output, Elementwise(new MulParams
                    {
                        OutputMultiplier = P("outputMultiplier"),
                        OutputShift = P("outputShift"),
                    }));
                case BlobFormat.OpLookup:
                    return new LookupOp(input, op.Output, Int8s("table"));
                case BlobFormat.OpSoftmax:
                    return new SoftmaxOp(input, op.Output, P("inputMultiplier"), P("inputLeftShift"), P("diffMin"));
                case BlobFormat.OpConcat:
                    return new ConcatOp(op.Inputs, op.Output, P("axis"));
                case BlobFormat.OpReshape:
                    return new ReshapeOp(input, op.Output);
                default:
                    // Model.Load has rejected every other opcode.
                    throw new InvalidOperationException($"opcode {op.OpCode}");
            }
        }

        private int P(string name) => op.Parameters.Single(p => p.Name == name).Value;

        /// <summary>Fills what Add and Mul share: size and zero points from the tensors, the clamp from the words.</summary>
        private T Elementwise<T>(T p) where T : ElementwiseParams
        {
            p.Size = model.Tensors[op.Output].Elements;
            p.Input1ZeroPoint = model.Tensors[op.Inputs[0]].ZeroPoint;
            p.Input2ZeroPoint = model.Tensors[op.Inputs[1]].ZeroPoint;
            p.OutputZeroPoint = model.Tensors[op.Output].ZeroPoint;
            p.ActivationMin = P("activationMin");
            p.ActivationMax = P("activationMax");
            return p;
        }

        private ReadOnlySpan<byte> Bytes(string name)
        {
            OpData data = op.Data.Single(d => d.Name == name);
            return blob.AsSpan(dataAt + data.Offset, data.Length);
        }

        private sbyte[] Int8s(string name) => Bytes(name).ToArray().Select(b => (sbyte)b).ToArray();

        /// <summary>An i32 array, stored as narrow as its values allow: one value per output channel.</summary>
        private int[] Int32s(string name)
        {
            ReadOnlySpan<byte> bytes = Bytes(name);
            int count = model.Tensors[op.Output].Dims[3];
            int width = bytes.Length / count;
            var values = new int[count];
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<byte> v = bytes.Slice(i * width, width);
                values[i] = width switch
                {
                    1 => (sbyte)v[0],
                    2 => BinaryPrimitives.ReadInt16LittleEndian(v),
                    _ => BinaryPrimitives.ReadInt32LittleEndian(v),
                };
            }

            return values;
        }

        private Requantization Requantization() => op.Parameters.Any(p => p.Name == "baseMultiplier")
            ? new ScaleGridRequantization(P("baseMultiplier"), P("baseShift"), Bytes("scaleIndex").ToArray())
            : Blob.Requantization.Explicit(Int32s("multiplier"), Int32s("shift"));

        /// <summary>The sliding window of a convolution or pool (pools have no dilation words).</summary>
        private Window Window()
        {
            int Or1(string name) => op.Parameters.FirstOrDefault(p => p.Name == name)?.Value ?? 1;
            return new Window(P("filterH"), P("filterW"), P("strideH"), P("strideW"), Or1("dilationH"), Or1("dilationW"), P("padTop"), P("padLeft"));
        }
    }
}
