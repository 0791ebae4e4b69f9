using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using Sandbox.Grpc.Health;
using Sandbox.Grpc.Server;
using Sandbox.Server.Internal;
using Sandbox.Server.Execution;
using Sandbox.Server.Pooling;
using Sandbox.Server.Services;
using Sandbox.Server.Telemetry;
using Sandbox.Server.Tenancy;
using Sandbox.V1;
using Serilog;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace Sandbox.Server;

/// <summary>
/// Composes the server: configuration, Serilog, Kestrel with h2c endpoints, the gRPC wire layer
/// and the services. <c>Program</c> runs it; tests start it in process with
/// <see cref="StartAsync"/> on port 0.
/// </summary>
public static class SandboxServerHost
{
    private const string EmbeddedSettings = "Sandbox.Server.appsettings.json";

    /// <summary>
    /// Builds the application without starting it.
    /// </summary>
    /// <param name="args">Command-line arguments: any configuration key as <c>--Key=value</c>, and
    /// <c>--listen ADDRESSES</c> for <see cref="SandboxServerOptions.Listen"/>.</param>
    /// <param name="settings">Configuration that overrides every other source (for tests).</param>
    public static WebApplication Build(string[] args, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The content root holds an optional appsettings.json that overrides the embedded one;
            // the base directory keeps that independent of where the server is started from.
            ContentRootPath = AppContext.BaseDirectory,
        });
        ConfigureConfiguration(builder.Configuration, args, settings);

        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(CreateLogger(builder.Configuration), dispose: true);

        var options = builder.Configuration.GetSection(SandboxServerOptions.SectionName).Get<SandboxServerOptions>() ?? new SandboxServerOptions();
        var listen = ListenAddress.ParseList(options.Listen);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var address in listen)
            {
                Listen(kestrel, address);
            }
        });

        builder.Services.Configure<SandboxServerOptions>(builder.Configuration.GetSection(SandboxServerOptions.SectionName));
        builder.Services.AddGrpcWire(grpc => builder.Configuration.GetSection(SandboxServerOptions.SectionName + ":Grpc").Bind(grpc));
        AddSandboxServices(builder.Services, builder.Configuration);

        ReserveThreadsForGuests(options);
        var app = builder.Build();
        app.MapGrpcService<SandboxService>(SandboxGrpc.BindService);
        app.MapGrpcHealthService();
        app.MapGrpcReflectionService();

        var lifetime = app.Lifetime;
        lifetime.ApplicationStarted.Register(() => OnStarted(app));
        lifetime.ApplicationStopping.Register(() => OnStopping(app));
        StartTelemetry(app);
        return app;
    }

    /// <summary>
    /// Guest calls may hold up to <see cref="SandboxServerOptions.InlineGuestCalls"/> thread-pool
    /// threads (docs/service.md "Guest threads and the call queue"). The pool starts that many
    /// more threads than it would at once, rather than after its starvation delay, so guests that
    /// run long never leave Kestrel's I/O and other requests waiting for a thread.
    /// </summary>
    private static void ReserveThreadsForGuests(SandboxServerOptions options)
    {
        Engine.GuestExecution.MaxInlineCalls = options.InlineGuestCalls > 0 ? options.InlineGuestCalls : Math.Max(1, Environment.ProcessorCount - 1);
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var wanted = Environment.ProcessorCount + Engine.GuestExecution.MaxInlineCalls;
        if (workers < wanted) ThreadPool.SetMinThreads(wanted, completionPorts);
    }

    private static void AddSandboxServices(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<InstancePoolOptions>(configuration.GetSection(InstancePoolOptions.SectionName));
        services.AddSingleton<TenantRegistry>();
        services.AddSingleton<SandboxMetrics>();
        services.AddSingleton<TenantMetricsCollector>();
        services.AddSingleton<SandboxTelemetry>();
        services.AddSingleton<IInstancePool, InstancePool>();
        services.AddSingleton<InstanceManager>();
        services.AddSingleton<CompileScheduler>();
        services.AddSingleton<ModuleCatalog>();
        services.AddSingleton<GuestCalls>();
        services.AddSingleton<TenantInterceptor>();
        services.AddSingleton<CallTelemetryInterceptor>();
        services.AddSingleton<SandboxService>();
        // Telemetry outermost, so that refused calls (UNAUTHENTICATED, RESOURCE_EXHAUSTED) are measured and logged too.
        services.AddOptions<GrpcServerOptions>().Configure<CallTelemetryInterceptor, TenantInterceptor>((grpc, telemetry, tenancy) =>
        {
            grpc.Interceptors.Add(telemetry);
            grpc.Interceptors.Add(tenancy);
        }).PostConfigure<TenantRegistry>((grpc, tenants) => grpc.MaxReceiveMessageSize = ReceiveLimit(grpc.MaxReceiveMessageSize, tenants));
    }

    /// <summary>
    /// Room a CompileModule, Instantiate or Execute request needs beyond the module itself: its
    /// other fields and their framing.
    /// </summary>
    internal const int RequestOverheadBytes = 64 << 10;

    /// <summary>
    /// The receive limit that lets every tenant upload a module up to its <c>ModuleBytes</c>
    /// (issue 13: the 4 MiB default refused modules long before the 16 MiB module limit applied):
    /// the configured <c>Sandbox:Grpc:MaxReceiveMessageSize</c>, raised where a tenant's module
    /// limit needs more. The tenant's own limit then refuses a larger module by name.
    /// </summary>
    internal static int? ReceiveLimit(int? configured, TenantRegistry tenants)
    {
        if (configured is null) return null; // unlimited stays unlimited
        var largest = tenants.Tenants.Select(t => t.Limits.ModuleBytes).DefaultIfEmpty(0UL).Max();
        var needed = (long)Math.Min(largest + RequestOverheadBytes, int.MaxValue);
        return (int)Math.Max(configured.Value, needed);
    }

    private static void StartTelemetry(WebApplication app)
    {
        var services = app.Services;
        // The collector listens before the first measurement; the providers exist only with an OTLP endpoint.
        services.GetRequiredService<TenantMetricsCollector>();
        services.GetRequiredService<SandboxTelemetry>();
        var tenants = services.GetRequiredService<TenantRegistry>();
        var pool = services.GetRequiredService<IInstancePool>();
        services.GetRequiredService<SandboxMetrics>().ObserveTenants(() => tenants.Tenants.Select(t => new TenantGauges(
            t.Id, t.Instances.Count, t.Quota.MemoryBytesUsed(), t.Limits.MemoryBytes, pool.IdleCount(t))));
    }

    /// <summary>
    /// Serilog from the <c>Serilog</c> section, writing to the console as text or, with
    /// <c>Sandbox:LogFormat=json</c>, one JSON object per line for log collectors.
    /// </summary>
    private static Serilog.ILogger CreateLogger(IConfiguration configuration)
    {
        var logger = new LoggerConfiguration().ReadFrom.Configuration(configuration);
        if (string.Equals(configuration[SandboxServerOptions.SectionName + ":LogFormat"], "json", StringComparison.OrdinalIgnoreCase))
        {
            logger.WriteTo.Console(new Serilog.Formatting.Json.JsonFormatter(renderMessage: true));
        }
        else
        {
            logger.WriteTo.Console(outputTemplate: configuration["Serilog:OutputTemplate"] ?? TextTemplate);
        }
        return logger.CreateLogger();
    }

    private const string TextTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Builds and starts the server, and returns once it listens. Pass
    /// <c>Sandbox:Listen = http://127.0.0.1:0</c> in <paramref name="settings"/> for a free port.
    /// </summary>
    public static async Task<SandboxServer> StartAsync(string[]? args = null, IEnumerable<KeyValuePair<string, string?>>? settings = null, CancellationToken cancellationToken = default)
    {
        var app = Build(args ?? [], settings);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new SandboxServer(app, BoundAddresses(app));
    }

    /// <summary>The addresses Kestrel actually bound, with port 0 resolved.</summary>
    internal static IReadOnlyList<Uri> BoundAddresses(WebApplication app)
    {
        var feature = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        return feature?.Addresses.Select(a => new Uri(a)).ToArray() ?? [];
    }

    private static void ConfigureConfiguration(ConfigurationManager configuration, string[] args, IEnumerable<KeyValuePair<string, string?>>? settings)
    {
        // Lowest priority: the defaults compiled into the assembly.
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = ReadEmbeddedSettings() });
        // A short switch for the one setting people change most.
        configuration.AddCommandLine(args, new Dictionary<string, string>
        {
            ["--listen"] = $"{SandboxServerOptions.SectionName}:{nameof(SandboxServerOptions.Listen)}",
        });
        if (settings is not null)
        {
            configuration.AddInMemoryCollection(settings);
        }
    }

    private static IEnumerable<KeyValuePair<string, string?>> ReadEmbeddedSettings()
    {
        // Read once into key/value pairs: a stream-backed source could not be loaded again when
        // ConfigurationManager rebuilds its providers.
        using var stream = typeof(SandboxServerHost).Assembly.GetManifestResourceStream(EmbeddedSettings)
            ?? throw new InvalidOperationException($"The embedded resource {EmbeddedSettings} is missing.");
        return new ConfigurationBuilder().AddJsonStream(stream).Build().AsEnumerable().ToArray();
    }

    private static void Listen(KestrelServerOptions kestrel, ListenAddress address)
    {
        // h2c: cleartext HTTP/2 has no ALPN to negotiate with, so the endpoint speaks HTTP/2 only
        // (gRPC clients use prior knowledge, RFC 9113 section 3.3).
        static void Http2(ListenOptions listen) => listen.Protocols = HttpProtocols.Http2;
        switch (address.Host)
        {
            case ListenHost.Loopback when address.Port == 0:
                kestrel.Listen(IPAddress.Loopback, 0, Http2);
                break;
            case ListenHost.Loopback:
                kestrel.ListenLocalhost(address.Port, Http2);
                break;
            case ListenHost.Any:
                kestrel.ListenAnyIP(address.Port, Http2);
                break;
            default:
                kestrel.Listen(address.Address!, address.Port, Http2);
                break;
        }
    }

    private static void OnStarted(WebApplication app)
    {
        app.Services.GetRequiredService<HealthService>().SetStatus(SandboxGrpc.ServiceName, ServingStatus.Serving);
        ServerLog.Listening(app.Logger, string.Join(", ", BoundAddresses(app)));
    }

    private static void OnStopping(WebApplication app)
    {
        ServerLog.Stopping(app.Logger);
        app.Services.GetRequiredService<HealthService>().SetStatus(SandboxGrpc.ServiceName, ServingStatus.NotServing);
    }
}
