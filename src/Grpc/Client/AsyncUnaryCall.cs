using System.Runtime.CompilerServices;

namespace Sandbox.Grpc.Client;

/// <summary>
/// A unary call in flight, as in Grpc.Core: await it (or <see cref="ResponseAsync"/>) for the
/// response. A status other than OK throws <see cref="RpcException"/>.
/// </summary>
public sealed class AsyncUnaryCall<TResponse> : IDisposable
{
    private readonly Func<Status> getStatus;
    private readonly Func<Metadata> getTrailers;
    private readonly Action dispose;

    /// <summary>Wraps a call; public so tests can build one around canned results.</summary>
    public AsyncUnaryCall(Task<TResponse> responseAsync, Task<Metadata> responseHeadersAsync, Func<Status> getStatus, Func<Metadata> getTrailers, Action dispose)
    {
        ResponseAsync = responseAsync;
        ResponseHeadersAsync = responseHeadersAsync;
        this.getStatus = getStatus;
        this.getTrailers = getTrailers;
        this.dispose = dispose;
    }

    /// <summary>The response; faults with <see cref="RpcException"/> on a status other than OK.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>The response headers, once the server has sent them.</summary>
    public Task<Metadata> ResponseHeadersAsync { get; }

    /// <summary>The call's status. Throws <see cref="InvalidOperationException"/> before the call has ended.</summary>
    public Status GetStatus() => getStatus();

    /// <summary>The response trailers. Throws <see cref="InvalidOperationException"/> before the call has ended.</summary>
    public Metadata GetTrailers() => getTrailers();

    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();

    /// <summary>Cancels the call if it is still running (the HTTP/2 stream is reset) and frees its resources.</summary>
    public void Dispose() => dispose();
}
