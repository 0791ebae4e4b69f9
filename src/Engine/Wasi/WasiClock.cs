namespace Sandbox.Engine.Wasi;

/// <summary>
/// The guest's clocks: the host's real ones (default), or a deterministic clock for reproducible
/// runs (as wazero's and Extism's): time starts at a fixed instant, advances by
/// <see cref="DeterministicTick"/> at every reading and by the full length of every sleep, and no
/// sleep waits.
/// </summary>
public sealed class WasiClock
{
    /// <summary>How far a deterministic clock moves at each reading, so a loop waiting for time to pass ends.</summary>
    public static readonly TimeSpan DeterministicTick = TimeSpan.FromMilliseconds(1);

    private readonly DateTimeOffset? start;
    private readonly long startTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
    private ulong virtualNanoseconds;

    private WasiClock(DateTimeOffset? start) => this.start = start;

    /// <summary>The host's real-time and monotonic clocks.</summary>
    public static WasiClock Real => new(null);

    /// <summary>A clock starting at <paramref name="start"/> (realtime) and 0 (monotonic), moving only as the guest reads it or sleeps.</summary>
    public static WasiClock Deterministic(DateTimeOffset start) => new(start);

    /// <summary>True for a deterministic clock.</summary>
    public bool IsDeterministic => start is not null;

    /// <summary>Nanoseconds since the Unix epoch.</summary>
    internal ulong Realtime()
    {
        if (start is { } s) return (ulong)(s - DateTimeOffset.UnixEpoch).Ticks * 100 + Advance();
        return (ulong)(DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
    }

    /// <summary>Nanoseconds since the clock was made.</summary>
    internal ulong Monotonic()
    {
        if (start is not null) return Advance();
        return (ulong)System.Diagnostics.Stopwatch.GetElapsedTime(startTimestamp).Ticks * 100;
    }

    /// <summary>A deterministic clock's sleep: time moves by <paramref name="nanoseconds"/>, at once.</summary>
    internal void Skip(ulong nanoseconds) => virtualNanoseconds += nanoseconds;

    /// <summary>The clock's resolution in nanoseconds.</summary>
    internal static ulong Resolution => 1_000_000_000UL / (ulong)System.Diagnostics.Stopwatch.Frequency is var r and > 0 ? r : 1;

    private ulong Advance()
    {
        var now = virtualNanoseconds;
        virtualNanoseconds += (ulong)DeterministicTick.Ticks * 100;
        return now;
    }
}
