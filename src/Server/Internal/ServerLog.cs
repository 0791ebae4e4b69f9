using Microsoft.Extensions.Logging;

namespace Sandbox.Server.Internal;

/// <summary>The host's log messages, with stable event ids (1xx: lifetime, 2xx: calls, 3xx: tenancy and pool).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(100, LogLevel.Information, "Sandbox serving gRPC on {Addresses}")]
    public static partial void Listening(ILogger logger, string addresses);

    [LoggerMessage(101, LogLevel.Information, "Sandbox stopping")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(200, LogLevel.Debug, "Request of {Method} could not be parsed: {Reason}")]
    public static partial void RequestNotParsed(ILogger logger, string method, string reason);

    [LoggerMessage(300, LogLevel.Warning, "No tenants configured (Sandbox:Tenants): serving a single 'dev' tenant, without API keys, to loopback callers only")]
    public static partial void DevTenant(ILogger logger);

    [LoggerMessage(301, LogLevel.Information, "{Count} tenants configured")]
    public static partial void TenantsConfigured(ILogger logger, int count);

    [LoggerMessage(302, LogLevel.Warning, "Pool refill for tenant {Tenant} module {ModuleId} failed: {Reason}")]
    public static partial void PoolRefillFailed(ILogger logger, string tenant, string moduleId, string reason);

    [LoggerMessage(303, LogLevel.Information, "OpenTelemetry export over OTLP to {Endpoint}")]
    public static partial void OtlpExport(ILogger logger, string endpoint);
}
