using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sandbox.V1;

namespace Sandbox.Server.Tests.Infrastructure;

/// <summary>
/// A Kestrel server on a free loopback port serving a stand-in implementation of
/// sandbox.v1.Sandbox, for client behaviour the real service cannot show yet (traps, streams,
/// slow calls): the client and the wire are real, only the service is scripted.
/// </summary>
public sealed class StandInServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private StandInServer(WebApplication app) => this.app = app;

    /// <summary>The address to dial, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Address => app.Urls.First();

    public static async Task<StandInServer> StartAsync(V1.Sandbox.SandboxBase service)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapGrpcService<V1.Sandbox.SandboxBase>();
        await app.StartAsync();
        return new StandInServer(app);
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
