using QuantEdge.Runtime.Format;
using QuantEdge.Runtime.Interpreter;
using QuantEdge.Runtime.Kernels;
using Xunit.Abstractions;
using static QuantEdge.Runtime.Tests.BlobTestSupport;

namespace QuantEdge.Runtime.Tests;

/// <summary>
/// Model.Load(BlobSource): the same model as Model.Load(byte[]) whatever the chunk and read sizes; a source
/// that ends early, throws, miscounts or changes its bytes is rejected cleanly; and loading holds the
/// sections before the data section plus one chunk, never the blob.
/// </summary>
public class BlobSourceTests(ITestOutputHelper output)
{
    /// <summary>The loader's chunk sizes tried (multiples of 4); <see cref="Whole"/> stands for one chunk covering the blob.</summary>
    private static readonly int[] ChunkSizes = [4, 64, BlobSource.ChunkBytes, 4096, Whole];

    /// <summary>The most a source returns per read: 1 and 3 split every multi-byte value across reads.</summary>
    private static readonly int[] ReadSizes = [1, 3, 64, 4096, int.MaxValue];

    private const int Whole = int.MaxValue;

    private static readonly Dictionary<string, byte[]> Blobs = new()
    {
        ["mlp"] = TestModels.Blob(TestModels.Mlp()),
        ["mlp-pairs-grid"] = TestModels.Blob(TestModels.Mlp(features: 5, hidden: 17, classes: 2, layout: WeightLayout.Int64Pairs, scaleGrid: true)),
        ["cnn-rows"] = TestModels.Blob(TestModels.Cnn(WeightLayout.Int8Rows)),
        ["cnn-pairs"] = TestModels.Blob(TestModels.Cnn(WeightLayout.Int64Pairs)),
        ["every-op-rows"] = TestModels.Blob(TestModels.EveryOp(WeightLayout.Int8Rows)),
        ["every-op-pairs"] = TestModels.Blob(TestModels.EveryOp(WeightLayout.Int64Pairs)),
    };

    public static TheoryData<string> ModelNames => new(Blobs.Keys);

    /// <summary>Loads through the loader with a given chunk size (<see cref="Whole"/>: the blob's length rounded up to 4).</summary>
    private static Model Load(BlobSource source, int chunk) =>
        chunk == BlobSource.ChunkBytes ? Model.Load(source) : ModelLoader.Load(source, chunk == Whole ? (source.Length + 3) & ~3 : chunk, true);

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void EveryChunkAndReadSizeLoadsTheSameModel(string name)
    {
        byte[] blob = Blobs[name];
        List<string> expected = Describe(Model.Load(blob));
        foreach (int chunk in ChunkSizes)
        {
            foreach (int read in ReadSizes)
            {
                var source = new RecordingSource(blob, read);
                List<string> actual = Describe(Load(source, chunk));
                AssertSame(expected, actual, $"{name}, chunk {chunk}, reads of at most {read}");
                Assert.InRange(source.LargestRequest, 1, Math.Min(chunk, blob.Length));
            }
        }
    }

    [Fact]
    public void ByteArrayBlobSourceServesWhatIsThere()
    {
        byte[] blob = [1, 2, 3, 4, 5];
        var source = new ByteArrayBlobSource(blob);
        byte[] buffer = new byte[8];
        Assert.Equal(5, source.Length);
        Assert.Equal(3, source.Read(1, buffer, 2, 3));
        Assert.Equal(new byte[] { 0, 0, 2, 3, 4, 0, 0, 0 }, buffer);
        Assert.Equal(2, source.Read(3, buffer, 0, 8));   // only two left
        Assert.Equal(0, source.Read(5, buffer, 0, 1));   // none at the end
        Assert.Throws<ArgumentNullException>(() => new ByteArrayBlobSource(null!));
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => Model.Load((BlobSource)null!));
        foreach (int chunk in new[] { -4, 0, 3, 6, 1022 })
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => ModelLoader.Load(new ByteArrayBlobSource(Blobs["mlp"]), chunk, true));
        }
    }

    /// <summary>A source that has fewer bytes than it says, at any position, ends in Truncated.</summary>
    [Fact]
    public void ASourceEndingEarlyIsTruncated()
    {
        byte[] blob = Blobs["every-op-pairs"];
        for (int end = 0; end < blob.Length; end++)
        {
            var source = new RecordingSource(blob, maxRead: 64) { EndsAt = end };
            Assert.Equal(ModelError.Truncated, Assert.Throws<ModelFormatException>(() => Load(source, 64)).Reason);
        }

        Assert.Equal(ModelError.Truncated, Rejection(new RecordingSource(blob[..63])));
    }

    /// <summary>
    /// A source's length is a claim: one that claims more or less than the header gets the byte[] path's
    /// answer, and one whose header and length both claim 2 GB is Truncated where its bytes end, after
    /// holding no more than for the bytes it really had.
    /// </summary>
    [Fact]
    public void ASourceClaimingAnotherLengthIsRejected()
    {
        byte[] blob = Blobs["mlp"];
        Assert.Equal(ModelError.BadHeader, Rejection(new RecordingSource(blob) { ClaimedLength = blob.Length + 8 }));
        Assert.Equal(ModelError.Truncated, Rejection(new RecordingSource(blob) { ClaimedLength = blob.Length - 4 }));
        Assert.Equal(ModelError.Truncated, Rejection(new RecordingSource(blob) { ClaimedLength = 10 }));

        byte[] claimsTwoGigabytes = WithInt32(blob, BlobFormat.BlobLengthAt, int.MaxValue, fixCrc: false);
        var source = new RecordingSource(claimsTwoGigabytes) { ClaimedLength = int.MaxValue };
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(ModelError.Truncated, Rejection(source));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 16 * 1024);
    }

    [Fact]
    public void AnExceptionFromTheSourceReachesTheCallerUnchanged()
    {
        byte[] blob = Blobs["cnn-pairs"];
        var counting = new RecordingSource(blob);
        Load(counting, 64);
        for (int read = 0; read < counting.Reads; read++)
        {
            var failure = new IOException("the flash said no at read " + read);
            int failAt = read;
            var source = new RecordingSource(blob) { BeforeRead = (r, _, _) => { if (r == failAt) throw failure; } };
            Assert.Same(failure, Assert.Throws<IOException>(() => Load(source, 64)));
        }
    }

    [Fact]
    public void ASourceReturningMoreThanAskedOrANegativeCountIsRefused()
    {
        byte[] blob = Blobs["mlp"];
        foreach (int extra in new[] { 1, -1000 })
        {
            var source = new MiscountingSource(blob, extra);
            Assert.Throws<InvalidOperationException>(() => Model.Load(source));
        }
    }

    /// <summary>
    /// The file is replaced by another valid model of the same length between the checksum pass and the
    /// load pass (an update written while the device loads): the load pass's checks catch it.
    /// </summary>
    [Fact]
    public void ABlobReplacedBetweenThePassesIsRejected()
    {
        byte[] a = TestModels.Blob(TestModels.Mlp(seed: 1)), b = TestModels.Blob(TestModels.Mlp(seed: 2));
        Assert.Equal(a.Length, b.Length);
        var source = new RecordingSource(a, maxRead: 64);
        int last = -1;
        source.BeforeRead = (_, position, _) =>
        {
            if (position < last)
            {
                source.Inner = new ByteArrayBlobSource(b);   // the load pass has begun: it reads from 64 again
            }

            last = position;
        };
        var e = Assert.Throws<ModelFormatException>(() => Load(source, 64));
        Assert.Equal(ModelError.ChecksumMismatch, e.Reason);
        Assert.Contains("changed while it was read", e.Message);
    }

    /// <summary>
    /// Swapped to another model before any read: whatever the loader gets is one whole model or a
    /// rejection, never a mix of the two.
    /// </summary>
    [Fact]
    public void ABlobReplacedAtAnyReadGivesOneModelOrARejection()
    {
        byte[] a = TestModels.Blob(TestModels.Mlp(seed: 1)), b = TestModels.Blob(TestModels.Mlp(seed: 2));
        List<string> modelA = Describe(Model.Load(a)), modelB = Describe(Model.Load(b));
        var counting = new RecordingSource(a);
        Load(counting, 64);
        int rejected = 0;
        for (int read = 0; read < counting.Reads; read++)
        {
            int swapAt = read;
            var source = new RecordingSource(a);
            source.BeforeRead = (r, _, _) => { if (r == swapAt) source.Inner = new ByteArrayBlobSource(b); };
            try
            {
                List<string> loaded = Describe(Load(source, 64));
                Assert.True(loaded.SequenceEqual(modelA) || loaded.SequenceEqual(modelB), $"swapped at read {read}: a model that is neither");
            }
            catch (ModelFormatException e)
            {
                Assert.Equal(ModelError.ChecksumMismatch, e.Reason);
                rejected++;
            }
        }

        output.WriteLine($"{rejected} of {counting.Reads} swap points rejected");
        Assert.True(rejected > 0);
    }

    /// <summary>
    /// Every read after the first 16 bytes, in both passes, is covered by a check: a bit flipped in the
    /// source just before any read (a re-read of a chunk included) rejects the blob.
    /// </summary>
    [Theory]
    [MemberData(nameof(ModelNames))]
    public void ABitFlippedBeforeAnyReadIsCaught(string name)
    {
        byte[] blob = Blobs[name];
        var counting = new RecordingSource(blob);
        Load(counting, 64);
        for (int read = 1; read < counting.Reads; read++)
        {
            byte[] copy = (byte[])blob.Clone();
            int flipAt = read;
            var source = new RecordingSource(copy)
            {
                BeforeRead = (r, position, _) => { if (r == flipAt) copy[position] ^= 0x10; },
            };
            Assert.Equal(ModelError.ChecksumMismatch, Assert.Throws<ModelFormatException>(() => Load(source, 64)).Reason);
        }
    }

    /// <summary>
    /// The memory claim, on a model whose 264,704 bytes of weights dwarf the rest. Model.Load(byte[]) allocates
    /// the model (the blob is the caller's, held throughout); Model.Load(source) may allocate only a bounded
    /// extra on top: the sections before the data section (one array), one chunk buffer, the 64-byte header
    /// and the CRC registers kept per chunk. The loader never asks the source to fill more than those
    /// buffers, nor more than a chunk at a time. Had it held the blob, or any array the size of the data
    /// section, the extra would exceed the bound by a factor of twenty.
    /// </summary>
    [Fact]
    public void LoadingFromASourceHoldsTheSmallSectionsAndOneChunkNotTheBlob()
    {
        byte[] blob = TestModels.Blob(TestModels.Large());
        int dataOffset = ReadInt32(blob, BlobFormat.DataAt);
        Model.Load(blob);
        Model.Load(new RecordingSource(blob));   // JIT and type loading out of the way

        long before = GC.GetAllocatedBytesForCurrentThread();
        Model fromArray = Model.Load(blob);
        long arrayPath = GC.GetAllocatedBytesForCurrentThread() - before;

        var source = new RecordingSource(blob);
        before = GC.GetAllocatedBytesForCurrentThread();
        Model fromSource = Model.Load(source);
        long sourcePath = GC.GetAllocatedBytesForCurrentThread() - before;

        const int chunk = BlobSource.ChunkBytes;
        int registers = (blob.Length - dataOffset + chunk - 1) / chunk + 1;
        long bound = dataOffset        // the sections before the data section
            + chunk                    // the chunk buffer
            + BlobFormat.HeaderLength  // the header, read before the sections' extent is known
            + 16L * registers          // the register table grows by doubling: under 4 entries of 4 bytes allocated per register kept
            + 1024;                    // headers of those arrays and of the loader's reader object
        output.WriteLine($"blob {blob.Length} B (data section from {dataOffset}); model: weights {fromArray.WeightBytes} B, arena {fromArray.ArenaBytes} B");
        output.WriteLine($"allocated by Model.Load(byte[]): {arrayPath} B, plus the caller's blob: {arrayPath + blob.Length} B held at the end of the load");
        output.WriteLine($"allocated by Model.Load(source): {sourcePath} B ({sourcePath - arrayPath} B more, bound {bound} B); " +
            $"{source.Reads} reads, {source.BytesServed} B read, largest request {source.LargestRequest} B, largest buffer {source.LargestBuffer} B");

        Assert.True(arrayPath >= fromArray.WeightBytes + fromArray.ArenaBytes, "the measurement sees the model");
        Assert.InRange(sourcePath - arrayPath, 0, bound);
        Assert.True(bound * 20 < blob.Length, "the bound is small against the blob");
        Assert.Equal(chunk, source.LargestRequest);
        Assert.Equal(Math.Max(dataOffset, chunk), source.LargestBuffer);   // the sections before the data (one array), or the chunk buffer
        AssertSame(Describe(fromArray), Describe(fromSource), "large model");
    }

    /// <summary>Everything a model shows: sizes, ops, tensors, input rules, names, golden vector, and every tensor and accumulator after runs on random inputs.</summary>
    internal static List<string> Describe(Model m, int trials = 6)
    {
        var lines = new List<string>
        {
            $"name {m.Name}, inputs {m.InputLength}, outputs {m.OutputLength}, arena {m.ArenaBytes}, weights {m.WeightBytes}, " +
            $"macs {m.Macs}, ops {m.OpCount}, tensors {m.TensorCount}, rules {m.InputRuleCount}, accumulators {m.OutputAccumulatorCount}",
            "golden raw input " + Join(m.GetGoldenRawInput()),
            "golden input " + Join(m.GetGoldenInput()),
            "golden output " + Join(m.GetGoldenOutput()),
            "self test " + m.SelfTest(),
        };
        for (int i = 0; i < m.OpCount; i++)
        {
            Op op = m.GetOp(i);
            lines.Add($"op {i}: {op.OpCode} {Join(op.Inputs)} -> {op.Output}, macs {op.Macs}, weights {op.WeightBytes} {op.Layout}");
        }

        for (int t = 0; t < m.TensorCount; t++)
        {
            TensorInfo x = m.GetTensor(t);
            lines.Add($"tensor {t}: {x.N}x{x.H}x{x.W}x{x.C} at {x.ArenaOffset}, scale {x.ScaleBits}, zero point {x.ZeroPoint}");
        }

        for (int i = 0; i < m.InputLength; i++)
        {
            lines.Add($"input {i}: unit {m.GetInputUnitExponent(i)}, offset {m.GetInputRawOffset(i)}, zero point {m.GetInputZeroPoint(i)}, name {m.GetFeatureName(i)}");
        }

        lines.Add("labels " + string.Join(",", Enumerable.Range(0, m.OutputLength + 1).Select(m.GetClassLabel)));
        var random = new Random(7);
        for (int trial = 0; trial < trials; trial++)
        {
            sbyte[] input = Enumerable.Range(0, m.InputLength).Select(_ => (sbyte)random.Next(-128, 128)).ToArray();
            int[] raw = Enumerable.Range(0, m.InputLength).Select(_ => random.Next(-100_000, 100_000)).ToArray();
            if (m.OutputAccumulatorCount > 0)
            {
                int[] accumulators = new int[m.OutputAccumulatorCount];
                m.SetInputs(input);
                m.InvokeAccumulators(accumulators);
                lines.Add($"trial {trial} accumulators " + Join(accumulators));
            }

            if (trial % 2 == 0)
            {
                m.SetInputs(input);
            }
            else
            {
                m.SetRawInputs(raw);
            }

            m.Invoke();
            for (int t = 0; t < m.TensorCount; t++)
            {
                var values = new sbyte[m.GetTensor(t).Elements];
                m.ReadTensor(t, values);
                lines.Add($"trial {trial} tensor {t} " + Join(values));
            }
        }

        return lines;
    }

    internal static void AssertSame(List<string> expected, List<string> actual, string what)
    {
        int differs = Enumerable.Range(0, Math.Min(expected.Count, actual.Count)).FirstOrDefault(i => expected[i] != actual[i], -1);
        Assert.True(differs < 0 && expected.Count == actual.Count,
            differs < 0 ? $"{what}: {actual.Count} lines, expected {expected.Count}" : $"{what}: expected\n  {expected[differs]}\nbut got\n  {actual[differs]}");
    }

    private static string Join<T>(IEnumerable<T>? values) => values == null ? "none" : string.Join(",", values);

    private static ModelError Rejection(BlobSource source) => Assert.Throws<ModelFormatException>(() => Model.Load(source)).Reason;

    /// <summary>Copies what is asked but reports <c>count + error</c> bytes: a broken adapter.</summary>
    private sealed class MiscountingSource(byte[] blob, int error) : BlobSource
    {
        public override int Length => blob.Length;

        public override int Read(int position, byte[] buffer, int offset, int count)
        {
            int copied = new ByteArrayBlobSource(blob).Read(position, buffer, offset, count);
            return copied + error;
        }
    }
}
