using System.Collections.Immutable;
using QuantEdge.Runtime.Format;
using static QuantEdge.Compiler.Blob.RecordFieldKind;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// A constant pad: <see cref="Before"/> holds the pads before the input along N, H, W and C (those after
/// follow from the output's dims); <see cref="Value"/> is the pad's int8 code in the quantization input and
/// output share. The device side of this record is src/QuantEdge.Runtime/Interpreter/PadOp.cs.
/// </summary>
public sealed record PadRecord(int Input, int Output, ImmutableArray<int> Before, int Value) : DeviceOp
{
    private static readonly string[] BeforeWords = ["beforeN", "beforeH", "beforeW", "beforeC"];

    public static OpRecordFormat Format { get; } = new(BlobFormat.OpPad, "Pad",
    [
        new("input", ReadTensor), new("output", WrittenTensor), new("beforeN", Word), new("beforeH", Word), new("beforeW", Word),
        new("beforeC", Word), new("value", Word, "the pad's int8 code"),
    ], v => new PadRecord(v.Int("input"), v.Int("output"), [.. BeforeWords.Select(v.Int)], v.Int("value")));

    public override int OpCode => BlobFormat.OpPad;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override RecordValues Values()
    {
        var values = new RecordValues().Set("input", Input).Set("output", Output).Set("value", Value);
        for (int i = 0; i < BeforeWords.Length; i++)
        {
            values.Set(BeforeWords[i], Before[i]);
        }

        return values;
    }
}
