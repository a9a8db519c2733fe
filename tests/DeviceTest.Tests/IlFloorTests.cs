using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using QuantEdge.DeviceTest.Bench;
using QuantEdge.Runtime.Kernels;

namespace QuantEdge.DeviceTest.Tests;

public class IlFloorTests
{
    /// <summary>A kernel with a MAC loop (and a copy loop beside it, which is not its work) and an elementwise kernel.</summary>
    private const string Runtime = """
        namespace QuantEdge.Runtime.Kernels
        {
            public static class Dot
            {
                public static int Row(sbyte[] r, int k0, int k1, sbyte[] x, int xShift, int zeroPoint, int acc, sbyte[] copy)
                {
                    for (int k = k0; k < k1; k++) { copy[k] = x[k]; }
                    for (int k = k0; k < k1; k++) { acc += (x[k + xShift] - zeroPoint) * r[k]; }
                    return acc;
                }
            }

            public static class Lookup
            {
                public static void Eval(sbyte[] table, sbyte[] arena, int n)
                {
                    for (int i = 0; i < n; i++) { arena[i] = table[arena[i] + 128]; }
                }
            }
        }
        """;

    /// <summary>A naive loop over the whole of two arrays (the benchmark's also offsets the weights: two IL more).</summary>
    private const string Bench = """
        namespace QuantEdge.DeviceBench
        {
            internal sealed class NaiveLoop
            {
                public static int Sink;

                public void Run()
                {
                    sbyte[] x = new sbyte[4], w = new sbyte[4];
                    int acc = 0;
                    for (int i = 0; i < 4; i++) { acc += x[i] * w[i]; }
                    Sink = acc;
                }
            }
        }
        """;

    [Fact]
    public void TheFloorIsTheInnerLoopsIlPerUnitOverTheNaiveLoopsPerMac()
    {
        string folder = Directory.CreateTempSubdirectory("ilfloor-").FullName;
        try
        {
            IlFloor floor = IlFloor.Count(Compile(folder, "Runtime", Runtime), Compile(folder, "Bench", Bench), new Dictionary<string, byte[]>());

            // acc += x[i] * w[i] (10 IL), i++ (4), i < 4 (3).
            Assert.Equal(17.0, floor.NaiveIlPerMac);
            // Row's MAC loop, 21 IL per MAC; its copy loop, 13 IL per element stored, is not counted per MAC. Lookup: 17 IL per element stored.
            Assert.Equal(21.0, floor.IlPerUnit("Dot::Row", "MAC"));
            Assert.Equal(13.0, floor.IlPerUnit("Dot::Row", "element"));
            Assert.Equal(17.0, floor.IlPerUnit("Lookup::Eval", "element"));
            Timing lookup = new("kernel", "Lookup 4096", "element", 4096, 1, 1);
            Assert.Equal("inner loop `Lookup::Eval`: 17.00 IL/element ÷ naive 17.00 IL/MAC = IL floor 1.00, above the target: the inner loop itself; " +
                "0.10 outside it", floor.Explain(lookup, 1.1, 0.57));
            // A workload whose loops are not counted (no Dot::Rows16 here) or not known gets no explanation rather than a wrong one.
            Assert.Null(floor.Explain(new Timing("kernel", "FullyConnected 256-64 Int8Rows", "MAC", 16384, 1, 1), 0.6, 0.5));
            Assert.Null(floor.Explain(new Timing("kernel", "Softmax 256 rows of 16", "element", 4096, 1, 1), 7, 3));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void PassesFollowTheKernelsWidestFirst()
    {
        // 42 Int8Rows channels: two passes of 16, one of 8, then two single rows; 11 Int64Pairs channels: one pass of 8, a pair, a lone channel.
        Assert.Equal(new List<(string, double)> { ("Dot::Rows16", 32 / 42.0), ("Dot::Rows8", 8 / 42.0), ("Dot::Row", 2 / 42.0) },
            IlFloor.Passes(WeightLayout.Int8Rows, 42, 1.0));
        Assert.Equal(new List<(string, double)> { ("Dot::Pairs4", 0.5 * 8 / 11), ("Dot::Pair", 0.5 * 3 / 11) },
            IlFloor.Passes(WeightLayout.Int64Pairs, 11, 0.5));
        Assert.Null(IlFloor.Passes(WeightLayout.Streamed, 8, 1.0));
    }

    [Fact]
    public void AModelsFloorWeighsItsLayersLoopsByTheirMacsAndCountsWhatElseItDoes()
    {
        // The demo MLP: FullyConnected 19 → 32 and 32 → 16 (608 + 512 MACs, passes of 16 channels), 16 → 7 (112 MACs: pairs), all Int64Pairs.
        byte[] blob = File.ReadAllBytes(Path.Combine(Repository.Root(AppContext.BaseDirectory), "tests", "QuantEdge.DeviceTests", "Resources", "DemoMlp.qem"));
        var costs = new Dictionary<string, double> { [IlFloor.Key("Dot::Pairs8", "MAC")] = 5.0, [IlFloor.Key("Dot::Pair", "MAC")] = 11.0 };
        IlFloor floor = new(costs, 19.0, new Dictionary<string, byte[]> { ["DemoMlp"] = blob });

        // 1120/1232 × 5 + 112/1232 × 11 = 5.545 IL per MAC, / 19 = 0.292; 32 + 16 + 7 = 55 outputs, 1232 / 55 = 22.4 MACs each.
        Assert.Equal("inner loops `Dot::Pairs8` 91 %, `Dot::Pair` 9 %: 5.55 IL/MAC ÷ naive 19.00 IL/MAC = IL floor 0.29; 0.31 outside them " +
            "(3 ops; 55 outputs requantized, one per 22 MACs)", floor.Explain(new Timing("model", "DemoMlp", "MAC", 1232, 1, 1), 0.6, 0.4));
        Assert.Equal("inner loops `Dot::Pairs8` 91 %, `Dot::Pair` 9 %: 5.55 IL/MAC ÷ naive 19.00 IL/MAC = IL floor 0.29, above the target: " +
            "the inner loops themselves; measured below it (cheaper instructions than the naive loop's)",
            floor.Explain(new Timing("model", "DemoMlp", "MAC", 1232, 1, 1), 0.25, 0.2));
    }

    /// <summary>Compiles as the device assemblies are built (Release), so that the loops' IL is the one counted on them.</summary>
    private static string Compile(string folder, string name, string source)
    {
        CSharpCompilation compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(source)],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        string path = Path.Combine(folder, name + ".dll");
        var result = compilation.Emit(path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return path;
    }
}
