using System.Runtime.CompilerServices;

namespace Sandbox.Engine.Runtime;

/// <summary>
/// Keeps guest code from overflowing the native stack (issue 3 "Stack", issue 13 item 1): a .NET
/// stack overflow kills the process, every tenant with it.
/// </summary>
/// <remarks>
/// <para>Each thread's <see cref="ExecutionState.StackLimit"/> is the lowest address guest frames
/// may reach: the thread's real stack bottom (<see cref="ThreadStack"/>) plus
/// <see cref="ReserveBytes"/>, the room kept for what runs below the last guest frame (a host
/// function, the trap's unwinding). A check compares the address of a local with that limit.</para>
/// <para>Every Wasm function receives its call depth as an argument (callers pass their own plus
/// one: no memory traffic, nothing to restore when a trap unwinds). A function whose frame
/// estimate (<see cref="Compilation.FrameEstimate"/>) is at most <see cref="SmallFrameBytes"/>
/// checks every <see cref="CheckInterval"/> levels, for room for the <see cref="IntervalBytes"/>
/// the unchecked frames below it may take. A function with a larger frame cannot check itself: the
/// JIT's prologue probes and zeroes the whole frame before any IL runs, so a 240 KB frame would
/// touch the guard page first. Such a function is entered through a small entry method that checks
/// for room for the frame (plus <see cref="IntervalBytes"/>) and only then calls the body; direct
/// calls, tables, imports and exports all use that entry.</para>
/// </remarks>
internal static class StackGuard
{
    /// <summary>Levels between real stack checks; a power of two (generated code masks with it - 1).</summary>
    public const int CheckInterval = 32;

    /// <summary>The largest frame estimate of a function that checks only every <see cref="CheckInterval"/> levels.</summary>
    public const int SmallFrameBytes = 8 * 1024;

    /// <summary>Room the frames between two checks may take: <see cref="CheckInterval"/> small frames.</summary>
    public const int IntervalBytes = CheckInterval * SmallFrameBytes;

    /// <summary>
    /// Room kept below the limit: a host function called by the deepest guest frame, the thread's
    /// exception dispatch for the trap, and an entry method's own frame (up to 1,000 arguments).
    /// </summary>
    public const int ReserveBytes = 256 * 1024;

    /// <summary>The deepest call chain (<see cref="EngineLimits.MaxCallDepth"/>), whatever the stack's room.</summary>
    public const int MaxDepth = EngineLimits.MaxCallDepth;

    /// <summary>
    /// The depth at which a host function was called, so a call back into the guest continues
    /// counting from there (set by <see cref="StubSupport.CallHost"/>, read by <see cref="CallScope"/>).
    /// </summary>
    [ThreadStatic]
    internal static int HostCallDepth;

    /// <summary>Called by small-frame functions every <see cref="CheckInterval"/> levels, and where the host calls the guest.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Check(int depth, ExecutionState state)
    {
        if (depth > MaxDepth || !HasRoom(state, IntervalBytes)) throw Exhausted();
    }

    /// <summary>Called by the entry method of a large-frame function before its body's frame is taken.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void CheckFrame(int depth, ExecutionState state, int frameBytes)
    {
        if (depth > MaxDepth || !HasRoom(state, (long)frameBytes + IntervalBytes)) throw Exhausted();
    }

    private static unsafe bool HasRoom(ExecutionState state, long bytes)
    {
        var limit = state.StackLimit;
        // No known stack bottom (neither Linux nor Windows): the runtime's own, fixed margin, which
        // does not cover frames larger than it (docs/limits.md says so).
        if (limit == 0) return RuntimeHelpers.TryEnsureSufficientExecutionStack();
        byte marker = 0;
        return (long)(nint)(&marker) - limit >= bytes;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TrapException Exhausted() => new(TrapCode.CallStackExhausted);
}
