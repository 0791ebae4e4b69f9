namespace Sandbox.Engine.Wasi;

/// <summary>What the guest reads on stdin: fixed bytes, a host stream (the CLI's own stdin), or nothing.</summary>
public sealed class WasiInput
{
    private readonly ReadOnlyMemory<byte> bytes;
    private readonly Stream? stream;
    private int position;

    private WasiInput(ReadOnlyMemory<byte> bytes, Stream? stream)
    {
        this.bytes = bytes;
        this.stream = stream;
    }

    /// <summary>An empty stdin: every read returns end of file.</summary>
    public static WasiInput Empty => new(ReadOnlyMemory<byte>.Empty, null);

    /// <summary>Stdin reads <paramref name="bytes"/>, then end of file.</summary>
    public static WasiInput FromBytes(ReadOnlyMemory<byte> bytes) => new(bytes, null);

    /// <summary>Stdin reads <paramref name="stream"/> (read only when the guest reads, and blocking then).</summary>
    public static WasiInput FromStream(Stream stream) => new(ReadOnlyMemory<byte>.Empty, stream ?? throw new ArgumentNullException(nameof(stream)));

    /// <summary>True for a byte buffer (a read never blocks), false for a stream.</summary>
    internal bool IsBuffered => stream is null;

    /// <summary>Bytes left in a buffer (0 for a stream).</summary>
    internal int Available => bytes.Length - position;

    internal int Read(Span<byte> destination)
    {
        if (stream is not null) return destination.Length == 0 ? 0 : stream.Read(destination);
        var count = Math.Min(destination.Length, bytes.Length - position);
        bytes.Span.Slice(position, count).CopyTo(destination);
        position += count;
        return count;
    }
}
