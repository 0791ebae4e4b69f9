using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sandbox.Grpc.Client;
using Sandbox.Grpc.Health;
using Sandbox.Grpc.Server;

namespace Sandbox.Grpc.Tests.Infrastructure;

/// <summary>A real Kestrel on 127.0.0.1 and a free port, serving <see cref="TestService"/>, health and reflection.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private TestServer(WebApplication app, string address, ListLoggerProvider logs)
    {
        this.app = app;
        Address = address;
        Logs = logs;
    }

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public string Address { get; }

    public ListLoggerProvider Logs { get; }

    public TestService Service => app.Services.GetRequiredService<TestService>();

    public HealthService Health => app.Services.GetRequiredService<HealthService>();

    public static async Task<TestServer> StartAsync(Action<GrpcServerOptions>? configure = null, HttpProtocols protocols = HttpProtocols.Http2, TimeProvider? timeProvider = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var logs = new ListLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = protocols));
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider); // before AddGrpcWire, which only adds the system clock if none is registered
        }
        builder.Services.AddGrpcWire(configure);
        builder.Services.AddSingleton<TestService>();

        var app = builder.Build();
        app.MapGrpcService<TestService>(TestService.Bind);
        app.MapGrpcHealthService();
        app.MapGrpcReflectionService();
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TestServer(app, address, logs);
    }

    public GrpcChannel CreateChannel(GrpcChannelOptions? options = null) => GrpcChannel.ForAddress(Address, options);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
