using Sandbox.Engine;
using Sandbox.Fuzz.Tests.Comparison;
using Sandbox.Fuzz.Tests.Execution;

namespace Sandbox.Fuzz.Tests.Mutation;

/// <summary>
/// One mutated module that both engines accept, run in both with its own imports stubbed
/// (<see cref="StubImports"/>): instantiated, every function export called with zero arguments,
/// exported memories hashed. Ours must neither crash, nor throw anything but the engine's own
/// errors, nor hang, and must leave the same trace as Wasmtime (<see cref="TraceComparer"/>).
/// Mutants reach corners binaryen's generator never writes: odd block types, branch tables,
/// element and data segments, start functions, imports of every kind.
/// </summary>
public static class ExecutionCase
{
    public enum Outcome { Agreed, Skipped, Diverged }

    /// <summary>Fuel per call in Wasmtime: mutants often loop forever, so less than a generated module's bound.</summary>
    public const ulong WasmtimeFuel = 5_000_000;

    /// <summary>Our bound per call: far more than 5 million instructions take here, so a timeout where Wasmtime finished is a finding.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The bound of our compilation, and of our whole run (a hang beyond the calls' own timeouts).</summary>
    public static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(60);

    public sealed record Result(Outcome Outcome, string? Finding, Trace? Ours = null, Trace? Wasmtime = null);

    public static Result Run(byte[] wasm, WasmtimeRunner wasmtime)
    {
        // Compiled once, under the case's bound, and run from that compilation below.
        var (module, compileError, compileFinding) = Bounded(() => Sandbox.Engine.Module.FromBytes(wasm));
        if (compileFinding is not null) return new Result(Outcome.Diverged, compileFinding);
        if (compileError is not null) return new Result(Outcome.Skipped, null); // the validity run reports a rejection
        if (StubImports.For(module!) is not { } stubs) return new Result(Outcome.Skipped, null);

        Trace theirs;
        try
        {
            theirs = wasmtime.Run(wasm, stubs, WasmtimeFuel);
        }
        catch (Wasmtime.WasmtimeException)
        {
            // A stub Wasmtime will not link, or an instance it will not make (a table or memory
            // beyond its limits): nothing to compare with.
            return new Result(Outcome.Skipped, null);
        }
        if (theirs.TimedOut) return new Result(Outcome.Skipped, null);

        var (ours, runError, runFinding) = Bounded(() => SandboxRunner.Run(module!, CallTimeout, stubs));
        if (runFinding is not null) return new Result(Outcome.Diverged, runFinding, null, theirs);
        // The engine's documented limits (EngineLimits) refusing what Wasmtime allows skip the case.
        if (runError is ResourceLimitException) return new Result(Outcome.Skipped, null, null, theirs);
        if (runError is not null)
        {
            return new Result(Outcome.Diverged, $"our engine failed to link or instantiate a module Wasmtime ran: {runError.GetType().Name}: {runError.Message}", null, theirs);
        }
        if (ours!.TimedOut) return new Result(Outcome.Diverged, "our engine timed out where Wasmtime finished", ours, theirs);
        if (TraceComparer.Compare(theirs, ours, againstV8: false) is { } difference)
        {
            return new Result(Outcome.Diverged, "versus Wasmtime: " + difference, ours, theirs);
        }
        return new Result(Outcome.Agreed, null, ours, theirs);
    }

    /// <summary>
    /// Our engine's part of the case, on a thread of its own within <see cref="CaseTimeout"/>: its
    /// value, or the engine's own error, or a finding (a hang, or any other exception, which is a
    /// crash to a host).
    /// </summary>
    private static (T? Value, WasmException? Error, string? Finding) Bounded<T>(Func<T> work) where T : class
    {
        var task = Task.Run(work);
        try
        {
            if (!task.Wait(CaseTimeout)) return (null, null, $"hang: over {CaseTimeout.TotalSeconds} s");
            return (task.Result, null, null);
        }
        catch (AggregateException e) when (e.InnerException is WasmException error)
        {
            return (null, error, null);
        }
        catch (AggregateException e)
        {
            return (null, null, "non-engine exception: " + e.InnerException);
        }
    }
}
