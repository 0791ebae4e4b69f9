using Microsoft.Extensions.Logging;
using Sandbox.Grpc;

namespace Sandbox.Server.Telemetry;

/// <summary>The per-RPC log line, with a stable event id (2xx: calls).</summary>
internal static partial class CallLog
{
    [LoggerMessage(200, LogLevel.Information, "{Tenant} {Method} {Status} in {ElapsedMs:0.000} ms trace {TraceId}")]
    public static partial void Served(ILogger logger, string tenant, string method, StatusCode status, double elapsedMs, string traceId);
}
