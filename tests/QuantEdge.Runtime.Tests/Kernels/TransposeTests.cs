using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Tests.Kernels;

/// <summary>Every permutation of the NHWC axes of an odd-sized tensor, against its own index arithmetic.</summary>
public class TransposeTests
{
    public static TheoryData<int[]> Permutations()
    {
        var data = new TheoryData<int[]>();
        foreach (int[] p in Permute([0, 1, 2, 3]))
        {
            data.Add(p);
        }

        return data;

        static IEnumerable<int[]> Permute(int[] axes) => axes.Length <= 1
            ? [axes]
            : axes.SelectMany(a => Permute(axes.Where(b => b != a).ToArray()).Select(rest => (int[])[a, .. rest]));
    }

    [Theory]
    [MemberData(nameof(Permutations))]
    public void MovesEachElementToItsPermutedPlace(int[] from)
    {
        int[] input = [2, 3, 1, 5];
        int[] strides = [input[1] * input[2] * input[3], input[2] * input[3], input[3], 1];
        int[] output = from.Select(a => input[a]).ToArray();
        var p = new TransposeParams
        {
            Batches = output[0], Height = output[1], Width = output[2], Channels = output[3],
            BatchStride = strides[from[0]], RowStride = strides[from[1]], ColumnStride = strides[from[2]], ChannelStride = strides[from[3]],
        };
        sbyte[] x = RandomTensor.Int8(30, seed: 8);
        var arena = new TestArena();
        int at = arena.Place(x);
        int result = arena.Reserve(30);

        Transpose.Eval(p, arena.Data, at, result);

        sbyte[] actual = arena.Read(result, 30);
        for (int i = 0; i < 30; i++)
        {
            int[] position = new int[4];
            for (int axis = 3, rest = i; axis >= 0; axis--)
            {
                position[axis] = rest % output[axis];
                rest /= output[axis];
            }

            int source = Enumerable.Range(0, 4).Sum(axis => position[axis] * strides[from[axis]]);
            Assert.Equal(x[source], actual[i]);
        }
    }
}
