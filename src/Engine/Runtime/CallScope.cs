namespace Sandbox.Engine.Runtime;

/// <summary>
/// The host-to-guest boundary: runs an entry stub with the call's interruption armed, at the depth
/// of the host call it is nested in (if any), and gives traps their Wasm backtrace.
/// </summary>
internal static class CallScope
{
    public static void Run(EntryStub entry, Function function, ReadOnlySpan<Value> arguments, Span<Value> results, CallOptions? options)
    {
        var savedInterrupt = Interrupts.Current;
        CallInterrupt? interrupt = null;
        CancellationTokenRegistration registration = default;
        ITimer? timer = null;
        if (options is not null && (options.CancellationToken.CanBeCanceled || options.Timeout is not null))
        {
            interrupt = new CallInterrupt();
            if (options.CancellationToken.IsCancellationRequested) throw new TrapException(TrapCode.Interrupted);
            if (options.CancellationToken.CanBeCanceled)
            {
                registration = options.CancellationToken.UnsafeRegister(static state => ((CallInterrupt)state!).Request(), interrupt);
            }
            if (options.Timeout is { } timeout)
            {
                timer = (options.TimeProvider ?? TimeProvider.System)
                    .CreateTimer(static state => ((CallInterrupt)state!).Request(), interrupt, timeout, Timeout.InfiniteTimeSpan);
            }
            Interrupts.Current = interrupt;
        }
        try
        {
            entry(arguments, results, function, StackGuard.HostCallDepth + 1);
        }
        catch (TrapException trap) when (!trap.HasBacktrace)
        {
            trap.SetBacktrace(Backtraces.Capture(trap));
            throw;
        }
        finally
        {
            if (interrupt is not null)
            {
                timer?.Dispose();
                registration.Dispose();
                interrupt.Finish();
                Interrupts.Current = savedInterrupt;
            }
        }
    }
}
