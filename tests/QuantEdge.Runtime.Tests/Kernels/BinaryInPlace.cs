namespace QuantEdge.Runtime.Tests.Kernels;

/// <summary>The in-place check shared by the two-input element-wise kernels (add, mul).</summary>
public static class BinaryInPlace
{
    /// <summary>
    /// Runs <paramref name="eval"/>(arena, input1, input2, output) with a separate output, then with
    /// the output on input 1 and on input 2: all three must give the same result.
    /// </summary>
    public static void AssertMatchesSeparateOutput(Action<sbyte[], int, int, int> eval, int size)
    {
        sbyte[] x1 = RandomTensor.Int8(size, seed: 1), x2 = RandomTensor.Int8(size, seed: 2);
        var separate = new TestArena();
        int a = separate.Place(x1), b = separate.Place(x2), o = separate.Reserve(size);
        eval(separate.Data, a, b, o);
        sbyte[] expected = separate.Read(o, size);

        var onFirst = new TestArena();
        int first = onFirst.Place(x1), second = onFirst.Place(x2);
        eval(onFirst.Data, first, second, first);
        Assert.Equal(expected, onFirst.Read(first, size));

        var onSecond = new TestArena();
        first = onSecond.Place(x1);
        second = onSecond.Place(x2);
        eval(onSecond.Data, first, second, second);
        Assert.Equal(expected, onSecond.Read(second, size));
    }
}
