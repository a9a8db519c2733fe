using QuantEdge.Bench;
using QuantEdge.DeviceTest.Bench;

namespace QuantEdge.DeviceTest.Tests;

public class BenchTests
{
    [Fact]
    public void Output_IsParsedAndKnowsWhetherTheRunFinished()
    {
        string[] lines =
        [
            "bench,naive,naive int8 loop 256x64,MAC,16384,28,397134",
            "bench,kernel,Add 4096,element,4096,3,310599",
            "heap,probe,int[1000],4032",
            "heap,model,DemoMlp,2364,14664",
            "bench,done",
        ];
        BenchOutput output = BenchOutput.Parse(lines);
        Assert.True(output.Complete);
        Assert.Equal(397134 * 100.0 / 28 / 16384, output.Naive.NanosecondsPerUnit, 9);
        Assert.Equal(new HeapReading("model", "DemoMlp", 2364, 14664), output.Heap[1]);
        Assert.False(BenchOutput.Parse(lines[..^1]).Complete);
    }

    [Fact]
    public void TheDeviceSectionReplacesItselfAndNothingElse()
    {
        string host = "# Benchmarks\n\n## Host\n\ntext\n";
        string first = BenchmarkDocument.WithDeviceSection(host, BenchmarkDocument.DeviceHeading + "\n\nold\n");
        Assert.Equal(host + "\n" + BenchmarkDocument.DeviceHeading + "\n\nold\n", first);
        string second = BenchmarkDocument.WithDeviceSection(first, BenchmarkDocument.DeviceHeading + "\n\nnew\n");
        Assert.Equal(host + "\n" + BenchmarkDocument.DeviceHeading + "\n\nnew\n", second);
        Assert.Equal(BenchmarkDocument.DeviceHeading + "\n\nnew\n", BenchmarkDocument.DeviceSection(second));
        Assert.Null(BenchmarkDocument.DeviceSection(host));
    }

    [Fact]
    public void TheNativeSectionStaysLastAndEachCommandKeepsTheOther()
    {
        string host = "# Benchmarks\n\n## Host\n\ntext\n";
        string device = BenchmarkDocument.DeviceHeading + "\n\nstock\n";
        string native = BenchmarkDocument.NativeHeading + "\n\nnative\n";
        string both = BenchmarkDocument.WithNativeSection(BenchmarkDocument.WithDeviceSection(host, device), native);
        Assert.Equal(host + "\n" + device + "\n" + native, both);
        Assert.Equal(both, BenchmarkDocument.WithDeviceSection(both, device));
        Assert.Equal(host + "\n" + BenchmarkDocument.DeviceHeading + "\n\nstock 2\n\n" + native,
            BenchmarkDocument.WithDeviceSection(both, BenchmarkDocument.DeviceHeading + "\n\nstock 2\n"));
        Assert.Equal(host + "\n" + device + "\n" + BenchmarkDocument.NativeHeading + "\n\nnative 2\n",
            BenchmarkDocument.WithNativeSection(both, BenchmarkDocument.NativeHeading + "\n\nnative 2\n"));
        Assert.Equal(device + "\n" + native, BenchmarkDocument.DeviceSection(both));
        // The host benchmark rewrites its part and keeps both device sections.
        Assert.Equal("# Benchmarks\n\n## Host\n\nnew\n\n" + device + "\n" + native,
            BenchmarkDocument.WithDeviceSection("# Benchmarks\n\n## Host\n\nnew\n", BenchmarkDocument.DeviceSection(both)!));
        // A native section before any stock one: the stock one goes before it.
        string nativeOnly = BenchmarkDocument.WithNativeSection(host, native);
        Assert.Equal(host + "\n" + device + "\n" + native, BenchmarkDocument.WithDeviceSection(nativeOnly, device));
    }

    [Fact]
    public void TheNativeTablePairsEachLayerWithItsNativeAndHostRunsAndJudgesTheTargets()
    {
        // Runs of 100 ticks (10 µs): the naive loop at 10 µs / 1,000 MACs = 10 ns per MAC.
        static string Line(string kind, string name, int units, int runs) => $"bench,{kind},{name},MAC,{units},{runs},100";
        BenchOutput device = BenchOutput.Parse(
        [
            Line("naive", "naive int8 loop 256x64", 1000, 1),
            Line("kernel", "FullyConnected 256-64 Int8Rows", 16384, 1),
            Line("kernel", "FullyConnected 256-64 Int64Pairs", 16384, 2),
            Line("kernel", "FullyConnected 16-8 Int8Rows", 128, 1),
            Line("kernel", "Conv2D 16x16x8 3x3 pad 1 -> 16 Int8Rows", 10000, 1),
            Line("model", "DemoMlp", 1000, 1),
            Line("model", "IrisMlp", 56, 1),
            Line("model", "RadarAutoencoder", 3596, 1), // its description has a '|'
            Line("native", "FullyConnected 256-64 native", 16384, 64), // 10,000 / 16,384 / 64 ns: 1,048.6× naive
            Line("native", "FullyConnected 16-8 native", 128, 1),
            Line("native", "Conv2D 16x16x8 3x3 pad 1 -> 16 native", 10000, 40), // 25 ps per MAC: 400×
            Line("native-model", "DemoMlp native", 1000, 10), // 1 ns per MAC: 10×, under the 20× target
            Line("native-model", "IrisMlp native", 56, 1),
            "bench,done",
        ]);
        BenchOutput host = BenchOutput.Parse([Line("host", "FullyConnected 256-64 native", 16384, 128), Line("host", "DemoMlp native", 1000, 20), "bench,done"]);
        string[] rows = BenchReport.NativeMarkdown(device, host, TimeSpan.FromSeconds(1)).Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToArray();

        Assert.Equal(8, rows.Length); // header + seven managed workloads
        int cells = rows[0].Count(c => c == '|');
        Assert.All(rows, row => Assert.Equal(cells, System.Text.RegularExpressions.Regex.Matches(row, @"(?<!\\)\|").Count));
        string[] fc = rows.Single(r => r.StartsWith("| FullyConnected 256→64 Int64Pairs ", StringComparison.Ordinal)).Split(" | ");
        Assert.Equal(["32.8×", "0.010 ns", "1048.6×", "32×", "0.005 ns", "2097.2×", "2.0×", "≥ 50×: met |"], fc[3..]);
        Assert.EndsWith("| — |", rows.Single(r => r.StartsWith("| FullyConnected 16→8 ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.EndsWith("| ≥ 50×: met |", rows.Single(r => r.StartsWith("| Conv2D ", StringComparison.Ordinal)), StringComparison.Ordinal);
        string demo = rows.Single(r => r.StartsWith("| model DemoMlp: ", StringComparison.Ordinal));
        Assert.EndsWith("| 0.500 ns | 20.0× | 2.0× | ≥ 20×: **not met** |", demo, StringComparison.Ordinal);
        // A layer the host did not run is reported as unknown, not left out; the sample node's model has no target.
        Assert.EndsWith("| ? | ? | ? | — |", rows.Single(r => r.StartsWith("| model IrisMlp: ", StringComparison.Ordinal)), StringComparison.Ordinal);
    }
}
