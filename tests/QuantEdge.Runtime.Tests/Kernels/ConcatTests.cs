using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Tests.Kernels;

public class ConcatTests
{
    /// <summary>
    /// A copy, so exact: for each outer index, each input's chunk in turn. Chunks of odd sizes and of
    /// zero (an empty input), one outer index (concatenation along the outermost axis) and several
    /// (e.g. channels of an NHWC tensor: outer = N·H·W).
    /// </summary>
    [Theory]
    [InlineData(1, new[] { 5 })]
    [InlineData(1, new[] { 3, 7, 1 })]
    [InlineData(6, new[] { 2, 3 })]
    [InlineData(15, new[] { 1, 9, 7, 2 })]
    [InlineData(4, new[] { 3, 0, 5 })]
    public void CopiesEachInputsChunkPerOuterIndex(int outerCount, int[] chunks)
    {
        sbyte[][] inputs = chunks.Select((chunk, k) => RandomTensor.Int8(outerCount * chunk, seed: 100 + k)).ToArray();
        var arena = new TestArena();
        int[] inputOffsets = inputs.Select(arena.Place).ToArray();
        int length = outerCount * chunks.Sum();
        int output = arena.Reserve(length);

        Concat.Eval(new ConcatParams { OuterCount = outerCount, InputChunk = chunks }, arena.Data, inputOffsets, output);

        sbyte[] expected = Enumerable.Range(0, outerCount)
            .SelectMany(o => chunks.SelectMany((chunk, k) => inputs[k].Skip(o * chunk).Take(chunk)))
            .ToArray();
        Assert.Equal(expected, arena.Read(output, length));
    }

    [Fact]
    public void TheSameTensorMayAppearTwice()
    {
        sbyte[] x = { 1, 2, 3, 4, 5, 6 };
        var arena = new TestArena();
        int input = arena.Place(x);
        int output = arena.Reserve(12);
        Concat.Eval(new ConcatParams { OuterCount = 2, InputChunk = new[] { 3, 3 } }, arena.Data, new[] { input, input }, output);
        Assert.Equal(new sbyte[] { 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6 }, arena.Read(output, 12));
    }
}
