using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Sandbox.Container.Tests;

/// <summary>
/// A stand-in OTLP/HTTP receiver on 127.0.0.1 (the collector's place): it keeps the body of every
/// POST by path and answers 200 with an empty export response.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication app;

    private OtlpReceiver(WebApplication app) => this.app = app;

    public ConcurrentQueue<(string Path, byte[] Body)> Posts { get; } = new();

    public int Port => new Uri(app.Urls.First()).Port;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1AndHttp2));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            receiver.Posts.Enqueue((context.Request.Path.Value ?? "", body.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>True once a metrics export named <paramref name="instrument"/> (protobuf strings travel as their UTF-8 bytes).</summary>
    public bool SawMetric(string instrument)
    {
        var name = System.Text.Encoding.UTF8.GetBytes(instrument);
        foreach (var (path, body) in Posts)
        {
            if (path == "/v1/metrics" && body.AsSpan().IndexOf(name) >= 0) return true;
        }
        return false;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
