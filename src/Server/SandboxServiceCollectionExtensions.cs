using System.Net;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Sandbox.Server.Execution;
using Sandbox.Server.Internal;
using Sandbox.Server.Pooling;
using Sandbox.Server.Services;
using Sandbox.Server.Telemetry;
using Sandbox.Server.Tenancy;
using Sandbox.Server.Tenancy.Internal;
using Sandbox.V1;
using Serilog;

namespace Sandbox.Server;

/// <summary>Registers the sandbox service and everything it stands on with a <see cref="WebApplicationBuilder"/>.</summary>
public static class SandboxServiceCollectionExtensions
{
    /// <summary>
    /// Adds the service: Serilog logging, Kestrel endpoints from <c>Sandbox:Listen</c>,
    /// Grpc.AspNetCore with the options of <c>Sandbox:Grpc</c>, API-key authentication and the
    /// tenant policy, gRPC health and reflection, OpenTelemetry, and the tenancy, module,
    /// instance and pool services.
    /// </summary>
    /// <exception cref="InvalidOperationException">A bad <c>Sandbox:Listen</c>.</exception>
    public static WebApplicationBuilder AddSandbox(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var options = configuration.GetSection(SandboxServerOptions.SectionName).Get<SandboxServerOptions>() ?? new SandboxServerOptions();
        var listen = ListenAddress.ParseList(options.Listen);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var address in listen)
            {
                Listen(kestrel, address, configuration);
            }
        });

        // preserveStaticLogger: each host keeps its own logger instead of replacing the process's
        // static Log.Logger, so hosts side by side (tests, an embedding application) never write
        // into each other's sinks.
        builder.Services.AddSerilog((services, logger) => SandboxLogging.Configure(logger, configuration, services), preserveStaticLogger: true);

        var services = builder.Services;
        services.Configure<SandboxServerOptions>(configuration.GetSection(SandboxServerOptions.SectionName));
        services.AddGrpc(grpc =>
        {
            // MaxReceiveMessageSize, MaxSendMessageSize, EnableDetailedErrors, ResponseCompressionAlgorithm
            // ("gzip") and ResponseCompressionLevel, as grpc-dotnet names them.
            configuration.GetSection(SandboxServerOptions.SectionName + ":Grpc").Bind(grpc);
            grpc.Interceptors.Add<TenantInterceptor>();
        });
        services.AddOptions<GrpcServiceOptions>().PostConfigure<TenantRegistry>((grpc, tenants) =>
        {
            grpc.MaxReceiveMessageSize = SandboxServerHost.ReceiveLimit(grpc.MaxReceiveMessageSize, tenants);
            // After grpc-dotnet's own setup has added gzip and deflate: a request that does not
            // inflate is INVALID_ARGUMENT, as one that does not parse (RequestParsingBinder).
            ParsingCompressionProvider.WrapAll(grpc.CompressionProviders);
        });
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks(health =>
        {
            // "" is the server as a whole; both answer from the same checks.
            health.Services.Map("", _ => true);
            health.Services.Map(SandboxGrpc.ServiceName, _ => true);
        }).AddCheck<ShutdownHealthCheck>("sandbox");

        services.AddAuthentication(authentication =>
        {
            authentication.AddScheme(ApiKeyAuthenticationHandler.SchemeName, scheme => scheme.HandlerType = typeof(ApiKeyAuthenticationHandler));
            authentication.DefaultScheme = ApiKeyAuthenticationHandler.SchemeName;
        });
        // The policy names no scheme: the default one has authenticated the request already, and
        // naming it would authenticate again and merge a new principal on every call.
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyAuthenticationHandler.PolicyName, policy => policy
                .AddRequirements(new TenantRequirement()));
        services.AddLeanTenantAuthentication();

        services.AddSandboxTelemetry(configuration);

        services.Configure<InstancePoolOptions>(configuration.GetSection(InstancePoolOptions.SectionName));
        services.AddSingleton<TenantRegistry>();
        services.AddSingleton<IInstancePool, InstancePool>();
        services.AddSingleton<InstanceManager>();
        services.AddSingleton<CompileScheduler>();
        services.AddSingleton<ModuleCatalog>();
        services.AddSingleton<GuestCalls>();
        services.AddSingleton<TenantInterceptor>();
        services.AddSingleton<SandboxService>();

        ReserveThreadsForGuests(options);
        return builder;
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

    private static void Listen(KestrelServerOptions kestrel, ListenAddress address, IConfiguration configuration)
    {
        // h2c: cleartext HTTP/2 has no ALPN to negotiate with, so the endpoint speaks HTTP/2 only
        // (gRPC clients use prior knowledge, RFC 9113 section 3.3). Over TLS, ALPN offers h2 alone.
        void Http2(ListenOptions listen)
        {
            listen.Protocols = HttpProtocols.Http2;
            if (!address.Tls) return;
            var https = new HttpsConnectionAdapterOptions { ServerCertificate = TlsCertificate.Load(configuration) };
            if (TenantRegistry.ConfiguresClientCertificates(configuration))
            {
                // Asked for in the handshake, never required: callers with an API key and no
                // certificate still connect. A tenant pins its certificates by SHA-256
                // (ApiKeyAuthenticationHandler maps them), so no chain is checked here, and a
                // certificate no tenant pins authenticates nobody.
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                https.ClientCertificateValidation = static (_, _, _) => true;
            }
            listen.UseHttps(https);
        }
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
}
