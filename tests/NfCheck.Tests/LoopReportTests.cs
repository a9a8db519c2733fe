using static QuantEdge.NfCheck.Tests.Nano;

namespace QuantEdge.NfCheck.Tests;

public class LoopReportTests
{
    /// <summary>The two inner loops of Kernels/Dot.cs as they stand, and a variant with the weight loaded first.</summary>
    private const string Dot = """
        namespace QuantEdge.Runtime.Kernels
        {
            public static class Dot
            {
                public static void Pairs4(long[] w0, long[] w1, long[] w2, long[] w3, int k0, int k1,
                    sbyte[] x, int xShift, int zeroPoint, ref long acc0, ref long acc1, ref long acc2, ref long acc3)
                {
                    long a0 = acc0, a1 = acc1, a2 = acc2, a3 = acc3;
                    for (int k = k0; k < k1; k++)
                    {
                        long v = x[k + xShift] - zeroPoint;
                        a0 += v * w0[k];
                        a1 += v * w1[k];
                        a2 += v * w2[k];
                        a3 += v * w3[k];
                    }

                    acc0 = a0;
                    acc1 = a1;
                    acc2 = a2;
                    acc3 = a3;
                }

                public static void Rows4(sbyte[] r0, sbyte[] r1, sbyte[] r2, sbyte[] r3, int k0, int k1,
                    sbyte[] x, int xShift, int zeroPoint, ref int acc0, ref int acc1, ref int acc2, ref int acc3)
                {
                    int a0 = acc0, a1 = acc1, a2 = acc2, a3 = acc3;
                    for (int k = k0; k < k1; k++)
                    {
                        int v = x[k + xShift] - zeroPoint;
                        a0 += v * r0[k];
                        a1 += v * r1[k];
                        a2 += v * r2[k];
                        a3 += v * r3[k];
                    }

                    acc0 = a0;
                    acc1 = a1;
                    acc2 = a2;
                    acc3 = a3;
                }

                public static long PairWeightFirst(long[] w, int n, sbyte[] x)
                {
                    long acc = 0;
                    for (int k = 0; k < n; k++)
                    {
                        acc += w[k] * x[k];
                    }

                    return acc;
                }
            }
        }
        """;

    private static List<LoopCost> Loops(string source)
    {
        (byte[] image, byte[] pdb) = Compile(source);
        using ModuleImage module = ModuleImage.FromBytes(image, pdb);
        return LoopReport.KernelLoops(module);
    }

    [Fact]
    public void Int64PairsLoopCostsSixIlPerMac()
    {
        // Hand count of the Release IL, per iteration:
        //   v = x[k + xShift] - zeroPoint   ldarg x, ldloc k, ldarg xShift, add, ldelem.i1, ldarg zeroPoint, sub, conv.i8, stloc v   9
        //   a0 += v * w0[k]  (x4)           ldloc a0, ldloc v, ldarg w0, ldloc k, ldelem.i8, mul, add, stloc a0                  32
        //   k++                             ldloc k, ldc.i4.1, add, stloc k                                                        4
        //   k < k1                          ldloc k, ldarg k1, blt.s                                                               3
        // = 48 IL; four muls fed by ldelem.i8 = 8 MACs.
        LoopCost loop = Assert.Single(Loops(Dot), l => l.Method == "QuantEdge.Runtime.Kernels.Dot::Pairs4");

        Assert.Equal((48, 8, 6.0), (loop.Instructions, loop.Macs, loop.IlPerMac!.Value));
        Assert.Equal("Snippet.cs:9", loop.Source);
    }

    [Fact]
    public void Int8RowsLoopCostsTwelveIlPerMac()
    {
        // As Pairs4 without the conv.i8 (int arithmetic): 8 + 32 + 4 + 3 = 47 IL; four plain muls.
        LoopCost loop = Assert.Single(Loops(Dot), l => l.Method == "QuantEdge.Runtime.Kernels.Dot::Rows4");

        Assert.Equal((47, 4, 11.75), (loop.Instructions, loop.Macs, loop.IlPerMac!.Value));
    }

    [Fact]
    public void PackedWeightCountsTwiceWhicheverOperandItIs()
    {
        // acc += w[k] * x[k]: ldloc acc, ldarg w, ldloc k, ldelem.i8, ldarg x, ldloc k, ldelem.i1, conv.i8, mul, add, stloc acc;
        // k++ (4); k < n (3) = 18 IL.
        LoopCost loop = Assert.Single(Loops(Dot), l => l.Method == "QuantEdge.Runtime.Kernels.Dot::PairWeightFirst");

        Assert.Equal((18, 2), (loop.Instructions, loop.Macs));
    }

    [Fact]
    public void OnlyInnermostLoopsAreReported()
    {
        List<LoopCost> loops = Loops("""
            namespace QuantEdge.Runtime.Kernels
            {
                public static class Conv
                {
                    public static int Eval(sbyte[] x, sbyte[] w, int rows, int depth)
                    {
                        int acc = 0;
                        for (int r = 0; r < rows; r++)
                        {
                            for (int k = 0; k < depth; k++) { acc += x[r * depth + k] * w[k]; }
                        }

                        return acc;
                    }
                }
            }
            """);

        // acc += x[r * depth + k] * w[k]: one MAC; the index multiply r * depth reads no array, so it does not count.
        LoopCost loop = Assert.Single(loops);
        Assert.Equal((1, "Snippet.cs:10"), (loop.Macs, loop.Source));
    }

    [Fact]
    public void ListingDisassemblesTheLoopAndMarksTheMacs()
    {
        (byte[] image, byte[] pdb) = Compile(Dot);
        using ModuleImage module = ModuleImage.FromBytes(image, pdb);
        LoopCost loop = LoopReport.KernelLoops(module).Single(l => l.Method.EndsWith("::Pairs4", StringComparison.Ordinal));

        string[] lines = LoopReport.Listing(module, loop).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(1 + 48, lines.Length);
        Assert.Matches(@"^  IL_[0-9a-f]{4}: ldarg\.s +x$", lines[1]);
        Assert.Equal(4, lines.Count(l => l.Contains("ldelem.i8", StringComparison.Ordinal)));
        Assert.Equal(4, lines.Count(l => l.Contains(": mul", StringComparison.Ordinal) && l.EndsWith("// 2 MACs", StringComparison.Ordinal)));
        Assert.Matches(@"^  IL_[0-9a-f]{4}: blt\.s +IL_[0-9a-f]{4}$", lines[^1]);
    }

    [Fact]
    public void TableShowsEveryLoopAndTheHeuristic()
    {
        string table = LoopReport.Table(Loops(Dot));

        Assert.Contains("ldelem.i8 counts 2", table, StringComparison.Ordinal);
        Assert.Matches(@"QuantEdge\.Runtime\.Kernels\.Dot::Pairs4 +Snippet\.cs:9 +IL_[0-9a-f]{4}\.\.IL_[0-9a-f]{4} +48 +8 +6\.00", table);
        Assert.Matches(@"Snippet\.cs +3 +3 +6\.00 +11\.75", table);
    }
}
