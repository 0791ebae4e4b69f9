using Grpc.AspNetCore.Server;
using Sandbox.Server.Internal;
using Sandbox.Server.Pooling;
using Sandbox.Server.Tenancy;
using Sandbox.Server.Services;
using Sandbox.Server.Telemetry;
using Serilog;

namespace Sandbox.Server;

/// <summary>Puts the sandbox's middleware and endpoints on a built <see cref="WebApplication"/>.</summary>
public static class SandboxEndpointRouteBuilderExtensions
{
    /// <summary>
    /// The request pipeline (request logging, call telemetry, authentication, authorization) and
    /// the endpoints: <c>sandbox.v1.Sandbox</c> behind the tenant policy, gRPC health and
    /// reflection open to anyone, as generic tools expect.
    /// </summary>
    public static WebApplication MapSandbox(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The host's own logger: without it the middleware writes to the static Log.Logger, which
        // AddSerilog leaves alone (preserveStaticLogger).
        var requestLogger = app.Services.GetRequiredService<Serilog.ILogger>();
        app.UseSerilogRequestLogging(options =>
        {
            SandboxLogging.ConfigureRequestLogging(options);
            options.Logger = requestLogger;
        });
        // Outside authentication, so that refused calls (UNAUTHENTICATED) are measured too.
        app.UseMiddleware<CallTelemetryMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();

        MapSandboxService(app);
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();

        ObserveTenants(app.Services);
        if (SandboxTelemetry.Endpoint(app.Configuration) is { } endpoint) ServerLog.OtlpExport(app.Logger, endpoint);
        var lifetime = app.Lifetime;
        lifetime.ApplicationStarted.Register(() => ServerLog.Listening(app.Logger, string.Join(", ", SandboxServerHost.BoundAddresses(app))));
        lifetime.ApplicationStopping.Register(() => ServerLog.Stopping(app.Logger));
        return app;
    }

    /// <summary>
    /// <c>sandbox.v1.Sandbox</c>, bound through <see cref="RequestParsingBinder"/> so that a
    /// request body that does not parse answers INVALID_ARGUMENT (grpc-dotnet's answer is
    /// UNKNOWN), behind the tenant policy.
    /// </summary>
    private static void MapSandboxService(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SandboxService));
        var service = app.Services.GetRequiredService<SandboxService>();
        app.MapGrpcService(RequestParsingBinder.Bind(logger, binder => V1.Sandbox.BindService(binder, service)))
            .RequireAuthorization(ApiKeyAuthenticationHandler.PolicyName)
            .Add(endpoint =>
            {
                // A service mapped from a definition has no type of its own, and the reflection
                // service finds a service's descriptor from the type in its endpoints' metadata
                // (the last GrpcMethodMetadata): name the generated base class.
                if (endpoint.Metadata.OfType<GrpcMethodMetadata>().LastOrDefault() is { } grpc)
                {
                    endpoint.Metadata.Add(new GrpcMethodMetadata(typeof(V1.Sandbox.SandboxBase), grpc.Method));
                }
            });
    }

    private static void ObserveTenants(IServiceProvider services)
    {
        // The collector listens before the first measurement.
        services.GetRequiredService<TenantMetricsCollector>();
        var tenants = services.GetRequiredService<TenantRegistry>();
        var pool = services.GetRequiredService<IInstancePool>();
        services.GetRequiredService<SandboxMetrics>().ObserveTenants(() => tenants.Tenants.Select(t => new TenantGauges(
            t.Id, t.Instances.Count, t.Quota.MemoryBytesUsed(), t.Limits.MemoryBytes, pool.IdleCount(t))));
    }
}
