using System.Runtime.CompilerServices;

namespace Sandbox.Engine.Runtime;

/// <summary>
/// Interruption of running guest code, epoch style: generated code reads <see cref="Pending"/>
/// (one volatile load) at every loop header and function entry, and only when it is non-zero calls
/// <see cref="Poll"/>, which checks whether the current thread's call is the one asked to stop.
/// </summary>
internal static class Interrupts
{
    // Calls asked to stop that have not yet seen it; read by generated code with volatile.
    internal static int Pending;

    [ThreadStatic]
    private static CallInterrupt? current;

    internal static CallInterrupt? Current
    {
        get => current;
        set => current = value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Poll()
    {
        if (current is { } interrupt && interrupt.TryObserve())
        {
            throw new TrapException(TrapCode.Interrupted);
        }
    }
}

/// <summary>The stop request of one call: running, requested (counted in Pending) or finished.</summary>
internal sealed class CallInterrupt
{
    private const int Running = 0, Requested = 1, Finished = 2;
    private int state;

    /// <summary>Asks the call to stop (from any thread).</summary>
    public void Request()
    {
        if (Interlocked.CompareExchange(ref state, Requested, Running) == Running)
        {
            Interlocked.Increment(ref Interrupts.Pending);
        }
    }

    /// <summary>On the guest thread: true once, when a request is pending.</summary>
    public bool TryObserve()
    {
        if (Interlocked.CompareExchange(ref state, Finished, Requested) != Requested) return false;
        Interlocked.Decrement(ref Interrupts.Pending);
        return true;
    }

    /// <summary>The call ended: withdraw an unobserved request.</summary>
    public void Finish()
    {
        if (Interlocked.Exchange(ref state, Finished) == Requested) Interlocked.Decrement(ref Interrupts.Pending);
    }
}
