using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sandbox.Grpc;
using Sandbox.Grpc.Server;
using Sandbox.Server.Internal;
using Sandbox.Server.Tenancy;
using Sandbox.V1;

namespace Sandbox.Server.Telemetry;

/// <summary>
/// Around every call of <c>sandbox.v1.Sandbox</c>: a server span continuing the caller's W3C
/// <c>traceparent</c>, the call metrics, and one log line (tenant, method, status, duration, trace id).
/// Registered before <see cref="TenantInterceptor"/>, so refused calls are seen too.
/// </summary>
public sealed class CallTelemetryInterceptor(SandboxMetrics metrics, ILogger<CallTelemetryInterceptor> logger) : Interceptor
{
    /// <summary>The activity source of the server spans.</summary>
    public static readonly ActivitySource Source = new(SandboxMetrics.MeterName);

    private static readonly string ServicePrefix = "/" + SandboxGrpc.ServiceName + "/";

    // Per method (a handful of static strings): the RPC's short name and the span's name, so that
    // a call allocates neither.
    private static readonly ConcurrentDictionary<string, (string Rpc, string Span)> Names = new();

    /// <inheritdoc/>
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (!context.Method.StartsWith(ServicePrefix, StringComparison.Ordinal)) return await continuation(request, context).ConfigureAwait(false);
        var call = Begin(context);
        try
        {
            var response = await continuation(request, context).ConfigureAwait(false);
            End(call, context, null);
            return response;
        }
        catch (Exception e)
        {
            End(call, context, e);
            throw;
        }
    }

    /// <inheritdoc/>
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!context.Method.StartsWith(ServicePrefix, StringComparison.Ordinal)) return await continuation(requestStream, context).ConfigureAwait(false);
        var call = Begin(context);
        try
        {
            var response = await continuation(requestStream, context).ConfigureAwait(false);
            End(call, context, null);
            return response;
        }
        catch (Exception e)
        {
            End(call, context, e);
            throw;
        }
    }

    /// <inheritdoc/>
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!context.Method.StartsWith(ServicePrefix, StringComparison.Ordinal))
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
            return;
        }
        var call = Begin(context);
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
            End(call, context, null);
        }
        catch (Exception e)
        {
            End(call, context, e);
            throw;
        }
    }

    private static (Activity? Activity, long Started) Begin(ServerCallContext context)
    {
        ActivityContext parent = default;
        if (context.GetRequestHeader("traceparent") is { } traceparent)
        {
            ActivityContext.TryParse(traceparent, context.GetRequestHeader("tracestate"), isRemote: true, out parent);
        }
        var activity = Source.HasListeners() ? Source.StartActivity(NamesOf(context.Method).Span, ActivityKind.Server, parent) : null;
        if (activity is not null)
        {
            activity.SetTag("rpc.system", "grpc");
            activity.SetTag("rpc.service", SandboxGrpc.ServiceName);
            activity.SetTag("rpc.method", RpcName(context));
        }
        return (activity, Stopwatch.GetTimestamp());
    }

    private void End((Activity? Activity, long Started) call, ServerCallContext context, Exception? error)
    {
        var elapsed = Stopwatch.GetElapsedTime(call.Started);
        var status = error switch
        {
            null => context.Status.StatusCode,
            RpcException rpc => rpc.StatusCode,
            // The call's token fires for the deadline as for a client's cancel (issue 13: three in
            // four calls ended by their deadline were counted as Cancelled).
            OperationCanceledException => Deadlines.Passed(context) ? StatusCode.DeadlineExceeded : StatusCode.Cancelled,
            _ => StatusCode.Internal,
        };
        var tenant = context.FindTenant()?.Id;
        var rpcName = RpcName(context);
        metrics.Call(rpcName, tenant, status, elapsed);
        var traceId = call.Activity?.TraceId.ToString() ?? "";
        if (call.Activity is { } activity)
        {
            activity.SetTag("rpc.grpc.status_code", SandboxMetrics.Boxed(status));
            if (tenant is not null) activity.SetTag("sandbox.tenant", tenant);
            if (status != StatusCode.OK) activity.SetStatus(ActivityStatusCode.Error, status.ToString());
            activity.Dispose();
        }
        CallLog.Served(logger, tenant ?? "-", rpcName, status, elapsed.TotalMilliseconds, traceId);
    }

    private static string RpcName(ServerCallContext context) => NamesOf(context.Method).Rpc;

    private static (string Rpc, string Span) NamesOf(string method) =>
        Names.TryGetValue(method, out var names) ? names : Names.GetOrAdd(method, static m =>
            (m.StartsWith(ServicePrefix, StringComparison.Ordinal) ? m[ServicePrefix.Length..] : m, m.TrimStart('/')));
}
