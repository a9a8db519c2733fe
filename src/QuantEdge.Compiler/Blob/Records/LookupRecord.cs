using System.Collections.Immutable;
using QuantEdge.Runtime.Format;
using static QuantEdge.Compiler.Blob.RecordFieldKind;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// Any unary function as a 256-entry table: out = Table[x + 128].
/// The device side of this record is src/QuantEdge.Runtime/Interpreter/LookupOp.cs.
/// </summary>
public sealed record LookupRecord(int Input, int Output, ImmutableArray<sbyte> Table) : DeviceOp
{
    public static OpRecordFormat Format { get; } = new(BlobFormat.OpLookup, "Lookup",
        [new("input", ReadTensor), new("output", WrittenTensor), new("table", Int8Data, "256 bytes: out = table[x + 128]")],
        v => new LookupRecord(v.Int("input"), v.Int("output"), v.Int8s("table")));

    public override int OpCode => BlobFormat.OpLookup;

    public override bool CanRunInPlace => true;

    public override IReadOnlyList<int> InputTensors => [Input];

    public override int OutputTensor => Output;

    internal override RecordValues Values() => Table.Length == 256
        ? new RecordValues().Set("input", Input).Set("output", Output).Set("table", Table)
        : throw new ArgumentException("a lookup table has 256 entries");
}
