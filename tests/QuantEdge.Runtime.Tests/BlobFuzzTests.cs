using QuantEdge.Compiler.Blob;
using Xunit.Abstractions;
using QuantEdge.Runtime.Interpreter;
using QuantEdge.Runtime.Kernels;
using static QuantEdge.Runtime.Tests.BlobTestSupport;

namespace QuantEdge.Runtime.Tests;

/// <summary>
/// Random mutations and truncations of valid blobs: every one must either load and run (Invoke and
/// SelfTest without exceptions) or be rejected with a ModelFormatException — never another
/// exception, never a hang. Most mutations get their checksum (and length field) repaired, so they
/// reach the checks behind the CRC. Each is loaded twice, from the array and through a BlobSource
/// (chunk and read sizes varying), and both must come to the same decision: the same reason code, or
/// models that compute the same outputs.
/// </summary>
public class BlobFuzzTests(ITestOutputHelper output)
{
    private const int Mutations = 120_000;

    private static readonly int[] ChunkSizes = [4, 64, 1024, 4096];

    private static readonly int[] ReadSizes = [1, 3, 64, int.MaxValue];

    public static IEnumerable<byte[]> Seeds()
    {
        yield return TestModels.Blob(TestModels.Mlp(layout: WeightLayout.Int8Rows));
        yield return TestModels.Blob(TestModels.Mlp(features: 5, hidden: 17, classes: 2, layout: WeightLayout.Int64Pairs, scaleGrid: true));
        yield return TestModels.Blob(TestModels.Cnn(WeightLayout.Int8Rows));
        yield return TestModels.Blob(TestModels.Cnn(WeightLayout.Int64Pairs));
        yield return TestModels.Blob(TestModels.EveryOp(WeightLayout.Int8Rows));
        yield return TestModels.Blob(TestModels.EveryOp(WeightLayout.Int64Pairs));
    }

    [Fact]
    public void MutatedBlobsLoadAndRunOrAreRejected()
    {
        byte[][] seeds = Seeds().ToArray();
        var random = new Random(20261127);
        var outcomes = new Dictionary<string, int>();
        var failures = new List<string>();
        for (int i = 0; i < Mutations; i++)
        {
            byte[] seed = seeds[i % seeds.Length];
            (byte[] blob, string how) = Mutate(seed, random);
            int chunk = ChunkSizes[i / seeds.Length % ChunkSizes.Length];
            int read = ReadSizes[i / seeds.Length / ChunkSizes.Length % ReadSizes.Length];
            string outcome = Outcome(() => Model.Load(blob), out string detail);
            string chunked = Outcome(() => ModelLoader.Load(new RecordingSource(blob, read), chunk, true), out string chunkedDetail);
            if ((outcome == "other" || chunked != outcome || chunkedDetail != detail) && failures.Count < 10)
            {
                failures.Add($"mutation {i} ({how}): from the array {outcome} {detail}; through a source (chunk {chunk}, reads of {read}) {chunked} {chunkedDetail}");
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        output.WriteLine("outcomes of " + Mutations + " mutations: " + string.Join(", ", outcomes.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}")));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // The mutations must reach past the checksum, or the test would prove little.
        Assert.True(outcomes.Count >= 6, "outcomes: " + string.Join(", ", outcomes.Select(kv => $"{kv.Key}={kv.Value}")));
    }

    /// <summary>
    /// "loaded" (the detail: whether the model passes its self test and its outputs for its golden input, so
    /// two loads of one blob can be compared), the reason code of a rejection, or "other" (the detail: the
    /// exception).
    /// </summary>
    private static string Outcome(Func<Model> load, out string detail)
    {
        detail = "";
        try
        {
            Model model = load();
            model.Invoke();
            bool selfTest = model.SelfTest();
            model.SetInputs(model.GetGoldenInput());
            model.Invoke();
            var outputs = new sbyte[model.OutputLength];
            model.GetOutputs(outputs);
            detail = $"(self test {selfTest}, outputs {string.Join(",", outputs)})";
            return "loaded";
        }
        catch (ModelFormatException e)
        {
            return e.Reason.ToString();
        }
        catch (Exception e)
        {
            detail = $"{e.GetType().Name}: {e.Message}";
            return "other";
        }
    }

    private static (byte[] Blob, string How) Mutate(byte[] seed, Random random)
    {
        byte[] blob = (byte[])seed.Clone();
        string how;
        switch (random.Next(6))
        {
            case 0:
                int flips = 1 + random.Next(4);
                for (int k = 0; k < flips; k++)
                {
                    blob[random.Next(blob.Length)] ^= (byte)(1 << random.Next(8));
                }

                how = $"{flips} bit flips";
                break;
            case 1:
                int at = random.Next(blob.Length / 4) * 4;
                int value = random.Next(8) switch
                {
                    0 => 0,
                    1 => -1,
                    2 => int.MaxValue,
                    3 => int.MinValue,
                    4 => random.Next(-300, 300),
                    5 => BitConverter.ToInt32(blob, at) + random.Next(-3, 4),
                    6 => 1 << random.Next(31),
                    _ => random.Next(),
                };
                BitConverter.TryWriteBytes(blob.AsSpan(at), value);
                how = $"word at {at} = {value}";
                break;
            case 2:
                int length = random.Next(blob.Length);
                blob = blob[..length];
                how = $"truncated to {length}";
                break;
            case 3:
                int extra = 1 + random.Next(64);
                blob = [.. blob, .. Enumerable.Range(0, extra).Select(_ => (byte)random.Next(256))];
                how = $"{extra} bytes appended";
                break;
            case 4:
                int start = random.Next(blob.Length);
                int count = Math.Min(blob.Length - start, 1 + random.Next(32));
                random.NextBytes(blob.AsSpan(start, count));
                how = $"{count} random bytes at {start}";
                break;
            default:
                int from = random.Next(blob.Length - 8);
                int to = random.Next(blob.Length - 8);
                blob.AsSpan(from, 8).CopyTo(blob.AsSpan(to));
                how = $"8 bytes copied from {from} to {to}";
                break;
        }

        if (random.Next(10) < 8)
        {
            FixCrc(blob);
            how += ", checksum repaired";
        }

        return (blob, how);
    }
}
