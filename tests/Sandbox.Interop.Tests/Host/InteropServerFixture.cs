using System.Net;
using Grpc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sandbox.Interop.Tests.Host;

/// <summary>
/// A real Kestrel server on 127.0.0.1 and a port the OS picks, speaking h2c (HTTP/2 only, as
/// cleartext gRPC needs prior knowledge), with <see cref="InteropTestService"/>, health and
/// reflection on Grpc.AspNetCore. One per test class.
/// </summary>
public class InteropServerFixture : IAsyncLifetime
{
    private readonly string? responseCompression;
    private WebApplication? app;

    public InteropServerFixture()
        : this(responseCompression: null)
    {
    }

    /// <param name="responseCompression">The server's <see cref="GrpcServiceOptions.ResponseCompressionAlgorithm"/>.</param>
    protected InteropServerFixture(string? responseCompression) => this.responseCompression = responseCompression;

    /// <summary>The log category of the per-call line naming the response's grpc-encoding.</summary>
    public const string CallLogCategory = "Sandbox.Interop.Tests.Calls";

    public string Host => "127.0.0.1";

    /// <summary>The bound port, known once the server has started.</summary>
    public int Port { get; private set; }

    public ServerLog Log { get; } = new();

    /// <summary>How the host's handlers ended, recorded by an interceptor around each call.</summary>
    public HandlerOutcomes Outcomes { get; } = new();

    /// <summary>The requests the host is still serving.</summary>
    public ActiveRequests Requests { get; } = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(Log);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Debug);
        // Port 0: the OS hands out a free port at bind time, so parallel fixtures never race for one.
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(options =>
        {
            options.EnableDetailedErrors = true;
            options.ResponseCompressionAlgorithm = responseCompression;
            options.Interceptors.Add<HandlerOutcomes>();
        });
        builder.Services.AddSingleton(Outcomes);
        builder.Services.AddGrpcReflection();
        // One check, healthy: the server as a whole ("") answers SERVING, any other name NOT_FOUND.
        builder.Services.AddGrpcHealthChecks().AddCheck("interop", () => HealthCheckResult.Healthy());

        app = builder.Build();
        // Around every request: count it while in flight, and log one line with the response's
        // grpc-encoding, so a test can tell what was negotiated.
        var calls = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(CallLogCategory);
        app.Use(async (context, next) =>
        {
            Requests.Enter();
            try
            {
                await next(context);
                calls.LogInformation("{Path} answered with grpc-encoding '{Encoding}'", context.Request.Path, context.Response.Headers["grpc-encoding"].ToString());
            }
            finally
            {
                Requests.Exit();
            }
        });
        app.MapGrpcService<InteropTestService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        await app.StartAsync();

        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        Port = new Uri(addresses.Addresses.Single()).Port;
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
