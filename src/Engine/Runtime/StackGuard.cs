using System.Runtime.CompilerServices;

namespace Sandbox.Engine.Runtime;

/// <summary>
/// Bounds guest recursion (issue 3 "Stack"): a .NET stack overflow kills the process, so every
/// Wasm function receives its call depth as an argument (callers pass their own plus one: no
/// memory traffic, nothing to restore when a trap unwinds) and, every <see cref="CheckInterval"/>
/// levels (every level for functions with large frames), calls <see cref="Check"/>, which traps
/// with <see cref="TrapCode.CallStackExhausted"/> past <see cref="MaxDepth"/> or when the thread's
/// real stack runs low.
/// </summary>
internal static class StackGuard
{
    /// <summary>Levels between real stack checks; a power of two (generated code masks with it - 1).</summary>
    public const int CheckInterval = 32;

    /// <summary>
    /// A frame estimate above which a function checks on every entry, so that
    /// <see cref="CheckInterval"/> frames stay well inside the margin TryEnsureSufficientExecutionStack keeps.
    /// </summary>
    public const int LargeFrameBytes = 2048;

    public const int MaxDepth = 100_000;

    /// <summary>
    /// The depth at which a host function was called, so a call back into the guest continues
    /// counting from there (set by <see cref="StubSupport.CallHost"/>, read by <see cref="CallScope"/>).
    /// </summary>
    [ThreadStatic]
    internal static int HostCallDepth;

    /// <summary>Called by generated code at function entry.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Check(int depth)
    {
        if (depth > MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new TrapException(TrapCode.CallStackExhausted);
        }
    }
}
