namespace QuantEdge.Runtime.Tests;

/// <summary>
/// One arena as on the device, with tensors placed one after another and guard bytes between and
/// around them. <see cref="Read"/> returns an output and asserts that the kernel wrote nothing
/// outside it: every other byte (inputs, guards) must still hold what it held before the run.
/// </summary>
public sealed class TestArena
{
    private const int GuardLength = 5;
    private const sbyte GuardValue = 0x5A;

    private readonly List<sbyte> bytes = new();
    private sbyte[]? data;
    private sbyte[]? before;

    /// <summary>Copies <paramref name="tensor"/> into the arena; returns its offset.</summary>
    public int Place(sbyte[] tensor)
    {
        int offset = Reserve(tensor.Length);
        for (int i = 0; i < tensor.Length; i++) bytes[offset + i] = tensor[i];
        return offset;
    }

    /// <summary>Reserves <paramref name="length"/> bytes (zeros) for an output; returns its offset.</summary>
    public int Reserve(int length)
    {
        if (data != null) throw new InvalidOperationException("The arena is already in use.");
        bytes.AddRange(Enumerable.Repeat(GuardValue, GuardLength));
        int offset = bytes.Count;
        bytes.AddRange(new sbyte[length]);
        return offset;
    }

    /// <summary>The arena to run kernels on; placing more tensors is no longer possible.</summary>
    public sbyte[] Data
    {
        get
        {
            if (data == null)
            {
                bytes.AddRange(Enumerable.Repeat(GuardValue, GuardLength));
                data = bytes.ToArray();
                before = bytes.ToArray();
            }

            return data;
        }
    }

    /// <summary>The output at [offset, offset + length), after checking nothing else changed.</summary>
    public sbyte[] Read(int offset, int length)
    {
        sbyte[] now = Data;
        var changed = Enumerable.Range(0, now.Length)
            .Where(i => (i < offset || i >= offset + length) && now[i] != before![i])
            .ToList();
        Assert.True(changed.Count == 0, $"The kernel wrote outside its output [{offset}, {offset + length}): at {string.Join(", ", changed.Take(20))}");
        return now.AsSpan(offset, length).ToArray();
    }
}
