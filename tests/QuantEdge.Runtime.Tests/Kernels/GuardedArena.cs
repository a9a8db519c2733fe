namespace QuantEdge.Runtime.Tests.Kernels;

/// <summary>
/// Runs a kernel on one arena laid out as guard | input | guard | output | guard, as tensors sit
/// side by side on the device, and fails if the kernel wrote anywhere outside its output.
/// </summary>
public static class GuardedArena
{
    private const int GuardLength = 16;

    public static sbyte[] Run(sbyte[] input, int outputLength, Action<sbyte[], int, int> eval)
    {
        int inputOffset = GuardLength;
        int outputOffset = inputOffset + input.Length + GuardLength;
        sbyte[] arena = new sbyte[outputOffset + outputLength + GuardLength];
        // A varying pattern, so that a stray write of any value (zero included) shows.
        for (int i = 0; i < arena.Length; i++)
        {
            arena[i] = Pattern(i);
        }

        input.CopyTo(arena, inputOffset);
        eval(arena, inputOffset, outputOffset);

        Assert.Equal(input, arena[inputOffset..(inputOffset + input.Length)]);
        for (int i = 0; i < arena.Length; i++)
        {
            bool inside = (i >= inputOffset && i < inputOffset + input.Length) || (i >= outputOffset && i < outputOffset + outputLength);
            if (!inside)
            {
                Assert.True(arena[i] == Pattern(i), $"guard byte {i} overwritten");
            }
        }

        return arena[outputOffset..(outputOffset + outputLength)];
    }

    private static sbyte Pattern(int i) => unchecked((sbyte)(i * 37 + 11));
}
