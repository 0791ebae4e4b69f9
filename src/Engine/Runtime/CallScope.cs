namespace Sandbox.Engine.Runtime;

/// <summary>
/// The host-to-guest boundary: runs an entry stub with the call's interruption armed, at the depth
/// of the host call it is nested in (if any), and gives traps their Wasm backtrace.
/// </summary>
internal static class CallScope
{
    public static void Run(EntryStub entry, Function function, ReadOnlySpan<Value> arguments, Span<Value> results, CallOptions? options)
    {
        var state = ExecutionState.Current;
        // A host function calling back may have taken stack of its own since the guest's last check.
        StackGuard.Check(StackGuard.HostCallDepth + 1, state);
        // Refused before anything is armed: nothing armed may outlive the call (a stale deadline would stop a later one).
        if (options?.Fuel is not null && function.Instance is { } instance && !instance.Module.Options.ConsumeFuel)
        {
            throw new InvalidOperationException("a fuel budget needs a module compiled with EngineOptions.ConsumeFuel");
        }
        var enclosing = state.ActiveInterrupt;
        CallInterrupt? interrupt = null;
        CancellationTokenRegistration registration = default;
        IDisposable? timer = null; // a test's TimeProvider's
        var armed = false; // on DeadlineClock
        if (options is not null && (options.CancellationToken.CanBeCanceled || options.Timeout is not null))
        {
            if (options.CancellationToken.IsCancellationRequested) throw new TrapException(TrapCode.Interrupted);
            interrupt = new CallInterrupt(state);
            state.ActiveInterrupt = interrupt;
            if (options.CancellationToken.CanBeCanceled)
            {
                registration = options.CancellationToken.UnsafeRegister(static s => ((CallInterrupt)s!).Request(), interrupt);
            }
            if (options.Timeout is { } timeout)
            {
                // A test's TimeProvider keeps its own timers; real time uses the dedicated clock.
                if (options.TimeProvider is { } provider && provider != TimeProvider.System)
                {
                    timer = provider.CreateTimer(static s => ((CallInterrupt)s!).Request(), interrupt, timeout, Timeout.InfiniteTimeSpan);
                }
                else
                {
                    armed = DeadlineClock.Arm(state, interrupt, timeout);
                }
            }
        }
        // Fuel: this call's budget replaces the thread's remaining fuel while it runs (a nested call
        // gets no more than its caller has left); what it burns is then charged to the caller.
        var outerFuel = state.Fuel;
        var budget = long.MaxValue;
        if (options?.Fuel is { } fuel)
        {
            budget = Math.Min(Math.Max(fuel, 0), outerFuel);
            state.Fuel = budget;
        }
        try
        {
            entry(arguments, results, function, StackGuard.HostCallDepth + 1, state);
        }
        catch (TrapException trap) when (!trap.HasBacktrace)
        {
            trap.SetBacktrace(Backtraces.Capture(trap));
            throw;
        }
        catch (Exception e) when (e is InvalidProgramException or BadImageFormatException or TypeLoadException or MissingMemberException)
        {
            // The JIT refused generated code: a limit of the engine EngineLimits missed (a bug to
            // report). The caller sees a trap, as for any failure inside the call, not a CLR exception.
            throw new TrapException(TrapCode.HostError, $"engine implementation limit: {e.GetType().Name}: {e.Message}", e);
        }
        finally
        {
            if (budget != long.MaxValue)
            {
                var burned = budget - Math.Max(state.Fuel, 0);
                state.Fuel = outerFuel == long.MaxValue ? long.MaxValue : outerFuel - burned;
                if (options!.Usage is { } usage) usage.FuelConsumed = burned;
            }
            if (interrupt is not null)
            {
                timer?.Dispose();
                if (armed) DeadlineClock.Disarm(state, interrupt);
                registration.Dispose();
                interrupt.Finish(enclosing);
                state.ActiveInterrupt = enclosing;
            }
        }
    }
}
