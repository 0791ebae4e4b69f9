using System.Net;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Sandbox.Client;
using Grpc.Core;
using Sandbox.Server.Tests.Infrastructure;
using Sandbox.V1;

namespace Sandbox.Server.Tests.Service;

/// <summary>A server with two configured tenants and small limits: authentication, isolation, quotas, and OTLP export.</summary>
public sealed class TenancyTests : IAsyncLifetime
{
    private const string AcmeKey = "acme-test-key";
    private const string GlobexKey = "globex-test-key";
    private const string MeteredKey = "metered-test-key";
    private static DateTime Deadline => DateTime.UtcNow.AddSeconds(30);

    private readonly OtlpReceiver receiver = new();
    private SandboxServer? server;

    public async Task InitializeAsync()
    {
        receiver.Start();
        server = await SandboxServerHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Sandbox:Listen"] = "http://127.0.0.1:0",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Sandbox:Telemetry:OtlpEndpoint"] = receiver.Address,
            ["Sandbox:Telemetry:ExportIntervalMilliseconds"] = "200",
            ["Sandbox:Tenants:0:Id"] = "acme",
            ["Sandbox:Tenants:0:ApiKeySha256:0"] = Hash(AcmeKey),
            ["Sandbox:Tenants:0:Instances"] = "2",
            ["Sandbox:Tenants:0:ModuleBytes"] = "4096",
            ["Sandbox:Tenants:1:Id"] = "globex",
            ["Sandbox:Tenants:1:ApiKeySha256:0"] = Hash(GlobexKey),
            ["Sandbox:Tenants:1:MemoryBytes"] = "65536",
            ["Sandbox:Tenants:1:ConcurrentCalls"] = "1",
            ["Sandbox:Tenants:2:Id"] = "metered",
            ["Sandbox:Tenants:2:ApiKeySha256:0"] = Hash(MeteredKey),
            ["Sandbox:Tenants:2:FuelPerCall"] = "10000",
        });
    }

    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task GetUsage_NoKey_FailsUnauthenticated()
    {
        using var client = Client(null);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.GetUsageAsync(deadline: Deadline));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task GetUsage_UnknownKey_FailsUnauthenticated()
    {
        using var client = Client("not-a-key");

        var error = await Assert.ThrowsAsync<RpcException>(() => client.GetUsageAsync(deadline: Deadline));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Calls_KeysChangingOnOneConnection_EachCallIsTheTenantOfItsOwnKey()
    {
        // One client, so one HTTP/2 connection: the server remembers the key it last verified there.
        using var client = Client(null);
        Task<GetUsageResponse> As(string key) => client.GetUsageAsync(new GetUsageRequest(), new Metadata { { "authorization", "Bearer " + key } }, Deadline);

        var first = await As(AcmeKey);
        var again = await As(AcmeKey);
        var wrong = await Assert.ThrowsAsync<RpcException>(() => As(AcmeKey + "x"));
        var other = await As(GlobexKey);
        var back = await As(AcmeKey);

        Assert.Equal("acme", first.TenantId);
        Assert.Equal("acme", again.TenantId);
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        Assert.Equal("globex", other.TenantId);
        Assert.Equal("acme", back.TenantId);
    }

    [Fact]
    public async Task CheckHealth_NoKey_IsServing()
    {
        using var client = Client(null);

        Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, await client.CheckHealthAsync(deadline: Deadline));
    }

    [WabtFact]
    public async Task Invoke_AnotherTenantsInstance_FailsNotFoundLikeAnAbsentOne()
    {
        using var acme = Client(AcmeKey);
        using var globex = Client(GlobexKey);
        var wasm = Wat.Compile(Modules.Add);
        var instance = (await acme.InstantiateAsync(new InstantiateRequest { Wasm = ByteString.CopyFrom(wasm) }, deadline: Deadline)).InstanceId;
        var moduleId = Convert.ToHexStringLower(SHA256.HashData(wasm));

        var foreign = await Assert.ThrowsAsync<RpcException>(() => globex.InvokeAsync(instance, "add", [V1.Value.FromI32(1), V1.Value.FromI32(2)], Deadline));
        var absent = await Assert.ThrowsAsync<RpcException>(() => globex.InvokeAsync("1-000000000000", "add", [V1.Value.FromI32(1), V1.Value.FromI32(2)], Deadline));
        var foreignModule = await Assert.ThrowsAsync<RpcException>(() => globex.ExecuteAsync(moduleId, "add", [V1.Value.FromI32(1), V1.Value.FromI32(2)], Deadline));

        Assert.Equal(StatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(StatusCode.NotFound, absent.StatusCode);
        Assert.Equal(StatusCode.NotFound, foreignModule.StatusCode);
        Assert.DoesNotContain((await globex.ListInstancesAsync(new ListInstancesRequest(), deadline: Deadline)).Instances, i => i.InstanceId == instance);
        await acme.DropInstanceAsync(instance, Deadline);
    }

    [WabtFact]
    public async Task Instantiate_OverTheInstanceLimit_FailsResourceExhaustedNamingTheLimit()
    {
        using var acme = Client(AcmeKey);
        var module = (await acme.CompileModuleAsync(Wat.Compile(Modules.Add), Deadline)).ModuleId;
        var first = await acme.InstantiateAsync(module, deadline: Deadline);
        var second = await acme.InstantiateAsync(module, deadline: Deadline);

        var error = await Assert.ThrowsAsync<RpcException>(() => acme.InstantiateAsync(module, deadline: Deadline));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("instance limit", error.Status.Detail);
        await acme.DropInstanceAsync(first.InstanceId, Deadline);
        await acme.DropInstanceAsync(second.InstanceId, Deadline);
    }

    [Fact]
    public async Task CompileModule_OverTheModuleSizeLimit_FailsResourceExhausted()
    {
        using var acme = Client(AcmeKey);

        var error = await Assert.ThrowsAsync<RpcException>(() => acme.CompileModuleAsync(new byte[5000], Deadline));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("module size limit", error.Status.Detail);
        // The same, structured: a google.rpc.QuotaFailure naming the tenant (sandbox.proto, "Error details").
        Assert.True(error.TryGetQuotaFailure(out var quota));
        var violation = Assert.Single(quota.Violations);
        Assert.Equal("tenant:acme", violation.Subject);
        Assert.Equal(error.Status.Detail, violation.Description);
    }

    [WabtFact]
    public async Task Instantiate_OverTheMemoryBudget_FailsResourceExhaustedNamingTheBudget()
    {
        using var globex = Client(GlobexKey);
        var wasm = ByteString.CopyFrom(Wat.Compile("(module (memory 2))"));

        var error = await Assert.ThrowsAsync<RpcException>(() => globex.InstantiateAsync(new InstantiateRequest { Wasm = wasm }, deadline: Deadline));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("memory budget", error.Status.Detail);
    }

    [WabtFact]
    public async Task Invoke_GuestGrowsOverTheMemoryBudget_GetsMinusOneAndKeepsItsData()
    {
        using var globex = Client(GlobexKey);
        var wasm = ByteString.CopyFrom(Wat.Compile("""
            (module (memory (export "memory") 1)
              (func (export "grow") (result i32) (memory.grow (i32.const 1)))
              (func (export "size") (result i32) (memory.size)))
            """));
        var instance = (await globex.InstantiateAsync(new InstantiateRequest { Wasm = wasm }, deadline: Deadline)).InstanceId;
        await globex.WriteMemoryAsync(instance, 10, new byte[] { 42 }, deadline: Deadline);

        var grown = await globex.InvokeAsync(instance, "grow", [], Deadline);
        var size = await globex.InvokeAsync(instance, "size", [], Deadline);
        var hostGrow = await Assert.ThrowsAsync<RpcException>(() => globex.GrowMemoryAsync(new GrowMemoryRequest { InstanceId = instance, DeltaPages = 1 }, deadline: Deadline));

        Assert.Equal(-1, Assert.Single(grown.Results).I32);
        Assert.Equal(1, Assert.Single(size.Results).I32);
        Assert.Equal(StatusCode.ResourceExhausted, hostGrow.StatusCode);
        Assert.Equal(new byte[] { 42 }, await globex.ReadMemoryAsync(instance, 10, 1, deadline: Deadline));
        Assert.Equal(65536ul, (await globex.GetUsageAsync(deadline: Deadline)).Usage.MemoryBytes);
        await globex.DropInstanceAsync(instance, Deadline);
        Assert.Equal(0ul, (await globex.GetUsageAsync(deadline: Deadline)).Usage.MemoryBytes);
    }

    [WabtFact]
    public async Task GetUsage_WhileTheOnlyCallSlotIsTaken_FailsResourceExhausted()
    {
        using var globex = Client(GlobexKey);
        var instance = (await globex.InstantiateAsync(new InstantiateRequest { Wasm = ByteString.CopyFrom(Wat.Compile(Modules.Add)) }, deadline: Deadline)).InstanceId;
        var spin = globex.InvokeAsync(new InvokeRequest { InstanceId = instance, Function = "spin", Limits = new CallLimits { Timeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(3)) } }, deadline: Deadline);
        await Task.Delay(500);

        var error = await Assert.ThrowsAsync<RpcException>(() => globex.GetUsageAsync(deadline: Deadline));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("concurrent calls limit", error.Status.Detail);
        Assert.Equal(StatusCode.DeadlineExceeded, (await Assert.ThrowsAsync<RpcException>(() => spin)).StatusCode);
        await globex.DropInstanceAsync(instance, Deadline);
    }

    [WabtFact]
    public async Task Invoke_InfiniteLoopWithFuelPerCall_TrapsOutOfFuel()
    {
        using var metered = Client(MeteredKey);
        var instance = (await metered.InstantiateAsync(new InstantiateRequest { Wasm = ByteString.CopyFrom(Wat.Compile(Modules.Add)) }, deadline: Deadline)).InstanceId;

        var error = await Assert.ThrowsAsync<RpcException>(() => metered.InvokeAsync(instance, "spin", [], Deadline));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.True(error.TryGetTrap(out var trap));
        Assert.Equal(V1.TrapCode.OutOfFuel, trap.Code);
    }

    [WabtFact]
    public async Task Invoke_AddWithFuelPerCall_ReportsTheFuelConsumed()
    {
        using var metered = Client(MeteredKey);
        var instance = (await metered.InstantiateAsync(new InstantiateRequest { Wasm = ByteString.CopyFrom(Wat.Compile(Modules.Add)) }, deadline: Deadline)).InstanceId;

        var response = await metered.InvokeAsync(instance, "add", [V1.Value.FromI32(1), V1.Value.FromI32(2)], Deadline);

        Assert.Equal(3, Assert.Single(response.Results).I32);
        Assert.Equal(1UL, response.Stats.FuelConsumed); // one function entry, no loop
    }

    [WabtFact]
    public async Task Invoke_WithoutFuelMetering_ReportsNoFuel()
    {
        using var acme = Client(AcmeKey);
        var instance = (await acme.InstantiateAsync(new InstantiateRequest { Wasm = ByteString.CopyFrom(Wat.Compile(Modules.Add)) }, deadline: Deadline)).InstanceId;

        var response = await acme.InvokeAsync(instance, "add", [V1.Value.FromI32(1), V1.Value.FromI32(2)], Deadline);

        Assert.Equal(CallStats.OptionalFuelConsumedOneofCase.None, response.Stats.OptionalFuelConsumedCase);
    }

    [Fact]
    public async Task Calls_WithOtlpEndpoint_ExportSandboxMetrics()
    {
        using var acme = Client(AcmeKey);
        await acme.GetUsageAsync(deadline: Deadline);

        // A collection may run between the call's sandbox.calls and its rpc.server.duration
        // measurements (recorded in that order): wait for the later one.
        var body = await receiver.WaitForMetricAsync("rpc.server.duration", TimeSpan.FromSeconds(30));

        Assert.Contains("sandbox.calls", body);
        // ASP.NET Core's authentication meter, recorded by the server's own AuthenticationService.
        await receiver.WaitForMetricAsync("aspnetcore.authentication.authenticate.duration", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task GetUsage_WithOtlpEndpoint_SpanKeepsTheRpcName()
    {
        // OpenTelemetry's ASP.NET Core instrumentation renames a request's span "POST /route" when
        // it stops it, after the server named it for its RPC.
        var spans = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom();
        using var acme = Client(AcmeKey);

        await acme.GetUsageAsync(headers: new Metadata { { "traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom()}-01" } }, deadline: Deadline);

        var span = Assert.Single(spans, s => s.TraceId == traceId);
        Assert.Equal("sandbox.v1.Sandbox/GetUsage", span.DisplayName);
    }

    private SandboxClient Client(string? key) =>
        new(server!.Address.GetLeftPart(UriPartial.Authority), new SandboxClientOptions { ApiKey = key, DefaultTimeout = TimeSpan.FromSeconds(30) });

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

/// <summary>
/// An OTLP/HTTP receiver: accepts <c>POST /v1/metrics</c> and <c>/v1/traces</c> (http/protobuf)
/// and keeps the bodies. The protobuf types are internal to the exporter, so metric names are
/// found as the UTF-8 strings they are encoded as in the ExportMetricsServiceRequest.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly List<string> metricBodies = [];
    private readonly CancellationTokenSource stop = new();
    private Task? loop;

    public string Address { get; private set; } = "";

    public void Start()
    {
        var port = FreePort();
        Address = $"http://127.0.0.1:{port}";
        listener.Prefixes.Add(Address + "/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public async Task<string> WaitForMetricAsync(string name, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            lock (metricBodies)
            {
                var match = metricBodies.FirstOrDefault(b => b.Contains(name, StringComparison.Ordinal));
                if (match is not null) return match;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no OTLP metrics export named {name} within {timeout}");
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Close();
        if (loop is not null) await loop.ContinueWith(_ => { }, TaskScheduler.Default);
        stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return; // closed
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (context.Request.Url?.AbsolutePath == "/v1/metrics" && context.Request.ContentType == "application/x-protobuf")
            {
                // Latin-1 keeps every byte, so ASCII names survive among the binary fields.
                lock (metricBodies) metricBodies.Add(Encoding.Latin1.GetString(body.ToArray()));
            }
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
