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
}
