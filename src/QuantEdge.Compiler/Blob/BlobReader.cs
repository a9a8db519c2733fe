using System.Collections.Immutable;
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
            model.AddTensor(new DeviceTensor($"t{t.Index}", [.. t.Dims], t.Scale, t.ZeroPoint));
        }

        // One rule for all elements stays one; one per channel becomes one per feature, as the compiler builds them.
        int ruleCount = contents.InputRules.Count == 1 ? 1 : loaded.InputTensor.ElementsPerBatch;
        for (int i = 0; i < ruleCount; i++)
        {
            BlobInputRule r = contents.InputRules[i % contents.InputRules.Count];
            model.InputRules.Add(new InputRule(r.UnitExponent, r.RawOffset, r.Multiplier, r.Shift, r.ZeroPoint, (float)r.Scale));
        }

        foreach (BlobOp op in contents.Ops)
        {
            model.Ops.Add(new OpRecord(op, blob, contents.Sections.Data, model).Decode());
        }

        // A blob with raw golden values stores only the CRC of their int8 input: the device loader quantizes them.
        var golden = new GoldenVector(contents.GoldenRawInput, loaded.GetGoldenInput(), contents.GoldenOutput);
        return new DeviceModelBlob(model, golden, loaded.ArenaBytes);
    }

    /// <summary>One op record's named words as the field values its <see cref="OpRecordFormat"/> reads the host record from.</summary>
    private sealed class OpRecord(BlobOp op, byte[] blob, int dataAt, DeviceModel model)
    {
        public DeviceOp Decode()
        {
            // Model.Load has rejected every opcode the format does not have.
            OpRecordFormat format = OpRecordFormats.Of(op.OpCode)!;
            var values = new RecordValues { Model = model, Layout = op.Layout };
            int input = 0;
            foreach (RecordField field in format.Fields)
            {
                values.Set(field.Name, field.Kind switch
                {
                    RecordFieldKind.ReadTensor => op.Inputs[input++],
                    RecordFieldKind.WrittenTensor => op.Output,
                    RecordFieldKind.ReadTensors => op.Inputs[input..].ToImmutableArray(),
                    RecordFieldKind.Word => P(field.Name),
                    RecordFieldKind.OptionalWord => op.Parameters.FirstOrDefault(p => p.Name == field.Name)?.Value ?? 0,
                    RecordFieldKind.Int8Data => Int8s(field.Name),
                    RecordFieldKind.Int32Data => Int32s(field.Name),
                    RecordFieldKind.Requantization => Requantization(),
                    RecordFieldKind.Window or RecordFieldKind.PoolWindow => Window(),
                    _ => throw new InvalidOperationException($"field kind {field.Kind}"),
                });
            }

            return format.Read(values);
        }

        private int P(string name) => op.Parameters.Single(p => p.Name == name).Value;

        private ReadOnlySpan<byte> Bytes(string name)
        {
            OpData data = op.Data.Single(d => d.Name == name);
            return blob.AsSpan(dataAt + data.Offset, data.Length);
        }

        private ImmutableArray<sbyte> Int8s(string name) => [.. Bytes(name).ToArray().Select(b => (sbyte)b)];

        /// <summary>An i32 array, stored as narrow as its values allow: one value per output channel.</summary>
        private ImmutableArray<int> Int32s(string name) => [.. NarrowInt32s.Decode(Bytes(name), model.Tensors[op.Output].Dims[3])];

        private Requantization Requantization() => op.Parameters.Any(p => p.Name == "baseMultiplier")
            ? new ScaleGridRequantization(P("baseMultiplier"), P("baseShift"), [.. Bytes("scaleIndex")])
            : Blob.Requantization.Explicit(Int32s("multiplier"), Int32s("shift"));

        /// <summary>The sliding window of a convolution or pool (pools have no dilation words).</summary>
        private DeviceWindow Window()
        {
            int Or1(string name) => op.Parameters.FirstOrDefault(p => p.Name == name)?.Value ?? 1;
            return new DeviceWindow(P("filterH"), P("filterW"), P("strideH"), P("strideW"), Or1("dilationH"), Or1("dilationW"), P("padTop"), P("padLeft"));
        }
    }
}
