using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Sandbox.Client;
using Sandbox.Server.Tests.Infrastructure;
using Serilog.Events;

namespace Sandbox.Server.Tests.Service;

/// <summary>
/// The request log line (issue 10 item 3): Serilog.AspNetCore's line per request, enriched with
/// the gRPC status (the HTTP status of a failed gRPC call is 200), the tenant, the RPC method and
/// the trace id, and silenced by <c>Serilog:MinimumLevel:Default=Warning</c>.
/// </summary>
public sealed class RequestLogTests
{
    private const string Tenant = "logged";
    private const string Key = "logged-key";
    private static DateTime Deadline => DateTime.UtcNow.AddSeconds(30);

    [Fact]
    public async Task Invoke_UnknownInstance_LineCarriesGrpcStatusTenantMethodAndTraceId()
    {
        var log = CapturedLog.Create();
        await using var server = await StartAsync(log, minimumLevel: null);
        using var client = Client(server);
        var traceId = ActivityTraceId.CreateRandom();
        var headers = new Metadata { { "traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01" } };

        var error = await Assert.ThrowsAsync<RpcException>(() => client.InvokeAsync(new V1.InvokeRequest { InstanceId = "no-such-instance", Function = "f" }, headers, Deadline));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        var line = Assert.Single(await log.RequestLinesAsync());
        Assert.Equal(LogEventLevel.Information, line.Level);
        Assert.Equal(StatusCode.NotFound, Scalar(line, "GrpcStatus"));
        Assert.Equal(Tenant, Scalar(line, "Tenant"));
        Assert.Equal("sandbox.v1.Sandbox/Invoke", Scalar(line, "RpcMethod"));
        Assert.Equal(traceId.ToHexString(), Scalar(line, "TraceId"));
        // The rendered line says it too, not the HTTP 200 alone.
        var text = line.RenderMessage();
        Assert.Contains("NotFound", text);
        Assert.Contains(traceId.ToHexString(), text);
    }

    [Fact]
    public async Task GetUsage_MinimumLevelWarning_NoLine()
    {
        var log = CapturedLog.Create();
        await using var server = await StartAsync(log, minimumLevel: "Warning");
        using var client = Client(server);

        await client.GetUsageAsync(deadline: Deadline);
        var failed = await Assert.ThrowsAsync<RpcException>(() => client.InvokeAsync("no-such-instance", "f", [], Deadline));

        Assert.Equal(StatusCode.NotFound, failed.StatusCode);
        // Waits the 5 s a line may take to come; none does, for the call that succeeded or the one
        // that failed by the client's mistake.
        Assert.Empty(await log.RequestLinesAsync());
    }

    [Fact]
    public async Task GetUsage_DefaultLevel_OneInformationLine()
    {
        // The same call as GetUsage_MinimumLevelWarning_NoLine at the embedded default level
        // (Information): the line is there, so its absence above is the level's doing.
        var log = CapturedLog.Create();
        await using var server = await StartAsync(log, minimumLevel: null);
        using var client = Client(server);

        await client.GetUsageAsync(deadline: Deadline);

        var line = Assert.Single(await log.RequestLinesAsync());
        Assert.Equal(LogEventLevel.Information, line.Level);
        Assert.Equal(StatusCode.OK, Scalar(line, "GrpcStatus"));
    }

    [Fact]
    public async Task Invoke_BodyNotParsed_OneInformationLineAndNoStack()
    {
        // grpc-dotnet logs a request it cannot read with the exception's stack, and a handler's
        // exception at Error: a client sending garbage must not flood the log that way.
        var log = CapturedLog.Create();
        await using var server = await StartAsync(log, minimumLevel: null);
        var before = log.Events.Count;

        var (status, _) = await RawGrpc.CallAsync(server.Address.GetLeftPart(UriPartial.Authority), "Invoke", [0xFF, 0xFF, 0xFF], Key);

        Assert.Equal(StatusCode.InvalidArgument, status);
        var line = Assert.Single(await log.RequestLinesAsync());
        Assert.Equal(LogEventLevel.Information, line.Level);
        Assert.Equal(StatusCode.InvalidArgument, Scalar(line, "GrpcStatus"));
        var call = log.Events.Skip(before).ToArray();
        Assert.DoesNotContain(call, e => e.Exception is not null);
        Assert.DoesNotContain(call, e => e.Level >= LogEventLevel.Warning);
        Assert.Single(call, e => e.Level >= LogEventLevel.Information);
    }

    [Fact]
    public async Task Invoke_BodyNotParsed_DebugLineSaysWhy()
    {
        var log = CapturedLog.Create();
        await using var server = await StartAsync(log, minimumLevel: "Debug");

        await RawGrpc.CallAsync(server.Address.GetLeftPart(UriPartial.Authority), "Invoke", [0xFF, 0xFF, 0xFF], Key);

        await log.RequestLinesAsync();
        var why = Assert.Single(log.Events, e => e.MessageTemplate.Text.StartsWith("Request of {Method} could not be parsed", StringComparison.Ordinal));
        Assert.Equal(LogEventLevel.Debug, why.Level);
        Assert.Equal("/sandbox.v1.Sandbox/Invoke", Scalar(why, "Method"));
        Assert.Null(why.Exception);
    }

    private static object? Scalar(LogEvent line, string property) =>
        Assert.IsType<ScalarValue>(line.Properties[property]).Value;

    private static Task<SandboxServer> StartAsync(CapturedLog log, string? minimumLevel)
    {
        var settings = new Dictionary<string, string?>(log.Settings())
        {
            ["Sandbox:Listen"] = "http://127.0.0.1:0",
            ["Sandbox:Tenants:0:Id"] = Tenant,
            ["Sandbox:Tenants:0:ApiKeySha256:0"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
        };
        if (minimumLevel is not null) settings["Serilog:MinimumLevel:Default"] = minimumLevel;
        return SandboxServerHost.StartAsync(settings: settings);
    }

    private static SandboxClient Client(SandboxServer server) =>
        new(server.Address.GetLeftPart(UriPartial.Authority), new SandboxClientOptions { ApiKey = Key });
}
