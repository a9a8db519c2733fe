namespace QuantEdge.Runtime.Tests;

/// <summary>
/// A <see cref="BlobSource"/> around another (usually a <see cref="ByteArrayBlobSource"/>) that serves at
/// most <see cref="MaxRead"/> bytes per call, as a stream may, records what the loader asks of it, and lets
/// a test misbehave on cue: change bytes, swap the blob, throw, or end early (<see cref="BeforeRead"/>).
/// It allocates nothing per read, so it does not disturb allocation measurements.
/// </summary>
public sealed class RecordingSource(BlobSource inner, int maxRead = int.MaxValue) : BlobSource
{
    public RecordingSource(byte[] blob, int maxRead = int.MaxValue)
        : this(new ByteArrayBlobSource(blob), maxRead)
    {
    }

    /// <summary>What the reads come from; a test may replace it between reads.</summary>
    public BlobSource Inner { get; set; } = inner;

    public int MaxRead { get; } = maxRead;

    /// <summary>Called before each read with (read number from 0, position, count).</summary>
    public Action<int, int, int>? BeforeRead { get; set; }

    /// <summary>What <see cref="Length"/> reports when set (a source that claims more or less than it has).</summary>
    public int? ClaimedLength { get; set; }

    /// <summary>No byte from this position on is served, as if the blob ended there.</summary>
    public int EndsAt { get; set; } = int.MaxValue;

    public int Reads { get; private set; }

    public int LargestRequest { get; private set; }

    /// <summary>The longest buffer the loader handed in (each buffer it holds while loading is one of these).</summary>
    public int LargestBuffer { get; private set; }

    public long BytesServed { get; private set; }

    public override int Length => ClaimedLength ?? Inner.Length;

    public override int Read(int position, byte[] buffer, int offset, int count)
    {
        BeforeRead?.Invoke(Reads, position, count);
        Reads++;
        LargestRequest = Math.Max(LargestRequest, count);
        LargestBuffer = Math.Max(LargestBuffer, buffer.Length);
        if (position >= EndsAt)
        {
            return 0;
        }

        int served = Inner.Read(position, buffer, offset, Math.Min(Math.Min(count, MaxRead), EndsAt - position));
        BytesServed += served;
        return served;
    }
}
