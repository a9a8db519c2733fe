using System.Collections.Immutable;
using QuantEdge.Runtime.Format;
using static QuantEdge.Compiler.Blob.RecordFieldKind;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// A strided slice of the NHWC axes: along each axis the output takes its dim's count of input elements from
/// <see cref="Starts"/>[axis] on, <see cref="Steps"/>[axis] apart (negative: backwards); input and output share a
/// quantization. The device side of this record is src/QuantEdge.Runtime/Interpreter/SliceOp.cs.
/// </summary>
public sealed record SliceRecord(int Input, int Output, ImmutableArray<int> Starts, ImmutableArray<int> Steps) : DeviceOp
{
    private static readonly string[] StartWords = ["startN", "startH", "startW", "startC"];
    private static readonly string[] StepWords = ["stepN", "stepH", "stepW", "stepC"];

    public static OpRecordFormat Format { get; } = new(BlobFormat.OpSlice, "Slice",
    [
        new("input", ReadTensor), new("output", WrittenTensor), new("startN", Word, "the first input index taken along N"),
        new("startH", Word), new("startW", Word), new("startC", Word),
        new("stepN", Word, "input indices from one taken along N to the next: not 0, at most the input's dim either way"),
        new("stepH", Word), new("stepW", Word), new("stepC", Word),
    ], v => new SliceRecord(v.Int("input"), v.Int("output"), [.. StartWords.Select(v.Int)], [.. StepWords.Select(v.Int)]));

    public override int OpCode => BlobFormat.OpSlice;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override RecordValues Values()
    {
        var values = new RecordValues().Set("input", Input).Set("output", Output);
        for (int i = 0; i < StartWords.Length; i++)
        {
            values.Set(StartWords[i], Starts[i]).Set(StepWords[i], Steps[i]);
        }

        return values;
    }
}
