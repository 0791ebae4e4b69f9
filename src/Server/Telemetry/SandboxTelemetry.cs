using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Sandbox.Server.Internal;

namespace Sandbox.Server.Telemetry;

/// <summary>
/// The OpenTelemetry providers, built and disposed by the host (OpenTelemetry.Extensions.Hosting
/// cannot be restored here). They exist only when an OTLP endpoint is configured:
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (with the SDK's other <c>OTEL_*</c> variables), or
/// <c>Sandbox:Telemetry:OtlpEndpoint</c> (always http/protobuf).
/// </summary>
public sealed class SandboxTelemetry : IDisposable
{
    private readonly MeterProvider? meterProvider;
    private readonly TracerProvider? tracerProvider;

    /// <summary>Builds the providers when an endpoint is configured.</summary>
    public SandboxTelemetry(IConfiguration configuration, ILogger<SandboxTelemetry> logger)
    {
        var configured = configuration["Sandbox:Telemetry:OtlpEndpoint"];
        var fromEnvironment = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (string.IsNullOrEmpty(configured) && string.IsNullOrEmpty(fromEnvironment)) return;
        var interval = configuration.GetValue<int?>("Sandbox:Telemetry:ExportIntervalMilliseconds");

        var resource = ResourceBuilder.CreateDefault().AddService("sandbox");
        meterProvider = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(SandboxMetrics.MeterName)
            .AddOtlpExporter((exporter, reader) =>
            {
                Configure(exporter, configured, "v1/metrics");
                if (interval is { } ms) reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = ms;
            })
            .Build();
        tracerProvider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(SandboxMetrics.MeterName)
            .AddOtlpExporter(exporter => Configure(exporter, configured, "v1/traces"))
            .Build();
        ServerLog.OtlpExport(logger, string.IsNullOrEmpty(configured) ? fromEnvironment! : configured);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // Disposing flushes what is still buffered.
        meterProvider?.Dispose();
        tracerProvider?.Dispose();
    }

    private static void Configure(OtlpExporterOptions exporter, string? endpoint, string signalPath)
    {
        if (string.IsNullOrEmpty(endpoint)) return; // the SDK reads OTEL_EXPORTER_OTLP_* itself
        // With an explicit endpoint, http/protobuf posts to exactly that URL: add the signal's path.
        exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = new Uri(endpoint.TrimEnd('/') + "/" + signalPath);
    }
}
