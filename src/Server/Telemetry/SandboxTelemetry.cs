using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Sandbox.Server.Telemetry;

/// <summary>
/// The <c>Sandbox</c> meter's services, and OpenTelemetry through OpenTelemetry.Extensions.Hosting
/// when an OTLP endpoint is configured: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (with the SDK's other
/// <c>OTEL_*</c> variables: protocol, headers, <c>OTEL_METRIC_EXPORT_INTERVAL</c>, ...), or
/// <c>Sandbox:Telemetry:OtlpEndpoint</c> (always http/protobuf). Metrics: the <c>Sandbox</c>
/// meter, ASP.NET Core's and the runtime's; traces: ASP.NET Core's server span per request, which
/// <see cref="CallTelemetryMiddleware"/> names and tags as an RPC span.
/// </summary>
public static class SandboxTelemetry
{
    /// <summary>The configuration key of the explicit OTLP endpoint.</summary>
    public const string OtlpEndpointKey = "Sandbox:Telemetry:OtlpEndpoint";

    /// <summary>Registers the meter, the per-tenant collector and, with an endpoint, OpenTelemetry.</summary>
    public static IServiceCollection AddSandboxTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<SandboxMetrics>();
        services.AddSingleton<TenantMetricsCollector>();
        if (Endpoint(configuration) is null) return services;

        var configured = configuration[OtlpEndpointKey];
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("sandbox"))
            .WithMetrics(metrics => metrics
                .AddMeter(SandboxMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(SandboxMetrics.MeterName)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.EnrichWithHttpResponse = CallTelemetryMiddleware.RenameSpan));
        if (string.IsNullOrEmpty(configured))
        {
            otel.UseOtlpExporter(); // the SDK reads OTEL_EXPORTER_OTLP_* itself
        }
        else
        {
            // http/protobuf with a base address: the exporter adds v1/metrics and v1/traces.
            otel.UseOtlpExporter(OtlpExportProtocol.HttpProtobuf, new Uri(configured));
        }
        if (configuration.GetValue<int?>("Sandbox:Telemetry:ExportIntervalMilliseconds") is { } interval)
        {
            services.Configure<MetricReaderOptions>(reader => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval);
        }
        return services;
    }

    /// <summary>The OTLP endpoint configured, or null for none (then nothing is exported).</summary>
    public static string? Endpoint(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration[OtlpEndpointKey];
        if (!string.IsNullOrEmpty(configured)) return configured;
        var fromEnvironment = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        return string.IsNullOrEmpty(fromEnvironment) ? null : fromEnvironment;
    }
}
