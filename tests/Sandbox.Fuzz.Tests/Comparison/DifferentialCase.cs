using Sandbox.Engine;
using Sandbox.Fuzz.Tests.Execution;
using Sandbox.Fuzz.Tests.Generation;
using Sandbox.Fuzz.Tests.Support;

namespace Sandbox.Fuzz.Tests.Comparison;

/// <summary>One generated module run in the three engines and compared: our engine against
/// Wasmtime exactly (within <see cref="TraceComparer"/>'s NaN rule), and against V8.</summary>
public static class DifferentialCase
{
    public enum Outcome { Agreed, Skipped, Diverged }

    public sealed record Result(Outcome Outcome, string? Divergence, Trace? Ours, Trace? Wasmtime, Trace? V8);

    /// <param name="split">Our engine splits every function as far as it goes (<see cref="FuzzSettings.Split"/>).</param>
    /// <param name="nansKept">The module was generated without <c>--denan</c> (<see cref="FuzzSettings.Denan"/>):
    /// against V8, integer values may then differ (<see cref="TraceComparer.Compare"/>).</param>
    public static Result Run(byte[] wasm, WasmtimeRunner wasmtime, bool split = false, bool nansKept = false)
    {
        Trace wasmtimeTrace;
        try
        {
            wasmtimeTrace = wasmtime.Run(wasm);
        }
        catch (Wasmtime.WasmtimeException e)
        {
            // Wasmtime rejecting a generated module means the generator's features and Wasmtime's
            // disagree; our engine must then reject it too.
            return RejectedByWasmtime(wasm, e.Message);
        }
        if (wasmtimeTrace.TimedOut) return new Result(Outcome.Skipped, "Wasmtime ran out of fuel", null, wasmtimeTrace, null);

        Trace ours;
        try
        {
            ours = SandboxRunner.Run(wasm, FuzzSettings.CallTimeout, FuzzSettings.EngineOptions(split));
        }
        catch (WasmException e)
        {
            return new Result(Outcome.Diverged, $"our engine rejected a module Wasmtime runs: {e.GetType().Name}: {e.Message}", null, wasmtimeTrace, null);
        }
        if (ours.TimedOut) return new Result(Outcome.Diverged, "our engine timed out where Wasmtime finished", ours, wasmtimeTrace, null);
        if (TraceComparer.Compare(wasmtimeTrace, ours, againstV8: false) is { } versusWasmtime)
        {
            return new Result(Outcome.Diverged, "versus Wasmtime: " + versusWasmtime, ours, wasmtimeTrace, null);
        }

        var v8 = NodeRunner.Run(wasm, wasmtime.Plan(wasm));
        if (v8.TimedOut) return new Result(Outcome.Agreed, "V8 timed out; compared with Wasmtime only", ours, wasmtimeTrace, v8);
        if (TraceComparer.Compare(v8, ours, againstV8: true, integersMayHoldNaNs: nansKept) is { } versusV8)
        {
            // Wasmtime agrees with us here, so this is V8 against the two of us; still a finding.
            return new Result(Outcome.Diverged, "versus V8: " + versusV8, ours, wasmtimeTrace, v8);
        }
        return new Result(Outcome.Agreed, null, ours, wasmtimeTrace, v8);
    }

    private static Result RejectedByWasmtime(byte[] wasm, string message)
    {
        try
        {
            Sandbox.Engine.Module.FromBytes(wasm);
        }
        catch (WasmException)
        {
            return new Result(Outcome.Skipped, "both engines reject the module: " + message, null, null, null);
        }
        return new Result(Outcome.Diverged, "Wasmtime rejects, our engine accepts: " + message, null, null, null);
    }

    /// <summary>Saves a finding as <c>seed-N.wasm</c> with its traces beside it; returns the path.</summary>
    public static string Save(string name, byte[] wasm, Result result)
    {
        Directory.CreateDirectory(FuzzSettings.OutputDirectory);
        var path = Path.Combine(FuzzSettings.OutputDirectory, name + ".wasm");
        File.WriteAllBytes(path, wasm);
        File.WriteAllText(Path.ChangeExtension(path, ".txt"),
            $"{result.Divergence}\n\n== ours\n{result.Ours}\n\n== wasmtime\n{result.Wasmtime}\n\n== v8\n{result.V8}\n");
        return path;
    }
}
