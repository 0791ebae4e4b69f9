namespace Sandbox.Engine.Runtime;

/// <summary>
/// Per-thread state every Wasm function receives as an argument (next to its depth): the stop flag
/// generated code reads at every loop header and function entry. A non-zero flag jumps to a throw
/// block, so the check costs one load and a branch and puts no call on the hot path (a call would
/// make the JIT keep float values in memory across loops: every xmm register is caller-saved).
/// </summary>
internal sealed class ExecutionState
{
    [ThreadStatic]
    private static ExecutionState? current;

    // Read by generated code with volatile semantics; set by CallInterrupt from any thread.
    internal int Interrupt;

    /// <summary>
    /// The lowest address guest frames may reach on this thread: its stack bottom plus
    /// <see cref="StackGuard.ReserveBytes"/>; 0 when the bottom is unknown (see <see cref="StackGuard"/>).
    /// </summary>
    internal readonly nint StackLimit = FindStackLimit();

    // Remaining fuel, decremented by code compiled with EngineOptions.ConsumeFuel.
    internal long Fuel = long.MaxValue;

    /// <summary>This thread's state.</summary>
    public static ExecutionState Current => current ??= new ExecutionState();

    private static nint FindStackLimit()
    {
        var low = ThreadStack.Low();
        return low > 0 ? low + StackGuard.ReserveBytes : 0;
    }

    /// <summary>
    /// The innermost call on this thread with a deadline armed, chained to the ones it is nested in
    /// (<see cref="CallInterrupt.EnclosingTimed"/>): written by this thread, scanned by
    /// <see cref="DeadlineClock"/>'s.
    /// </summary>
    internal CallInterrupt? TimedCall;

    /// <summary>Whether <see cref="DeadlineClock"/> scans this thread's state; this thread's own business.</summary>
    internal bool KnownToClock;

    /// <summary>The innermost call on this thread with interruption armed, if any.</summary>
    internal CallInterrupt? ActiveInterrupt { get; set; }

    /// <summary>Called by generated code when the fuel went negative.</summary>
    public static Exception OutOfFuel(ExecutionState state)
    {
        state.Fuel = 0;
        return new TrapException(TrapCode.OutOfFuel);
    }

    /// <summary>Called by generated code when the flag is set: clears it and makes the trap to throw.</summary>
    public static Exception Interrupted(ExecutionState state)
    {
        Volatile.Write(ref state.Interrupt, 0);
        return new TrapException(TrapCode.Interrupted);
    }
}
