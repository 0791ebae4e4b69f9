using System.Collections.Concurrent;
using System.Diagnostics;
using Sandbox.Server.Internal;
using Sandbox.Server.Tenancy;
using Sandbox.V1;

namespace Sandbox.Server.Telemetry;

/// <summary>
/// Around every call of <c>sandbox.v1.Sandbox</c>: the call metrics (<c>sandbox.calls</c>,
/// <c>sandbox.call.duration</c>, <c>rpc.server.duration</c> with the semantic conventions'
/// <c>rpc.*</c> attributes) and the RPC name and attributes on ASP.NET Core's server span, which
/// continues the caller's W3C <c>traceparent</c>. Placed before authentication, so refused calls
/// (UNAUTHENTICATED) are measured too.
/// </summary>
internal sealed class CallTelemetryMiddleware(RequestDelegate next, SandboxMetrics metrics)
{
    private static readonly string ServicePrefix = "/" + SandboxGrpc.ServiceName + "/";

    // Per path (a handful of static strings): the RPC's short name and the span's name, so that
    // a call allocates neither.
    private static readonly ConcurrentDictionary<string, (string Rpc, string Span)> Names = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path is null || !path.StartsWith(ServicePrefix, StringComparison.Ordinal))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var started = Stopwatch.GetTimestamp();
        var names = NamesOf(path);
        var activity = Traced(Activity.Current);
        if (activity is not null)
        {
            activity.DisplayName = names.Span;
            activity.SetTag("rpc.system", "grpc");
            activity.SetTag("rpc.service", SandboxGrpc.ServiceName);
            activity.SetTag("rpc.method", names.Rpc);
        }
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            var status = GrpcCallStatus.Of(context);
            var tenant = context.FindTenant()?.Id;
            metrics.Call(names.Rpc, tenant, status, Stopwatch.GetElapsedTime(started));
            if (activity is not null)
            {
                activity.SetTag("rpc.grpc.status_code", SandboxMetrics.Boxed(status));
                if (tenant is not null) activity.SetTag("sandbox.tenant", tenant);
                if (status != Grpc.Core.StatusCode.OK) activity.SetStatus(ActivityStatusCode.Error, status.ToString());
            }
        }
    }

    // The request's span if anyone records it. ASP.NET Core starts an activity for every request
    // while logging is on, to correlate its logs, but with no listener on its source (no tracing
    // configured) nothing reads the activity's tags: setting them cost about 0.25 KB per call.
    private static Activity? Traced(Activity? activity) =>
        activity is { IsAllDataRequested: true } && activity.Source.HasListeners() ? activity : null;

    /// <summary>
    /// OpenTelemetry's ASP.NET Core instrumentation's <c>EnrichWithHttpResponse</c>: when it stops a
    /// request's span it renames it <c>POST /route</c> from the endpoint's route pattern, after
    /// this middleware named it, and enriches afterwards, so the RPC's span name is put back here.
    /// </summary>
    internal static void RenameSpan(Activity activity, HttpResponse response)
    {
        var path = response.HttpContext.Request.Path.Value;
        if (path is not null && path.StartsWith(ServicePrefix, StringComparison.Ordinal)) activity.DisplayName = NamesOf(path).Span;
    }

    private static (string Rpc, string Span) NamesOf(string path) =>
        Names.TryGetValue(path, out var names) ? names : Names.GetOrAdd(path, static p => (p[ServicePrefix.Length..], p.TrimStart('/')));
}
