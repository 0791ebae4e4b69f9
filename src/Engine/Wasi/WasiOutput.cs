namespace Sandbox.Engine.Wasi;

/// <summary>
/// Where the guest's stdout or stderr goes: captured in a buffer of bounded size (the service: past
/// the limit the rest is dropped and <see cref="Truncated"/> says so), a host stream (the CLI's
/// own), a <see cref="WasiOutputPipe"/> a host reads as the guest writes (ExecuteStream), or
/// nowhere.
/// </summary>
public sealed class WasiOutput
{
    private readonly Stream? stream;
    private readonly int limit;
    private readonly WasiOutputPipe? pipe;
    private readonly WasiStdStream pipeStream;
    private readonly long pipeLimit;
    private long piped;
    private byte[] buffer = [];
    private int length;

    private WasiOutput(Stream? stream, int limit)
    {
        this.stream = stream;
        this.limit = limit;
    }

    // One of a pipe's two streams (WasiOutputPipe.Stdout, .Stderr).
    internal WasiOutput(WasiOutputPipe pipe, WasiStdStream stream, long limitBytes)
    {
        this.pipe = pipe;
        pipeStream = stream;
        pipeLimit = limitBytes;
    }

    /// <summary>Keeps the first <paramref name="limitBytes"/> bytes written; the guest sees every write succeed in full.</summary>
    public static WasiOutput Capture(int limitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limitBytes);
        return new WasiOutput(null, limitBytes);
    }

    /// <summary>Writes through to <paramref name="stream"/> as the guest writes (flushed when <see cref="WasiContext.Result"/> is taken).</summary>
    public static WasiOutput ToStream(Stream stream) => new(stream ?? throw new ArgumentNullException(nameof(stream)), 0);

    /// <summary>Drops everything written.</summary>
    public static WasiOutput Discard() => new(null, 0);

    /// <summary>The captured bytes (empty for a stream or a pipe).</summary>
    public ReadOnlyMemory<byte> Captured => buffer.AsMemory(0, length);

    /// <summary>True when a capture or a pipe dropped bytes past its limit.</summary>
    public bool Truncated { get; private set; }

    /// <summary>The capture limit in bytes (0 for a stream; for a pipe, its limit up to <see cref="int.MaxValue"/>).</summary>
    public int LimitBytes => pipe is null ? limit : (int)Math.Min(pipeLimit, int.MaxValue);

    /// <summary>
    /// Drops what was captured and clears <see cref="Truncated"/>, so the next call of a
    /// long-lived instance captures afresh (the service returns each Invoke's own output).
    /// </summary>
    public void Clear()
    {
        length = 0;
        piped = 0;
        Truncated = false;
    }

    internal void Write(ReadOnlySpan<byte> bytes)
    {
        if (stream is not null)
        {
            stream.Write(bytes);
            return;
        }
        if (pipe is not null)
        {
            WritePipe(bytes);
            return;
        }
        var room = limit - length;
        if (bytes.Length > room)
        {
            Truncated = true;
            bytes = bytes[..room];
        }
        if (bytes.Length == 0) return;
        if (length + bytes.Length > buffer.Length)
        {
            Array.Resize(ref buffer, (int)Math.Min(limit, Math.Max(length + bytes.Length, Math.Max(256L, buffer.Length * 2L))));
        }
        bytes.CopyTo(buffer.AsSpan(length));
        length += bytes.Length;
    }

    /// <summary>Pushes what was written on: a host stream's buffer, a pipe's chunk (before the guest waits, and when the call ends).</summary>
    internal void Flush()
    {
        stream?.Flush();
        pipe?.Flush();
    }

    private void WritePipe(ReadOnlySpan<byte> bytes)
    {
        var room = pipeLimit - piped;
        if (bytes.Length > room)
        {
            Truncated = true;
            bytes = bytes[..(int)room];
        }
        if (bytes.Length == 0) return;
        // Counted before the write: a write interrupted while waiting for room is not retried.
        piped += bytes.Length;
        pipe!.Write(pipeStream, bytes);
    }
}
