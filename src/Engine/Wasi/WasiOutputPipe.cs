using Sandbox.Engine.Runtime;

namespace Sandbox.Engine.Wasi;

/// <summary>
/// A guest's stdout and stderr as one ordered stream of <see cref="WasiOutputChunk"/>s that a host
/// reads while the guest runs (the service's ExecuteStream). Give <see cref="Stdout"/> and
/// <see cref="Stderr"/> to a <see cref="WasiConfiguration"/>, read with <see cref="ReadAsync"/>
/// until it returns null, and call <see cref="Complete"/> when the guest's call has ended.
/// </summary>
/// <remarks>
/// <para>
/// <b>Bounded.</b> At most <see cref="CapacityBytes"/> bytes wait to be read. A guest writing to
/// a full pipe waits in its <c>fd_write</c> until the reader takes a chunk, and that wait ends
/// with the call's deadline or cancellation (the call traps <see cref="TrapCode.Interrupted"/>,
/// as a sleep in <c>poll_oneoff</c> does), so a reader that stops reading holds the guest, never
/// the host's memory. A call run without a timeout or a token waits for the reader indefinitely.
/// </para>
/// <para>
/// <b>Coalesced.</b> Writes to one stream fill a chunk of up to <see cref="MaxChunkBytes"/>; the
/// chunk is handed out when it is full, when the guest switches to the other stream (so order is
/// kept), when the guest waits (<c>poll_oneoff</c> sleeping, <c>sched_yield</c>), when the call
/// ends, or when its first byte has waited <see cref="FlushInterval"/> for the reader. A guest
/// printing one byte at a time then makes one chunk per interval, not one per byte, and still
/// shows its output within the interval.
/// </para>
/// <para>
/// Each stream keeps at most its own limit of bytes (<see cref="Create"/>); past it the rest is
/// dropped, the guest sees every write succeed, and the stream's <see cref="WasiOutput.Truncated"/>
/// says so, as a capture does.
/// </para>
/// </remarks>
public sealed class WasiOutputPipe
{
    /// <summary>The most bytes of one chunk: 32 KiB, well under a gRPC message's default 4 MiB.</summary>
    public const int MaxChunkBytes = 32 << 10;

    /// <summary>The most bytes written and not yet read (chunks queued plus the one filling): 128 KiB, four chunks.</summary>
    public const int CapacityBytes = 4 * MaxChunkBytes;

    /// <summary>
    /// How long the first byte of a chunk that is not full waits for more before the reader takes
    /// it: 10 ms, below what a person watching the output notices.
    /// </summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(10);

    // How often a writer waiting for room looks at its call's interrupt flag (as poll_oneoff's sleep).
    private static readonly TimeSpan InterruptSlice = TimeSpan.FromMilliseconds(5);

    private readonly object gate = new();
    private readonly Queue<WasiOutputChunk> chunks = new();
    private byte[] pending = new byte[MaxChunkBytes];
    private int pendingLength;
    private WasiStdStream pendingStream;
    private int queued;
    private bool completed;
    private TaskCompletionSource? reader;

    private WasiOutputPipe(long limitBytes)
    {
        Stdout = new WasiOutput(this, WasiStdStream.Stdout, limitBytes);
        Stderr = new WasiOutput(this, WasiStdStream.Stderr, limitBytes);
    }

    /// <summary>A pipe whose stdout and stderr each keep at most <paramref name="limitBytes"/> bytes.</summary>
    public static WasiOutputPipe Create(long limitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limitBytes);
        return new WasiOutputPipe(limitBytes);
    }

    /// <summary>The guest's stdout (fd 1) writing into this pipe.</summary>
    public WasiOutput Stdout { get; }

    /// <summary>The guest's stderr (fd 2) writing into this pipe.</summary>
    public WasiOutput Stderr { get; }

    /// <summary>Bytes written and not yet read; never more than <see cref="CapacityBytes"/>.</summary>
    public int QueuedBytes
    {
        get
        {
            lock (gate) return queued;
        }
    }

    /// <summary>
    /// The next chunk in the order the guest wrote it, waiting for one if none is ready; null once
    /// <see cref="Complete"/> was called and every chunk was read. One reader at a time.
    /// </summary>
    public async ValueTask<WasiOutputChunk?> ReadAsync(CancellationToken cancellationToken = default)
    {
        var flushDue = false;
        while (true)
        {
            Task signal;
            bool partial;
            lock (gate)
            {
                if (chunks.Count == 0 && pendingLength > 0 && (flushDue || completed)) SealLocked();
                if (chunks.TryDequeue(out var chunk))
                {
                    queued -= chunk.Bytes.Length;
                    Monitor.PulseAll(gate); // room for a waiting writer
                    return chunk;
                }
                if (completed) return null;
                reader = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                signal = reader.Task;
                partial = pendingLength > 0;
            }
            if (partial)
            {
                // A chunk is filling: give it FlushInterval to fill up or be sealed, then take it as it is.
                var winner = await Task.WhenAny(signal, Task.Delay(FlushInterval, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                flushDue = winner != signal;
            }
            else
            {
                await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
                flushDue = false;
            }
        }
    }

    /// <summary>
    /// The guest's call has ended: what it wrote last becomes a chunk, <see cref="ReadAsync"/>
    /// returns null after the last one, and later writes are dropped (a writer still waiting for
    /// room stops waiting).
    /// </summary>
    public void Complete()
    {
        lock (gate)
        {
            if (completed) return;
            SealLocked();
            completed = true;
            Signal();
            Monitor.PulseAll(gate);
        }
    }

    /// <summary>Hands the chunk filling to the reader (the guest is about to wait, or its call ends).</summary>
    internal void Flush()
    {
        lock (gate) SealLocked();
    }

    /// <summary>Appends <paramref name="bytes"/> to <paramref name="stream"/>, waiting for room as the remarks say.</summary>
    /// <exception cref="TrapException">The call's deadline or cancellation fired while waiting (<see cref="TrapCode.Interrupted"/>).</exception>
    internal void Write(WasiStdStream stream, ReadOnlySpan<byte> bytes)
    {
        lock (gate)
        {
            while (bytes.Length > 0 && !completed)
            {
                // A chunk holds one stream's bytes: switching streams seals it, which keeps the order.
                if (pendingLength > 0 && pendingStream != stream) SealLocked();
                var room = CapacityBytes - queued;
                if (room == 0)
                {
                    SealLocked();
                    WaitForRoomLocked();
                    continue;
                }
                var started = pendingLength == 0;
                pendingStream = stream;
                var take = Math.Min(bytes.Length, Math.Min(room, MaxChunkBytes - pendingLength));
                bytes[..take].CopyTo(pending.AsSpan(pendingLength));
                pendingLength += take;
                queued += take;
                bytes = bytes[take..];
                if (pendingLength == MaxChunkBytes) SealLocked();
                else if (started) Signal(); // the reader starts this chunk's FlushInterval
            }
        }
    }

    private void WaitForRoomLocked()
    {
        var state = ExecutionState.Current;
        while (queued >= CapacityBytes && !completed)
        {
            if (Volatile.Read(ref state.Interrupt) != 0) throw ExecutionState.Interrupted(state);
            Monitor.Wait(gate, InterruptSlice);
        }
    }

    private void SealLocked()
    {
        if (pendingLength == 0) return;
        byte[] bytes;
        if (pendingLength == MaxChunkBytes)
        {
            // A full chunk takes the buffer itself; a partial one is copied, so the buffer is reused.
            bytes = pending;
            pending = new byte[MaxChunkBytes];
        }
        else
        {
            bytes = pending.AsSpan(0, pendingLength).ToArray();
        }
        chunks.Enqueue(new WasiOutputChunk(pendingStream, bytes));
        pendingLength = 0;
        Signal();
    }

    private void Signal()
    {
        reader?.TrySetResult();
        reader = null;
    }
}
