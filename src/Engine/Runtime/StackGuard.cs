using System.Runtime.CompilerServices;

namespace Sandbox.Engine.Runtime;

/// <summary>
/// Bounds guest recursion (issue 3 "Stack"): a .NET stack overflow kills the process, so every
/// Wasm function entry bumps <see cref="Depth"/> and, every <see cref="CheckInterval"/> frames (every
/// frame for functions with large frames), calls <see cref="Check"/>, which traps with
/// <see cref="TrapCode.CallStackExhausted"/> past <see cref="MaxDepth"/> or when the thread's real
/// stack runs low. Depth is restored by <see cref="CallScope"/> when a call unwinds by a trap.
/// </summary>
internal static class StackGuard
{
    /// <summary>Frames between real stack checks; a power of two (generated code masks with it - 1).</summary>
    public const int CheckInterval = 32;

    /// <summary>A frame estimate above which a function checks the stack on every entry.</summary>
    public const int LargeFrameBytes = 2048;

    public const int MaxDepth = 100_000;

    [ThreadStatic]
    internal static int Depth;

    /// <summary>Called at function entry by generated code; also the place interrupts are polled on entry.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Check()
    {
        if (Depth > MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new TrapException(TrapCode.CallStackExhausted);
        }
    }
}
