using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Sandbox.Engine;
using Sandbox.Engine.Wasi;
using Grpc.Core;
using CallOptions = Sandbox.Engine.CallOptions;
using Sandbox.Server.Internal;
using Sandbox.Server.Telemetry;
using Sandbox.Server.Tenancy;
using Sandbox.V1;
using EngineValue = Sandbox.Engine.Value;
using ProtoValue = Sandbox.V1.Value;

namespace Sandbox.Server.Execution;

/// <summary>Runs one call into guest code: arguments in, the tenant's deadline applied, results or a trap out.</summary>
internal sealed class GuestCalls(SandboxMetrics metrics)
{
    /// <summary>
    /// The engine options of a call: the tenant's default deadline unless the request asks for
    /// another, capped by the tenant's maximum; the gRPC deadline and a client's cancel interrupt
    /// the guest through the call's token.
    /// </summary>
    public CallOptions OptionsFor(Tenant tenant, CallLimits? limits, ServerCallContext context)
    {
        var timeout = tenant.Limits.DefaultCallTimeout;
        if (limits?.Timeout is { } requested)
        {
            var asked = requested.ToTimeSpan();
            if (asked < TimeSpan.Zero) throw new RpcException(new Status(StatusCode.InvalidArgument, "limits.timeout must not be negative"));
            if (asked > TimeSpan.Zero) timeout = asked;
        }
        if (timeout > tenant.Limits.MaxCallTimeout) timeout = tenant.Limits.MaxCallTimeout;
        long? fuel = tenant.Limits.FuelPerCall is { } perCall ? (long)Math.Min(perCall, long.MaxValue) : null;
        if (limits is { HasFuel: true })
        {
            if (fuel is null)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, "this tenant's modules are compiled without fuel metering (the server configures FuelPerCall per tenant); leave limits.fuel unset"));
            }
            fuel = Math.Min(fuel.Value, (long)Math.Min(limits.Fuel, long.MaxValue));
        }
        return new CallOptions { CancellationToken = context.CancellationToken, Timeout = timeout, Fuel = fuel, Usage = fuel is null ? null : new CallUsage() };
    }

    /// <summary>
    /// Calls <paramref name="function"/> through <paramref name="queue"/> (the instance's): behind
    /// the calls queued before it, on the request's thread when the instance is idle, else without
    /// holding it. A call still queued when the RPC is cancelled or its deadline passes never runs.
    /// With <paramref name="wasi"/>, a <c>proc_exit</c> ends the call normally (its code is the
    /// result's, and there are no results), and <paramref name="wasiResult"/> gets the call's exit
    /// code and output, taken in the call's turn so that the next queued call's cannot mix in.
    /// </summary>
    /// <remarks>
    /// Only the guest's run holds the instance's turn. The arguments are checked and converted
    /// before it (a wrong argument fails at once, not after the calls queued ahead), and the
    /// results after it: the funcref handles both use are the instance's own, under its lock.
    /// </remarks>
    public ValueTask<CallStats> CallAsync(CallQueue queue, Tenant tenant, Function function, IReadOnlyList<ProtoValue> args, HostedInstance? owner, string moduleLabel,
        CallOptions options, ServerCallContext context, ICollection<ProtoValue> results, WasiSession? wasi = null, V1.WasiResult? wasiResult = null)
    {
        var type = function.Type;
        // Value holds a reference (funcref, externref), so the buffers are arrays, not stack memory.
        var arguments = type.Parameters.Length == 0 ? [] : new EngineValue[type.Parameters.Length];
        var outputs = type.Results.Length == 0 ? [] : new EngineValue[type.Results.Length];
        ValueMapping.ToEngine(args, type, owner, arguments);
        var call = new PendingCall(this, tenant, function, arguments, outputs, moduleLabel, options, context, wasi, wasiResult);
        var run = queue.RunAsync(static call => call.Calls.Run(call), call, context.CancellationToken);
        return run.IsCompletedSuccessfully ? new ValueTask<CallStats>(Finish(run.Result, outputs, owner, results, options)) : FinishAsync(run, outputs, owner, results, options);
    }

    private static async ValueTask<CallStats> FinishAsync(ValueTask<Ran> run, EngineValue[] outputs, HostedInstance? owner, ICollection<ProtoValue> results, CallOptions options) =>
        Finish(await run.ConfigureAwait(false), outputs, owner, results, options);

    private static CallStats Finish(Ran ran, EngineValue[] outputs, HostedInstance? owner, ICollection<ProtoValue> results, CallOptions options)
    {
        if (!ran.Exited) ValueMapping.ToProto(outputs, owner, results);
        var stats = new CallStats { Duration = Duration.FromTimeSpan(ran.Elapsed) };
        if (options.Usage?.FuelConsumed is { } burned) stats.FuelConsumed = (ulong)burned;
        return stats;
    }

    // The guest's run, in the instance's turn: the call, a trap's status, and a WASI run's output.
    private Ran Run(in PendingCall call)
    {
        var started = Stopwatch.GetTimestamp();
        int? exitCode = null;
        try
        {
            call.Function.Invoke(call.Arguments, call.Outputs, call.Options);
        }
        catch (TrapException trap) when (call.Wasi is not null && WasiExitException.TryGetExitCode(trap, out var code))
        {
            // WASI application ABI: proc_exit ends the program, it does not fail it.
            exitCode = code;
        }
        catch (TrapException trap)
        {
            metrics.Trap(call.Tenant.Id, trap.Code);
            throw Traps.ToRpcException(trap, call.Context, call.ModuleLabel);
        }
        finally
        {
            // After a trap too: the next call of the instance captures afresh.
            call.Wasi?.Complete(exitCode ?? 0, call.WasiResult);
        }
        return new Ran(Stopwatch.GetElapsedTime(started), Exited: exitCode is not null);
    }

    /// <summary>The exported function, or NOT_FOUND.</summary>
    public static Function ExportedFunction(Instance instance, string name)
    {
        if (string.IsNullOrEmpty(name)) throw new RpcException(new Status(StatusCode.InvalidArgument, "function is required"));
        return instance.GetFunction(name) ?? throw new RpcException(new Status(StatusCode.NotFound, $"no function is exported as '{name}'"));
    }

    // One call's converted arguments and result buffer, carried through the queue without a closure.
    private readonly record struct PendingCall(GuestCalls Calls, Tenant Tenant, Function Function, EngineValue[] Arguments, EngineValue[] Outputs,
        string ModuleLabel, CallOptions Options, ServerCallContext Context, WasiSession? Wasi, V1.WasiResult? WasiResult);

    // What the turn hands back: how long the guest ran, and whether it ended by proc_exit (then it has no results).
    private readonly record struct Ran(TimeSpan Elapsed, bool Exited);
}
