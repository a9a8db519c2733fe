using System.Collections.Immutable;
using QuantEdge.Runtime.Format;

namespace QuantEdge.Compiler.Blob;

/// <summary>
/// How a layer's accumulators are scaled to its output, per output channel, as the blob stores it:
/// either explicit Q31 multipliers and shifts, or (the compact form the quantizer makes) a base
/// multiplier and shift plus one channel scale index byte per channel (<see cref="ChannelScales"/>).
/// </summary>
public abstract record Requantization
{
    /// <summary>Q31 multiplier of each channel, as the device will use it.</summary>
    public abstract ImmutableArray<int> Multipliers { get; }

    /// <summary>Shift of each channel (positive = left).</summary>
    public abstract ImmutableArray<int> Shifts { get; }

    internal abstract int Flags { get; }

    public static Requantization Explicit(IEnumerable<int> multipliers, IEnumerable<int> shifts) => new ExplicitRequantization([.. multipliers], [.. shifts]);
}

/// <summary>One Q31 multiplier and shift per channel.</summary>
public sealed record ExplicitRequantization(ImmutableArray<int> Multiplier, ImmutableArray<int> Shift) : Requantization
{
    public override ImmutableArray<int> Multipliers => Multiplier;

    public override ImmutableArray<int> Shifts => Shift;

    internal override int Flags => 0;
}

/// <summary>
/// Channel o's multiplier is the base times 2^(−ScaleIndex[o]/32): weight scales on a grid of 32 steps
/// per octave below the layer's largest. One byte per channel instead of five.
/// </summary>
public sealed record ScaleGridRequantization(int BaseMultiplier, int BaseShift, ImmutableArray<byte> ScaleIndex) : Requantization
{
    public override ImmutableArray<int> Multipliers => [.. Expanded().Multipliers];

    public override ImmutableArray<int> Shifts => [.. Expanded().Shifts];

    internal override int Flags => BlobFormat.FlagChannelScaleGrid;

    private (int[] Multipliers, int[] Shifts) Expanded()
    {
        var multipliers = new int[ScaleIndex.Length];
        var shifts = new int[ScaleIndex.Length];
        for (int o = 0; o < ScaleIndex.Length; o++)
        {
            ChannelScales.Expand(BaseMultiplier, BaseShift, ScaleIndex[o], out multipliers[o], out shifts[o]);
        }

        return (multipliers, shifts);
    }
}
