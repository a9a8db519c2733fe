namespace QuantEdge.Runtime.Tests;

/// <summary>Reproducible random int8 tensors for the float-reference tests.</summary>
public static class RandomTensor
{
    public static sbyte[] Int8(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-128, 128)).ToArray();
    }

    /// <summary>A seed from a test case's name that stays the same from run to run (string.GetHashCode does not).</summary>
    public static int Seed(string name) => name.Aggregate(17, (hash, c) => unchecked(hash * 31 + c));
}
