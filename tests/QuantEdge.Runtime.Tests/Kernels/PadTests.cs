using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Tests.Kernels;

/// <summary>The constant pad against the output found element by element from its own index arithmetic.</summary>
public class PadTests
{
    [Theory]
    [InlineData(new[] { 1, 1, 1, 7 }, new[] { 0, 0, 0, 2 }, new[] { 0, 0, 0, 3 })]
    [InlineData(new[] { 1, 3, 5, 2 }, new[] { 0, 1, 2, 0 }, new[] { 0, 2, 1, 0 })]
    [InlineData(new[] { 2, 3, 1, 3 }, new[] { 1, 0, 1, 1 }, new[] { 0, 1, 2, 1 })]
    [InlineData(new[] { 1, 2, 2, 1 }, new[] { 0, 0, 0, 0 }, new[] { 0, 0, 0, 0 })]
    public void PlacesTheInputAmongValues(int[] input, int[] before, int[] after)
    {
        int[] output = input.Select((d, a) => d + before[a] + after[a]).ToArray();
        var p = new PadParams
        {
            Batches = input[0], Height = input[1], Width = input[2], Channels = input[3],
            OutputHeight = output[1], OutputWidth = output[2], OutputChannels = output[3], OutputElements = output.Aggregate(1, (a, b) => a * b),
            BeforeBatch = before[0], BeforeRow = before[1], BeforeColumn = before[2], BeforeChannel = before[3],
            Value = -7,
        };
        sbyte[] x = RandomTensor.Int8(input.Aggregate(1, (a, b) => a * b), seed: 3);
        var arena = new TestArena();
        int at = arena.Place(x);
        int result = arena.Reserve(p.OutputElements);

        Pad.Eval(p, arena.Data, at, result);

        sbyte[] actual = arena.Read(result, p.OutputElements);
        for (int i = 0; i < actual.Length; i++)
        {
            int[] position = new int[4];
            for (int axis = 3, rest = i; axis >= 0; axis--)
            {
                position[axis] = rest % output[axis];
                rest /= output[axis];
            }

            int[] source = position.Select((v, a) => v - before[a]).ToArray();
            bool inside = source.Select((v, a) => v >= 0 && v < input[a]).All(ok => ok);
            sbyte expected = inside ? x[((source[0] * input[1] + source[1]) * input[2] + source[2]) * input[3] + source[3]] : (sbyte)-7;
            Assert.True(expected == actual[i], $"[{string.Join(", ", position)}]: {actual[i]}, expected {expected}");
        }
    }
}
