namespace Sandbox.Engine.Runtime;

/// <summary>
/// The stop request of one call. <see cref="Request"/> (from a timer or a cancellation callback,
/// any thread) raises the flag of the thread running the call, unless the call has finished;
/// the lock orders the two so a late request can never stop a later call.
/// </summary>
internal sealed class CallInterrupt(ExecutionState state)
{
    private bool finished;

    /// <summary>The <see cref="System.Diagnostics.Stopwatch"/> timestamp of the call's deadline, when <see cref="DeadlineClock"/> has it armed.</summary>
    public long Due { get; set; }

    /// <summary>Whether <see cref="DeadlineClock"/> has requested the interrupt for the deadline; written by its thread only.</summary>
    public bool Fired { get; set; }

    /// <summary>The timed call this one is nested in on its thread (<see cref="ExecutionState.TimedCall"/>'s chain).</summary>
    public CallInterrupt? EnclosingTimed { get; set; }

    public bool Requested { get; private set; }

    public void Request()
    {
        lock (this)
        {
            if (finished) return;
            Requested = true;
            Volatile.Write(ref state.Interrupt, 1);
        }
    }

    /// <summary>The call ended: withdraw an unobserved request, leaving an enclosing call's request in place.</summary>
    public void Finish(CallInterrupt? enclosing)
    {
        lock (this)
        {
            finished = true;
            Volatile.Write(ref state.Interrupt, enclosing?.Requested == true ? 1 : 0);
        }
    }
}
