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

    /// <summary>The whole case's bound: decoding, compiling and every call (a hang beyond the calls' own timeouts).</summary>
    public static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(60);

    public sealed record Result(Outcome Outcome, string? Finding, Trace? Ours = null, Trace? Wasmtime = null);

    public static Result Run(byte[] wasm, WasmtimeRunner wasmtime)
    {
        Sandbox.Engine.Module module;
        try
        {
            module = Sandbox.Engine.Module.FromBytes(wasm);
        }
        catch (WasmException)
        {
            return new Result(Outcome.Skipped, null); // the validity case reports a rejection
        }
        if (StubImports.For(module) is not { } stubs) return new Result(Outcome.Skipped, null);

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

        var work = Task.Run(() => SandboxRunner.Run(wasm, CallTimeout, stubs: stubs));
        Trace ours;
        try
        {
            if (!work.Wait(CaseTimeout)) return new Result(Outcome.Diverged, $"hang: the case took over {CaseTimeout.TotalSeconds} s", null, theirs);
            ours = work.Result;
        }
        catch (AggregateException e) when (e.InnerException is ResourceLimitException)
        {
            // The engine's documented limits (EngineLimits) refused what Wasmtime allows.
            return new Result(Outcome.Skipped, null, null, theirs);
        }
        catch (AggregateException e) when (e.InnerException is WasmException inner)
        {
            return new Result(Outcome.Diverged, $"our engine failed to link or instantiate a module Wasmtime ran: {inner.GetType().Name}: {inner.Message}", null, theirs);
        }
        catch (AggregateException e)
        {
            // Anything but a trap or the engine's own error escaping a call is a crash to a host.
            return new Result(Outcome.Diverged, "non-engine exception: " + e.InnerException, null, theirs);
        }
        if (ours.TimedOut) return new Result(Outcome.Diverged, "our engine timed out where Wasmtime finished", ours, theirs);
        if (TraceComparer.Compare(theirs, ours, againstV8: false) is { } difference)
        {
            return new Result(Outcome.Diverged, "versus Wasmtime: " + difference, ours, theirs);
        }
        return new Result(Outcome.Agreed, null, ours, theirs);
    }
}
