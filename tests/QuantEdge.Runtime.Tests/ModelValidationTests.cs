using System.Collections.Immutable;
using QuantEdge.Runtime.Format;
using static QuantEdge.Runtime.Tests.BlobTestSupport;

namespace QuantEdge.Runtime.Tests;

/// <summary>Each rule of docs/blob-format.md, broken on purpose, gives its reason code.</summary>
public class ModelValidationTests
{
    private static readonly byte[] Valid = TestModels.Blob(TestModels.Mlp());

    private static int Section(int field) => ReadInt32(Valid, field);

    private static int Section(byte[] blob, int field) => ReadInt32(blob, field);

    [Fact]
    public void ValidBlobLoads() => Assert.True(Model.Load(Valid).SelfTest());

    [Fact]
    public void NullOrShort()
    {
        Assert.Equal(ModelError.Truncated, Rejection(null!));
        Assert.Equal(ModelError.Truncated, Rejection(Valid[..63]));
    }

    [Fact]
    public void Magic() => Assert.Equal(ModelError.BadMagic, Rejection(WithInt32(Valid, 0, 0x12345678)));

    [Fact]
    public void Version()
    {
        Assert.Equal(ModelError.UnsupportedVersion, Rejection(WithInt32(Valid, BlobFormat.VersionMajorAt, BlobFormat.VersionMajor - 1)));
        Assert.Equal(ModelError.UnsupportedVersion, Rejection(WithInt32(Valid, BlobFormat.VersionMajorAt, BlobFormat.VersionMajor + 1)));
    }

    [Fact]
    public void TruncatedOrExtended()
    {
        Assert.Equal(ModelError.Truncated, Rejection(Valid[..^4]));
        Assert.Equal(ModelError.BadHeader, Rejection([.. Valid, 0, 0, 0, 0]));
    }

    [Fact]
    public void Checksum()
    {
        byte[] corrupted = (byte[])Valid.Clone();
        corrupted[^1] ^= 0x40;
        Assert.Equal(ModelError.ChecksumMismatch, Rejection(corrupted));
    }

    [Theory]
    [InlineData(BlobFormat.HeaderLengthAt, 60, ModelError.BadHeader)]
    [InlineData(BlobFormat.TensorCountAt, 0, ModelError.TooLarge)]
    [InlineData(BlobFormat.TensorCountAt, 5000, ModelError.TooLarge)]
    [InlineData(BlobFormat.OpCountAt, -1, ModelError.TooLarge)]
    [InlineData(BlobFormat.ArenaBytesAt, 1 << 30, ModelError.TooLarge)]
    [InlineData(BlobFormat.ArenaBytesAt, 17, ModelError.BadTensor)]   // not the peak of the tensors
    [InlineData(BlobFormat.InputTensorAt, 99, ModelError.BadHeader)]
    [InlineData(BlobFormat.OutputTensorAt, 0, ModelError.BadHeader)]  // = the input
    [InlineData(BlobFormat.OpTableAt, 68, ModelError.BadHeader)]
    [InlineData(BlobFormat.DataAt, 2, ModelError.BadHeader)]
    public void HeaderFields(int field, int value, ModelError expected) =>
        Assert.Equal(expected, Rejection(WithInt32(Valid, field, value)));

    [Theory]
    [InlineData(0, 0, ModelError.BadTensor)]          // a dim of 0
    [InlineData(0, 70000, ModelError.BadTensor)]      // a dim above 65535
    [InlineData(16, -1, ModelError.BadTensor)]        // arena offset
    [InlineData(16, 100, ModelError.BadTensor)]
    [InlineData(24, 128, ModelError.BadTensor)]       // zero point
    public void TensorFields(int fieldInEntry, int value, ModelError expected) =>
        Assert.Equal(expected, Rejection(WithInt32(Valid, Section(BlobFormat.TensorTableAt) + fieldInEntry, value)));

    [Fact]
    public void TooManyElements()
    {
        byte[] blob = Valid;
        int t = Section(BlobFormat.TensorTableAt);
        foreach (int field in new[] { 0, 4, 8 })
        {
            blob = WithInt32(blob, t + field, 1000);
        }

        Assert.Equal(ModelError.TooLarge, Rejection(blob));
    }

    [Fact]
    public void UnknownOpcodeAndWordCount()
    {
        int op = Section(BlobFormat.OpTableAt);
        Assert.Equal(ModelError.BadOp, Rejection(WithInt32(Valid, op, 0x00FF)));     // opcode 255, layout 0
        Assert.Equal(ModelError.BadOp, Rejection(WithInt32(Valid, op, 0x0201)));     // layout 2
        Assert.Equal(ModelError.BadOp, Rejection(WithInt32(Valid, op + 4, 13)));     // FC takes 14 words
    }

    /// <summary>
    /// Sub, Maximum and Minimum take inputs whose every NHWC dim is the output's or 1: a per-channel operand
    /// [1, 1, 1, 4] (a global pool of the first) loads and runs; an output whose C the first input neither
    /// equals nor is 1 is refused.
    /// </summary>
    [Theory]
    [InlineData(BlobFormat.OpSub)]
    [InlineData(BlobFormat.OpMaximum)]
    [InlineData(BlobFormat.OpMinimum)]
    public void BroadcastOpsTakeInputsThatBroadcastToTheOutput(int opCode)
    {
        var model = new Compiler.Blob.DeviceModel { Name = "broadcast" };
        int image = model.AddTensor(new Compiler.Blob.DeviceTensor("image", [1, 2, 3, 4], 0.1f, 0));
        int pooled = model.AddTensor(new Compiler.Blob.DeviceTensor("pooled", [1, 1, 1, 4], 0.1f, 0));
        int combined = model.AddTensor(new Compiler.Blob.DeviceTensor("combined", [1, 2, 3, 4], 0.1f, 0));
        int output = model.AddTensor(new Compiler.Blob.DeviceTensor("output", [1, 2, 3, 4], 0.1f, 0));
        model.Input = image;
        model.Output = output;
        var pool = Compiler.Quantization.GlobalAveragePoolQuantization.Create(1, 2, 3, 4, 0.1, 0, 0.1, 0);
        model.Ops.Add(new Compiler.Blob.GlobalAveragePoolRecord(image, pooled, pool.Multiplier, pool.Shift));
        model.Ops.Add(new Compiler.Blob.BroadcastRecord(opCode, image, pooled, combined, Compiler.Quantization.AddQuantization.Create(0, 0.1, 0, 0.1, 0, 0.1, 0)));
        model.Ops.Add(new Compiler.Blob.LookupRecord(combined, output, [.. Compiler.Quantization.LookupTable.Build(x => x, 0.1, 0, 0.1, 0)]));
        model.InputRules.Add(Compiler.Blob.InputRule.For(0.1f, 0, -3));
        byte[] blob = TestModels.Blob(model);
        Assert.True(Model.Load(blob).SelfTest());

        int combinedChannels = Section(blob, BlobFormat.TensorTableAt) + combined * BlobFormat.TensorEntryLength + 12;
        Assert.Equal(4, ReadInt32(blob, combinedChannels));
        Assert.Equal(ModelError.BadOpParameters, Rejection(WithInt32(blob, combinedChannels, 2)));
    }

    /// <summary>
    /// Pad: pads before each dim that fit the output's dims, a value code, and one quantization in and out.
    /// A valid record loads; then its words and its output's quantization broken one at a time.
    /// </summary>
    [Theory]
    [InlineData(-1, 0, null)]
    [InlineData(3, 3, ModelError.BadOpParameters)]      // beforeH 3: 3 + 2 rows > the output's 4
    [InlineData(4, -1, ModelError.BadOpParameters)]     // beforeW −1
    [InlineData(6, 128, ModelError.BadOpParameters)]    // value past int8
    [InlineData(-2, 0, ModelError.BadOpParameters)]     // output zero point differs from the input's
    public void PadRecordWords(int word, int value, ModelError? expected)
    {
        byte[] blob = OneCodeMovingOp("pad", [1, 2, 3, 4], [1, 4, 3, 5], (image, padded) => new Compiler.Blob.PadRecord(image, padded, [0, 1, 0, 1], 9));
        AssertLoadsOrIsRefused(word == -2 ? WithOutputZeroPoint(blob, 1) : WithFirstOpWord(blob, word, value), expected);
    }

    /// <summary>Transpose: a permutation of NHWC whose output dims are its input axes' dims; broken word by word.</summary>
    [Theory]
    [InlineData(-1, 0, null)]
    [InlineData(2, 2, ModelError.BadOpParameters)]      // fromN 2 twice: not a permutation
    [InlineData(5, 4, ModelError.BadOpParameters)]      // an axis past C
    [InlineData(3, 3, ModelError.BadOpParameters)]      // H from C (4 ≠ 3) and C twice
    public void TransposeRecordWords(int word, int value, ModelError? expected)
    {
        byte[] blob = OneCodeMovingOp("transpose", [1, 2, 3, 4], [1, 3, 2, 4], (image, swapped) => new Compiler.Blob.TransposeRecord(image, swapped, [0, 2, 1, 3]));
        AssertLoadsOrIsRefused(WithFirstOpWord(blob, word, value), expected);
    }

    /// <summary>Slice: starts and steps whose first and last elements lie in the input along each axis; broken word by word.</summary>
    [Theory]
    [InlineData(-1, 0, null)]
    [InlineData(3, 2, ModelError.BadOpParameters)]      // startH 2: the second row taken, 3, is past the input's 3 rows
    [InlineData(5, 4, ModelError.BadOpParameters)]      // startC 4: past the input's 4 channels
    [InlineData(7, 2, ModelError.BadOpParameters)]      // stepH 2 from row 1: row 3 is past the input's 3
    [InlineData(9, 0, ModelError.BadOpParameters)]      // stepC 0
    [InlineData(9, -5, ModelError.BadOpParameters)]     // stepC −5: longer than the input's 4 channels
    [InlineData(-2, 0, ModelError.BadOpParameters)]     // output zero point differs from the input's
    public void SliceRecordWords(int word, int value, ModelError? expected)
    {
        byte[] blob = OneCodeMovingOp("slice", [1, 3, 3, 4], [1, 2, 3, 2], (image, sliced) => new Compiler.Blob.SliceRecord(image, sliced, [0, 1, 2, 3], [1, 1, -1, -2]));
        AssertLoadsOrIsRefused(word == -2 ? WithOutputZeroPoint(blob, 1) : WithFirstOpWord(blob, word, value), expected);
    }

    /// <summary>
    /// The blob of a model of one op from tensor 0 (<paramref name="inputDims"/>) to tensor 1 (<paramref name="outputDims"/>),
    /// both quantized alike (scale 0.1, zero point 0), as an op that moves codes needs.
    /// </summary>
    private static byte[] OneCodeMovingOp(string name, ImmutableArray<int> inputDims, ImmutableArray<int> outputDims, Func<int, int, Compiler.Blob.DeviceOp> op)
    {
        var model = new Compiler.Blob.DeviceModel { Name = name };
        int input = model.AddTensor(new Compiler.Blob.DeviceTensor("input", inputDims, 0.1f, 0));
        int output = model.AddTensor(new Compiler.Blob.DeviceTensor("output", outputDims, 0.1f, 0));
        model.Input = input;
        model.Output = output;
        model.Ops.Add(op(input, output));
        model.InputRules.Add(Compiler.Blob.InputRule.For(0.1f, 0, -3));
        return TestModels.Blob(model);
    }

    /// <summary>A copy of a <see cref="OneCodeMovingOp"/> blob whose output tensor (tensor 1) has another zero point.</summary>
    private static byte[] WithOutputZeroPoint(byte[] blob, int zeroPoint) =>
        WithInt32(blob, Section(blob, BlobFormat.TensorTableAt) + 1 * BlobFormat.TensorEntryLength + 24, zeroPoint);

    /// <summary>The blob with word <paramref name="word"/> of its first op record set to <paramref name="value"/>; a negative word leaves it as it is.</summary>
    private static byte[] WithFirstOpWord(byte[] blob, int word, int value) =>
        word < 0 ? blob : WithInt32(blob, Section(blob, BlobFormat.OpTableAt) + BlobFormat.OpRecordHeaderLength + 4 * word, value);

    /// <summary>A blob that loads and passes its self-test (<paramref name="expected"/> null), or is refused for that reason.</summary>
    private static void AssertLoadsOrIsRefused(byte[] blob, ModelError? expected)
    {
        if (expected is null)
        {
            Assert.True(Model.Load(blob).SelfTest());
        }
        else
        {
            Assert.Equal(expected.Value, Rejection(blob));
        }
    }

    /// <summary>
    /// The decoder refuses an opcode it does not know by itself, whatever its caller checked: no opcode
    /// falls through to another op's decoder (Reshape's used to take every unlisted one).
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(99)]
    [InlineData(255)]
    public void DecoderRefusesUnknownOpcodes(int opCode)
    {
        Assert.Equal(-1, Interpreter.OpDecoder.WordCount(opCode, 2));
        var e = Assert.Throws<ModelFormatException>(() => Interpreter.OpDecoder.Decode(null!, opCode, [0, 1], Runtime.Kernels.WeightLayout.Int8Rows));
        Assert.Equal(ModelError.BadOp, e.Reason);
        Assert.Contains($"unknown opcode {opCode}", e.Message);
    }

    [Theory]
    [InlineData(0, 9, ModelError.BadOpParameters)]      // input tensor index out of range
    [InlineData(0, 2, ModelError.BadOpParameters)]      // reads a tensor nothing has written yet
    [InlineData(1, 0, ModelError.BadOpParameters)]      // writes the model input
    [InlineData(2, 1, ModelError.BadDataReference)]     // misaligned weights
    [InlineData(2, 1 << 20, ModelError.BadDataReference)]
    [InlineData(3, 62, ModelError.BadDataReference)]    // wrong weights length (7·9 = 63)
    [InlineData(10, 200, ModelError.BadOpParameters)]   // output zero point
    [InlineData(11, 50, ModelError.BadOpParameters)]    // activation min above max (max is 127 … fine); then:
    [InlineData(12, -129, ModelError.BadOpParameters)]  // activation max out of range
    public void FullyConnectedWords(int word, int value, ModelError expected)
    {
        int firstWord = Section(BlobFormat.OpTableAt) + 8;
        byte[] blob = WithInt32(Valid, firstWord + 4 * word, value);
        if (word == 11)
        {
            blob = WithInt32(blob, firstWord + 4 * 12, 40);  // min 50 > max 40
        }

        Assert.Equal(expected, Rejection(blob));
    }

    [Fact]
    public void RequantizationShiftOutOfRange()
    {
        int firstWord = Section(BlobFormat.OpTableAt) + 8;
        int shiftRef = ReadInt32(Valid, firstWord + 4 * 8);
        int at = Section(BlobFormat.DataAt) + shiftRef;
        Assert.Equal(ModelError.BadOpParameters, Rejection(WithInt32(Valid, at, 31)));
    }

    [Fact]
    public void InputRulesMetadataAndGolden()
    {
        Assert.Equal(ModelError.BadMetadata, Rejection(WithInt32(Valid, Section(BlobFormat.InputQuantAt), 5)));
        Assert.Equal(ModelError.BadMetadata, Rejection(WithInt32(Valid, Section(BlobFormat.MetadataAt), 300)));
        Assert.Equal(ModelError.BadGoldenVector, Rejection(WithInt32(Valid, Section(BlobFormat.GoldenAt), 2)));
        // The golden raw values' width: 1, 2 or 4 bytes (the MLP's fit in 2).
        Assert.Equal(2, ReadInt32(Valid, Section(BlobFormat.GoldenAt) + 4));
        foreach (int width in new[] { 0, 3, 8 })
        {
            Assert.Equal(ModelError.BadGoldenVector, Rejection(WithInt32(Valid, Section(BlobFormat.GoldenAt) + 4, width)));
        }

        byte[] nonAscii = (byte[])Valid.Clone();
        nonAscii[Section(BlobFormat.MetadataAt) + 4] = 0xC3;
        Assert.Equal(ModelError.BadMetadata, Rejection(FixCrc(nonAscii)));
    }
}
