namespace Sandbox.Grpc.Client;

/// <summary>
/// A bidirectional call in flight: requests go to <see cref="RequestStream"/> while responses
/// are read from <see cref="ResponseStream"/>.
/// </summary>
public sealed class AsyncDuplexStreamingCall<TRequest, TResponse> : IDisposable
{
    private readonly Func<Status> getStatus;
    private readonly Func<Metadata> getTrailers;
    private readonly Action dispose;

    /// <summary>Wraps a call; public so tests can build one around canned results.</summary>
    public AsyncDuplexStreamingCall(IClientStreamWriter<TRequest> requestStream, IAsyncStreamReader<TResponse> responseStream, Task<Metadata> responseHeadersAsync, Func<Status> getStatus, Func<Metadata> getTrailers, Action dispose)
    {
        RequestStream = requestStream;
        ResponseStream = responseStream;
        ResponseHeadersAsync = responseHeadersAsync;
        this.getStatus = getStatus;
        this.getTrailers = getTrailers;
        this.dispose = dispose;
    }

    public IClientStreamWriter<TRequest> RequestStream { get; }

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
