namespace Sandbox.Engine;

/// <summary>Limits for one call into guest code.</summary>
public sealed record CallOptions
{
    /// <summary>Stop the call with <see cref="TrapCode.Interrupted"/> when this token is cancelled.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// Stop the call with <see cref="TrapCode.Interrupted"/> after this long (measured by
    /// <see cref="TimeProvider"/>): zero or less stops it at its first check, a span too long to
    /// ever pass (<see cref="TimeSpan.MaxValue"/>) sets no deadline, as null does.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The clock for <see cref="Timeout"/>; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>
    /// Run on the calling thread instead of a dedicated guest thread: saves a thread switch per
    /// call. Deep recursion still traps rather than crashing, but earlier on a small stack.
    /// </summary>
    public bool RunOnCallingThread { get; init; }

    /// <summary>
    /// The fuel budget of the call: one unit per Wasm function entry and loop iteration. Requires a
    /// module compiled with <see cref="EngineOptions.ConsumeFuel"/>; null means unlimited.
    /// </summary>
    public long? Fuel { get; init; }

    /// <summary>
    /// Where the engine reports what the call used (the fuel it burned, when <see cref="Fuel"/> is
    /// set), when it returns or traps; null when the caller does not want to know.
    /// </summary>
    public CallUsage? Usage { get; init; }
}

/// <summary>What one call used; filled in by the engine when the call ends, trapped or not.</summary>
/// <remarks>One per call: a <see cref="CallOptions"/> shared by concurrent calls would mix their figures.</remarks>
public sealed class CallUsage
{
    /// <summary>Fuel units the call burned: at most its <see cref="CallOptions.Fuel"/>; null for a call without a budget.</summary>
    public long? FuelConsumed { get; internal set; }
}
