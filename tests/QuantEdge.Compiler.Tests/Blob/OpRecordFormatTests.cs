using System.Collections.Immutable;
using QuantEdge.Compiler.Blob;
using QuantEdge.Compiler.Graph;
using QuantEdge.Compiler.Onnx;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Compiler.Tests.Quantization;
using QuantEdge.Runtime;
using QuantEdge.Runtime.Kernels;
using QuantEdge.Runtime.Tests;

namespace QuantEdge.Compiler.Tests.Blob;

/// <summary>
/// The op record formats (src/QuantEdge.Compiler/Blob/Records) are the one description of every op
/// record: the writer, the inspector, the reader and docs/blob-format.md's op table follow them, and
/// the device's hand-written decoders must read what they describe.
/// </summary>
public class OpRecordFormatTests
{
    private const string Document = "docs/blob-format.md";
    private const string TableStart = "<!-- op-table: generated from OpRecordFormats; QUANTEDGE_UPDATE_DOCS=1 dotnet test rewrites it -->\n";
    private const string TableEnd = "<!-- /op-table -->\n";

    /// <summary>Models that hold every opcode, each record kind's variants (both weight layouts, both requantization forms, Conv2D's optional word) included.</summary>
    private static IEnumerable<DeviceModel> Samples()
    {
        foreach (WeightLayout layout in new[] { WeightLayout.Int8Rows, WeightLayout.Int64Pairs })
        {
            yield return TestModels.EveryOp(layout);
            yield return TestModels.Cnn(layout);
            yield return TestModels.Mlp(layout: layout, scaleGrid: true);
        }

        // Sub, Maximum and Minimum (and lookups, global pools, reshapes) as the quantizer lowers the newer ONNX operators.
        ModelGraph newer = OnnxImporter.Load(TestOnnxModels.NewerOps());
        yield return Quantizer.Quantize(newer, QuantizerTests.Rows(newer, 40, 1), new QuantizeOptions { Task = ModelTask.Regression }).Device;

        DeviceModel asymmetric = TestModels.EveryOp();
        asymmetric.Ops[0] = ((Conv2DRecord)asymmetric.Ops[0]) with { WeightZeroPoint = -3 };
        yield return asymmetric;
    }

    [Fact]
    public void TheSamplesHoldEveryOpcode()
    {
        var written = Samples().SelectMany(m => m.Ops).Select(op => op.OpCode).ToHashSet();
        Assert.Equal(OpRecordFormats.All.Select(f => f.OpCode).Order(), written.Order());
        Assert.Equal(OpRecordFormats.All.Select(f => f.OpCode).Distinct().Count(), OpRecordFormats.All.Count);
    }

    /// <summary>
    /// Every opcode: the host writer's words are accepted by the device's decoder, which reads the same
    /// tensors, layout and weights; the inspector names as many words as were written; and the reader
    /// rebuilds a record the writer writes to the same words and data, byte for byte.
    /// </summary>
    [Fact]
    public void EveryOpcodeRoundTripsThroughWriterDeviceDecoderAndInspector()
    {
        foreach (DeviceModel model in Samples())
        {
            byte[] blob = TestModels.Blob(model);
            Model device = Model.Load(blob);
            BlobContents contents = BlobInspector.Read(blob);
            DeviceModel read = BlobReader.Read(blob).Model;
            Assert.Equal(model.Ops.Count, device.OpCount);
            for (int i = 0; i < model.Ops.Count; i++)
            {
                DeviceOp op = model.Ops[i];
                OpRecordFormat format = OpRecordFormats.Of(op.OpCode)!;
                var decoded = device.GetOp(i);
                string where = $"{model.Name} op {i} ({format.Name})";
                Assert.True(op.OpCode == decoded.OpCode, where);
                Assert.True(op.InputTensors.SequenceEqual(decoded.Inputs), $"{where}: the device reads other tensors");
                Assert.True(op.OutputTensor == decoded.Output, $"{where}: the device writes another tensor");
                Assert.True(op.Layout == decoded.Layout, $"{where}: layout");
                if (op is FullyConnectedRecord or Conv2DRecord or DepthwiseConv2DRecord && op.Layout == WeightLayout.Int8Rows)
                {
                    Assert.True(WeightsOf(op).Length == decoded.WeightBytes, $"{where}: the device read other weights");
                }

                BlobOp named = contents.Ops[i];
                Assert.Equal(format.Name, named.Name);
                Assert.Equal(Words(op).Words.Count, named.Inputs.Length + 1 + named.Parameters.Count + 2 * named.Data.Count);
                Assert.DoesNotContain(named.Parameters, p => p.Name.StartsWith("word", StringComparison.Ordinal));

                var (words, data) = Words(read.Ops[i]);
                Assert.Equal(Words(op).Words, words);
                Assert.Equal(Words(op).Data, data);
                Assert.Equal(op.Flags, read.Ops[i].Flags);
                Assert.Equal(op.Layout, read.Ops[i].Layout);
            }
        }
    }

    [Fact]
    public void TheDocumentsOpTableIsGeneratedFromTheFormats()
    {
        string path = Path.Combine(RepositoryRoot(), Document);
        string text = File.ReadAllText(path).ReplaceLineEndings("\n");
        int start = text.IndexOf(TableStart, StringComparison.Ordinal);
        int end = text.IndexOf(TableEnd, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{Document} has no op-table markers");
        string expected = OpRecordFormats.DocumentTable();
        string actual = text[(start + TableStart.Length)..end];
        if (actual != expected && Environment.GetEnvironmentVariable("QUANTEDGE_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, text[..(start + TableStart.Length)] + expected + text[end..]);
            return;
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void TheTableListsEveryFieldAndTheWordCounts()
    {
        string table = OpRecordFormats.DocumentTable();
        Assert.Contains("| 1 | FullyConnected | input, output, weights ref (O·K bytes, int8, row per output), bias ref (O i32), multiplier ref (O i32), shift ref (O i32), outputZeroPoint, activationMin, activationMax, weightZeroPoint | 14 |", table);
        Assert.Contains("| Conv2D |", table);
        Assert.Contains("optionally weightZeroPoint (absent = 0) | 22 or 23 |", table);
        Assert.Contains("| 11 | Concat | output, axis (0..3 over NHWC), inputCount n (2..16), then n input indices | 3 + n |", table);
    }

    [Fact]
    public void NarrowInt32sTakeTheNarrowestWidthAndReadBack()
    {
        foreach ((int[] values, int width) in new[] { (new[] { -128, 0, 127 }, 1), (new[] { -129, 5 }, 2), (new[] { 32767, -32768 }, 2), (new[] { 1 << 20, -1 }, 4), (new[] { int.MinValue, int.MaxValue }, 4) })
        {
            byte[] bytes = NarrowInt32s.Encode(values);
            Assert.Equal(values.Length * width, bytes.Length);
            Assert.Equal(values, NarrowInt32s.Decode(bytes, values.Length));
        }
    }

    private static ImmutableArray<sbyte> WeightsOf(DeviceOp op) => op switch
    {
        FullyConnectedRecord fc => fc.Weights,
        Conv2DRecord conv => conv.Weights,
        DepthwiseConv2DRecord depthwise => depthwise.Weights,
        _ => [],
    };

    private static (List<int> Words, byte[] Data) Words(DeviceOp op)
    {
        var data = new DataSection();
        List<int> words = OpRecordWriter.Words(op, data);
        return (words, data.ToArray());
    }

    private static string RepositoryRoot()
    {
        for (string? folder = AppContext.BaseDirectory; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, "QuantEdge.sln")))
            {
                return folder;
            }
        }

        throw new InvalidOperationException($"no QuantEdge.sln above {AppContext.BaseDirectory}");
    }
}
