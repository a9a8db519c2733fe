using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Tests.Kernels;

/// <summary>Strided slices of an odd-sized tensor (steps forward, back, longer than one, along every axis), against their own index arithmetic.</summary>
public class SliceTests
{
    /// <summary>starts, steps and output dims along N, H, W, C of a [2, 5, 3, 7] input.</summary>
    [Theory]
    [InlineData(new[] { 0, 0, 0, 0 }, new[] { 1, 1, 1, 1 }, new[] { 2, 5, 3, 7 })]
    [InlineData(new[] { 1, 1, 0, 2 }, new[] { 1, 2, 1, 1 }, new[] { 1, 2, 3, 4 })]
    [InlineData(new[] { 0, 4, 2, 6 }, new[] { 1, -1, -1, -3 }, new[] { 2, 5, 3, 3 })]
    [InlineData(new[] { 1, 3, 1, 1 }, new[] { -1, -3, 1, 2 }, new[] { 2, 2, 2, 3 })]
    [InlineData(new[] { 0, 2, 2, 3 }, new[] { 1, 1, 1, 7 }, new[] { 2, 1, 1, 1 })]
    public void TakesEachElementFromItsStridedPlace(int[] starts, int[] steps, int[] output)
    {
        int[] input = [2, 5, 3, 7];
        int[] strides = [input[1] * input[2] * input[3], input[2] * input[3], input[3], 1];
        var p = new SliceParams
        {
            Batches = output[0], Height = output[1], Width = output[2], Channels = output[3],
            First = Enumerable.Range(0, 4).Sum(a => starts[a] * strides[a]),
            BatchStep = steps[0] * strides[0], RowStep = steps[1] * strides[1], ColumnStep = steps[2] * strides[2], ChannelStep = steps[3],
        };
        int count = output.Aggregate(1, (a, b) => a * b);
        sbyte[] x = RandomTensor.Int8(210, seed: 9);
        var arena = new TestArena();
        int at = arena.Place(x);
        int result = arena.Reserve(count);

        Slice.Eval(p, arena.Data, at, result);

        sbyte[] actual = arena.Read(result, count);
        for (int i = 0; i < count; i++)
        {
            int source = 0;
            for (int axis = 3, rest = i; axis >= 0; axis--)
            {
                source += (starts[axis] + rest % output[axis] * steps[axis]) * strides[axis];
                rest /= output[axis];
            }

            Assert.Equal(x[source], actual[i]);
        }
    }
}
