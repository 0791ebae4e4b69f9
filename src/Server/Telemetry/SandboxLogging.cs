using System.Diagnostics;
using Grpc.Core;
using Sandbox.Server.Internal;
using Sandbox.Server.Tenancy;
using Serilog;
using Serilog.AspNetCore;
using Serilog.Events;

namespace Sandbox.Server.Telemetry;

/// <summary>
/// Serilog for the host: levels, enrichers and overrides from the <c>Serilog</c> section
/// (Serilog.Settings.Configuration, so <c>Serilog:MinimumLevel:Default=Warning</c> quiets the
/// request log), the console as text or, with <c>Sandbox:LogFormat=json</c>, one JSON object per
/// line for log collectors; and one request log line per call with its gRPC outcome.
/// </summary>
public static class SandboxLogging
{
    /// <summary>The request log line: <c>acme Invoke OK in 0.412 ms trace 4bf92f35…</c>.</summary>
    public const string RequestTemplate = "{Tenant} {RpcMethod} {GrpcStatus} in {Elapsed:0.000} ms trace {TraceId}";

    private const string TextTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>Configures the host's logger from <paramref name="configuration"/>.</summary>
    public static void Configure(LoggerConfiguration logger, IConfiguration configuration, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(configuration);
        logger.ReadFrom.Configuration(configuration).ReadFrom.Services(services).Enrich.FromLogContext();
        if (string.Equals(configuration[SandboxServerOptions.SectionName + ":LogFormat"], "json", StringComparison.OrdinalIgnoreCase))
        {
            logger.WriteTo.Console(new Serilog.Formatting.Json.JsonFormatter(renderMessage: true));
        }
        else
        {
            logger.WriteTo.Console(outputTemplate: configuration["Serilog:OutputTemplate"] ?? TextTemplate);
        }
    }

    /// <summary>
    /// <c>UseSerilogRequestLogging</c>'s options: the gRPC status (the HTTP status of a failed
    /// gRPC call is still 200), tenant, RPC method and trace id on every request's line, at Error
    /// for a server fault (INTERNAL, UNKNOWN, DATA_LOSS or an exception) and Information otherwise.
    /// </summary>
    public static void ConfigureRequestLogging(RequestLoggingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.MessageTemplate = RequestTemplate;
        options.GetLevel = (context, _, exception) => exception is not null || GrpcCallStatus.Of(context) is StatusCode.Internal or StatusCode.Unknown or StatusCode.DataLoss
            ? LogEventLevel.Error
            : LogEventLevel.Information;
        options.EnrichDiagnosticContext = (diagnostics, context) =>
        {
            diagnostics.Set("GrpcStatus", GrpcCallStatus.Of(context));
            diagnostics.Set("Tenant", context.FindTenant()?.Id ?? "-");
            diagnostics.Set("RpcMethod", context.Request.Path.Value?.TrimStart('/') ?? "");
            diagnostics.Set("TraceId", Activity.Current?.TraceId.ToHexString() ?? "");
        };
    }
}
