namespace Sandbox.Grpc.Client;

/// <summary>
/// A server-streaming call in flight. Read <see cref="ResponseStream"/> until MoveNext returns
/// false; a status other than OK throws <see cref="RpcException"/> from MoveNext.
/// </summary>
public sealed class AsyncServerStreamingCall<TResponse> : IDisposable
{
    private readonly Func<Status> getStatus;
    private readonly Func<Metadata> getTrailers;
    private readonly Action dispose;

    /// <summary>Wraps a call; public so tests can build one around canned results.</summary>
    public AsyncServerStreamingCall(IAsyncStreamReader<TResponse> responseStream, Task<Metadata> responseHeadersAsync, Func<Status> getStatus, Func<Metadata> getTrailers, Action dispose)
    {
        ResponseStream = responseStream;
        ResponseHeadersAsync = responseHeadersAsync;
        this.getStatus = getStatus;
        this.getTrailers = getTrailers;
        this.dispose = dispose;
    }

    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    /// <summary>The response headers, once the server has sent them.</summary>
    public Task<Metadata> ResponseHeadersAsync { get; }

    /// <summary>The call's status. Throws <see cref="InvalidOperationException"/> before the call has ended.</summary>
    public Status GetStatus() => getStatus();

    /// <summary>The response trailers. Throws <see cref="InvalidOperationException"/> before the call has ended.</summary>
    public Metadata GetTrailers() => getTrailers();

    /// <summary>Cancels the call if it is still running (the HTTP/2 stream is reset) and frees its resources.</summary>
    public void Dispose() => dispose();
}
