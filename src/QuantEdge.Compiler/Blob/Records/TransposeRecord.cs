using System.Collections.Immutable;
using QuantEdge.Runtime.Format;
using static QuantEdge.Compiler.Blob.RecordFieldKind;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// A permutation of the NHWC axes: <see cref="Axes"/>[i] is the input axis (0..3 over NHWC) output axis i
/// comes from; input and output share a quantization.
/// The device side of this record is src/QuantEdge.Runtime/Interpreter/TransposeOp.cs.
/// </summary>
public sealed record TransposeRecord(int Input, int Output, ImmutableArray<int> Axes) : DeviceOp
{
    private static readonly string[] AxisWords = ["fromN", "fromH", "fromW", "fromC"];

    public static OpRecordFormat Format { get; } = new(BlobFormat.OpTranspose, "Transpose",
    [
        new("input", ReadTensor), new("output", WrittenTensor), new("fromN", Word, "the input axis, 0..3 over NHWC, output axis N comes from"),
        new("fromH", Word), new("fromW", Word), new("fromC", Word),
    ], v => new TransposeRecord(v.Int("input"), v.Int("output"), [.. AxisWords.Select(v.Int)]));

    public override int OpCode => BlobFormat.OpTranspose;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override RecordValues Values()
    {
        var values = new RecordValues().Set("input", Input).Set("output", Output);
        for (int i = 0; i < AxisWords.Length; i++)
        {
            values.Set(AxisWords[i], Axes[i]);
        }

        return values;
    }
}
