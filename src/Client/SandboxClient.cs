using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Sandbox.V1;
using Stub = Sandbox.V1.Sandbox.SandboxClient;

namespace Sandbox.Client;

/// <summary>
/// A client of <c>sandbox.v1.Sandbox</c>: one async method per RPC (see sandbox.proto for what
/// each does and the errors it returns), plus the standard health check.
/// </summary>
/// <remarks>
/// Every method takes optional request <c>headers</c>, a <c>deadline</c> (UTC; default
/// <see cref="SandboxClientOptions.DefaultTimeout"/> from now) and a cancellation token. A call
/// that ends with a status other than OK throws <see cref="RpcException"/>; when the guest
/// trapped, <see cref="RpcExceptionExtensions.TryGetTrap"/> gives the trap. The client is
/// thread-safe; calls share one HTTP/2 connection pool.
/// </remarks>
public sealed class SandboxClient : IDisposable
{
    /// <summary>The chunk size <see cref="WriteMemoryStreamAsync(string, ulong, Stream, string, int, Metadata?, DateTime?, CancellationToken)"/> uses by default.</summary>
    public const int DefaultChunkSize = 64 * 1024;

    private const string AuthorizationHeader = "authorization";

    private readonly GrpcChannel? channel;
    private readonly Stub stub;
    private readonly Health.HealthClient health;
    private readonly SandboxClientOptions options;

    /// <summary>
    /// Connects to an address such as <c>http://localhost:50051</c> (h2c) or <c>https://host:443</c>
    /// (HTTP/2 over TLS; <see cref="SandboxClientOptions.CaCertificatePath"/> trusts a private CA).
    /// </summary>
    public SandboxClient(string address, SandboxClientOptions? options = null)
        : this(SandboxChannel.Create(address, options ?? new SandboxClientOptions()), new Uri(address), options, ownsChannel: true)
    {
    }

    /// <summary>Calls through an existing channel, which the client does not dispose.</summary>
    public SandboxClient(GrpcChannel channel, Uri address, SandboxClientOptions? options = null)
        : this(channel, address, options, ownsChannel: false)
    {
    }

    /// <summary>
    /// Calls through a call invoker, such as the one Grpc.Net.ClientFactory gives
    /// (<see cref="SandboxClientServiceCollectionExtensions.AddSandboxClient"/>).
    /// </summary>
    public SandboxClient(CallInvoker invoker, Uri address, SandboxClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentNullException.ThrowIfNull(address);
        this.options = options ?? new SandboxClientOptions();
        Address = address;
        stub = new Stub(invoker);
        health = new Health.HealthClient(invoker);
    }

    private SandboxClient(GrpcChannel channel, Uri address, SandboxClientOptions? options, bool ownsChannel)
        : this((channel ?? throw new ArgumentNullException(nameof(channel))).CreateCallInvoker(), address, options)
    {
        this.channel = ownsChannel ? channel : null;
    }

    /// <summary>The server's address.</summary>
    public Uri Address { get; }

    /// <summary>
    /// Asks the standard <c>grpc.health.v1.Health/Check</c> for a service's status; <c>""</c>
    /// (the default) is the server as a whole, <c>sandbox.v1.Sandbox</c> the sandbox service.
    /// </summary>
    public async Task<HealthCheckResponse.Types.ServingStatus> CheckHealthAsync(string service = "", DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var response = await health.CheckAsync(new HealthCheckRequest { Service = service }, CallOptionsFor(null, deadline ?? DefaultDeadline(), cancellationToken)).ConfigureAwait(false);
        return response.Status;
    }

    /// <summary>Validates, compiles and caches a module; returns its id (its SHA-256).</summary>
    public Task<CompileModuleResponse> CompileModuleAsync(CompileModuleRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => Unary(stub.CompileModuleAsync, request, headers, deadline, cancellationToken);

    /// <summary>Compiles a module given in the binary format.</summary>
    public Task<CompileModuleResponse> CompileModuleAsync(ReadOnlyMemory<byte> wasm, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => CompileModuleAsync(new CompileModuleRequest { Wasm = ByteString.CopyFrom(wasm.Span) }, null, deadline, cancellationToken);

    /// <summary>Instantiates a module, optionally registering the instance for linking.</summary>
    public Task<InstantiateResponse> InstantiateAsync(InstantiateRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => Unary(stub.InstantiateAsync, request, headers, deadline, cancellationToken);

    /// <summary>Instantiates a compiled module by id, registered as <paramref name="registerAs"/> when given.</summary>
    public Task<InstantiateResponse> InstantiateAsync(string moduleId, string? registerAs = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => InstantiateAsync(new InstantiateRequest { ModuleId = moduleId, RegisterAs = registerAs ?? "" }, null, deadline, cancellationToken);

    /// <summary>Calls an exported function of an instance.</summary>
    public Task<InvokeResponse> InvokeAsync(InvokeRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => Unary(stub.InvokeAsync, request, headers, deadline, cancellationToken);

    /// <summary>Calls an exported function of an instance with these arguments.</summary>
    public Task<InvokeResponse> InvokeAsync(string instanceId, string function, IEnumerable<Value> args, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => InvokeAsync(new InvokeRequest { InstanceId = instanceId, Function = function, Args = { args } }, null, deadline, cancellationToken);

    /// <summary>Runs an exported function of a module on a fresh pooled instance.</summary>
    public Task<ExecuteResponse> ExecuteAsync(ExecuteRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => Unary(stub.ExecuteAsync, request, headers, deadline, cancellationToken);

    /// <summary>Runs an exported function of a compiled module with these arguments.</summary>
    public Task<ExecuteResponse> ExecuteAsync(string moduleId, string function, IEnumerable<Value> args, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => ExecuteAsync(new ExecuteRequest { ModuleId = moduleId, Function = function, Args = { args } }, null, deadline, cancellationToken);

    /// <summary>Runs a compiled WASI command's <c>_start</c> with this configuration; the response's <c>Wasi</c> holds its exit code, output and files.</summary>
    public Task<ExecuteResponse> ExecuteWasiAsync(string moduleId, WasiConfig wasi, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => ExecuteAsync(new ExecuteRequest { ModuleId = moduleId, Wasi = wasi ?? throw new ArgumentNullException(nameof(wasi)) }, null, deadline, cancellationToken);

    /// <summary>
    /// Execute with the output streamed: a WASI guest's stdout and stderr chunks in the order it
    /// wrote them, as it writes them, then one event whose <c>Result</c> is what
    /// <see cref="ExecuteAsync(ExecuteRequest, Metadata?, DateTime?, CancellationToken)"/> returns
    /// (its <c>Wasi.Stdout</c> and <c>Wasi.Stderr</c> empty). A failed run ends the enumeration with
    /// its <see cref="RpcException"/> after the output written before the failure.
    /// </summary>
    /// <remarks>
    /// The run is one guest call, so <see cref="SandboxClientOptions.DefaultTimeout"/> applies as
    /// for Execute. Read promptly: the server holds the guest in <c>fd_write</c> while 128 KiB of
    /// its output wait for this reader, until the call's deadline. Cancelling the token (or
    /// leaving the enumeration early) cancels the call, which stops the guest.
    /// </remarks>
    public IAsyncEnumerable<ExecuteEvent> ExecuteStream(ExecuteRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => ServerStreamingAsync(stub.ExecuteStream, request, headers, deadline ?? DefaultDeadline(), cancellationToken);

    /// <summary>Runs a compiled WASI command's <c>_start</c> with this configuration, its output streamed (see <see cref="ExecuteStream(ExecuteRequest, Metadata?, DateTime?, CancellationToken)"/>).</summary>
    public IAsyncEnumerable<ExecuteEvent> ExecuteWasiStream(string moduleId, WasiConfig wasi, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => ExecuteStream(new ExecuteRequest { ModuleId = moduleId, Wasi = wasi ?? throw new ArgumentNullException(nameof(wasi)) }, null, deadline, cancellationToken);

    /// <summary>Instantiates a compiled module with WASI (a reactor's <c>_initialize</c> runs; a command's <c>_start</c> is then Invoke's).</summary>
    public Task<InstantiateResponse> InstantiateWasiAsync(string moduleId, WasiConfig wasi, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => InstantiateAsync(new InstantiateRequest { ModuleId = moduleId, Wasi = wasi ?? throw new ArgumentNullException(nameof(wasi)) }, null, deadline, cancellationToken);

    /// <summary>Allocates guest memory through the instance's allocator or host heap.</summary>
    public Task<MallocResponse> MallocAsync(MallocRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => Unary(stub.MallocAsync, request, headers, deadline, cancellationToken);

    /// <summary>Frees a block returned by <see cref="MallocAsync"/>.</summary>
    public Task<FreeResponse> FreeAsync(FreeRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => Unary(stub.FreeAsync, request, headers, deadline, cancellationToken);

    /// <summary>Reads a byte range of a linear memory in one message (up to about 4 MiB).</summary>
    public Task<ReadMemoryResponse> ReadMemoryAsync(ReadMemoryRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => Unary(stub.ReadMemoryAsync, request, headers, deadline, cancellationToken);

    /// <summary>Reads <paramref name="length"/> bytes at <paramref name="offset"/> of memory 0 (or the named memory).</summary>
    public async Task<byte[]> ReadMemoryAsync(string instanceId, ulong offset, ulong length, string memory = "", DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new ReadMemoryRequest { InstanceId = instanceId, Memory = memory, Offset = offset, Length = length };
        var response = await ReadMemoryAsync(request, null, deadline, cancellationToken).ConfigureAwait(false);
        return response.Data.ToByteArray();
    }

    /// <summary>Reads a byte range of any length as a stream of chunks.</summary>
    public IAsyncEnumerable<MemoryChunk> ReadMemoryStream(ReadMemoryRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => ServerStreamingAsync(stub.ReadMemoryStream, request, headers, deadline, cancellationToken);

    /// <summary>Writes bytes into a linear memory in one message.</summary>
    public Task<WriteMemoryResponse> WriteMemoryAsync(WriteMemoryRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => Unary(stub.WriteMemoryAsync, request, headers, deadline, cancellationToken);

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/> of memory 0 (or the named memory).</summary>
    public Task<WriteMemoryResponse> WriteMemoryAsync(string instanceId, ulong offset, ReadOnlyMemory<byte> data, string memory = "", DateTime? deadline = null, CancellationToken cancellationToken = default)
        => WriteMemoryAsync(new WriteMemoryRequest { InstanceId = instanceId, Memory = memory, Offset = offset, Data = ByteString.CopyFrom(data.Span) }, null, deadline, cancellationToken);

    /// <summary>Writes a stream of chunks, each applied in order as a WriteMemory of its own.</summary>
    public async Task<WriteMemoryResponse> WriteMemoryStreamAsync(IAsyncEnumerable<WriteMemoryRequest> requests, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        using var call = stub.WriteMemoryStream(CallOptionsFor(headers, deadline, cancellationToken));
        // A write fails when the server has already ended the call (it refused a chunk, or the
        // deadline passed); the server's status, thrown by awaiting the response below, says why
        // and is more useful than the write's failure. Which failure the write sees depends on
        // what reached the client first: an RpcException once the response was read, the
        // HTTP/2 stream's reset (HttpRequestException, IOException) or a cancelled write before
        // it. A failure of the caller's own chunks (their stream's read) propagates as it is.
        await foreach (var request in requests.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!await SentAsync(() => call.RequestStream.WriteAsync(request, cancellationToken), call.ResponseAsync).ConfigureAwait(false))
            {
                return await call.ResponseAsync.ConfigureAwait(false);
            }
        }
        await SentAsync(call.RequestStream.CompleteAsync, call.ResponseAsync).ConfigureAwait(false);
        return await call.ResponseAsync.ConfigureAwait(false);
    }

    // False when the write failed, or when the server ended the call first: a write waiting for
    // the stream's flow-control window then may never end (the server reads no more), and the
    // response, the server's status, is the answer. Disposing the call cancels the abandoned write.
    static async Task<bool> SentAsync(Func<Task> write, Task response)
    {
        try
        {
            var writing = write();
            if (await Task.WhenAny(writing, response).ConfigureAwait(false) != writing)
            {
                _ = writing.ContinueWith(static w => w.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return false;
            }
            await writing.ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is RpcException or HttpRequestException or IOException or OperationCanceledException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Writes everything <paramref name="data"/> holds from <paramref name="offset"/> on, in chunks of <paramref name="chunkSize"/> bytes.</summary>
    public Task<WriteMemoryResponse> WriteMemoryStreamAsync(string instanceId, ulong offset, Stream data, string memory = "", int chunkSize = DefaultChunkSize, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        return WriteMemoryStreamAsync(Chunks(instanceId, memory, offset, data, chunkSize, cancellationToken), headers, deadline, cancellationToken);
    }

    /// <summary>Grows a linear memory by a number of pages.</summary>
    public Task<GrowMemoryResponse> GrowMemoryAsync(GrowMemoryRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => Unary(stub.GrowMemoryAsync, request, headers, deadline, cancellationToken);

    /// <summary>Describes a linear memory.</summary>
    public Task<GetMemoryInfoResponse> GetMemoryInfoAsync(GetMemoryInfoRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => Unary(stub.GetMemoryInfoAsync, request, headers, deadline, cancellationToken);

    /// <summary>Removes a module from the tenant's cache; its live instances keep running.</summary>
    public Task<DropModuleResponse> DropModuleAsync(DropModuleRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => Unary(stub.DropModuleAsync, request, headers, deadline, cancellationToken);

    /// <summary>Removes the module with this id from the tenant's cache.</summary>
    public Task<DropModuleResponse> DropModuleAsync(string moduleId, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => DropModuleAsync(new DropModuleRequest { ModuleId = moduleId }, null, deadline, cancellationToken);

    /// <summary>Drops an instance.</summary>
    public Task<DropInstanceResponse> DropInstanceAsync(DropInstanceRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => Unary(stub.DropInstanceAsync, request, headers, deadline, cancellationToken);

    /// <summary>Drops the instance with this id.</summary>
    public Task<DropInstanceResponse> DropInstanceAsync(string instanceId, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => DropInstanceAsync(new DropInstanceRequest { InstanceId = instanceId }, null, deadline, cancellationToken);

    /// <summary>Lists the tenant's live instances, a page at a time.</summary>
    public Task<ListInstancesResponse> ListInstancesAsync(ListInstancesRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => Unary(stub.ListInstancesAsync, request, headers, deadline, cancellationToken);

    /// <summary>The tenant's usage against its limits.</summary>
    public Task<GetUsageResponse> GetUsageAsync(GetUsageRequest? request = null, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => Unary(stub.GetUsageAsync, request ?? new GetUsageRequest(), headers, deadline, cancellationToken);

    /// <summary>
    /// Streams the tenant's metrics until <paramref name="cancellationToken"/> is cancelled (or
    /// the enumeration stops). The call starts when enumeration starts.
    /// </summary>
    public IAsyncEnumerable<MetricsSample> WatchMetrics(WatchMetricsRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => ServerStreamingAsync(stub.WatchMetrics, request, headers, deadline, cancellationToken);

    /// <summary>Disposes the channel if the client created it.</summary>
    public void Dispose()
    {
        channel?.Dispose();
    }

    private async Task<TResponse> Unary<TRequest, TResponse>(Func<TRequest, CallOptions, AsyncUnaryCall<TResponse>> call, TRequest request, Metadata? headers, DateTime? deadline, CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
    {
        ArgumentNullException.ThrowIfNull(request);
        using var pending = call(request, CallOptionsFor(headers, deadline ?? DefaultDeadline(), cancellationToken));
        return await pending.ResponseAsync.ConfigureAwait(false);
    }

    private async IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(Func<TRequest, CallOptions, AsyncServerStreamingCall<TResponse>> start, TRequest request, Metadata? headers, DateTime? deadline, [EnumeratorCancellation] CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
    {
        ArgumentNullException.ThrowIfNull(request);
        // No default deadline: a stream lasts as long as its reader wants it.
        using var call = start(request, CallOptionsFor(headers, deadline, cancellationToken));
        while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            yield return call.ResponseStream.Current;
        }
    }

    private static async IAsyncEnumerable<WriteMemoryRequest> Chunks(string instanceId, string memory, ulong offset, Stream data, int chunkSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[chunkSize];
        var first = true;
        int read;
        while ((read = await data.ReadAtLeastAsync(buffer, chunkSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false)) > 0)
        {
            // Only the first message names the instance and memory; later ones mean "as before".
            yield return new WriteMemoryRequest
            {
                InstanceId = first ? instanceId : "",
                Memory = first ? memory : "",
                Offset = offset,
                Data = ByteString.CopyFrom(buffer, 0, read),
            };
            first = false;
            offset += (ulong)read;
        }
    }

    private DateTime? DefaultDeadline() => options.DefaultTimeout is { } timeout ? DateTime.UtcNow + timeout : null;

    private CallOptions CallOptionsFor(Metadata? headers, DateTime? deadline, CancellationToken cancellationToken)
    {
        Metadata? all = headers;
        if (options.ApiKey is { } key)
        {
            all = new Metadata { { AuthorizationHeader, "Bearer " + key } };
            if (headers is not null)
            {
                foreach (var entry in headers)
                {
                    all.Add(entry);
                }
            }
        }
        return new CallOptions(all, deadline, cancellationToken);
    }
}
