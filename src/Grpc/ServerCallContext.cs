namespace Sandbox.Grpc;

/// <summary>
/// What a handler knows of its call besides the request: who called, until when, the request
/// metadata, and the response headers and trailers it may set.
/// </summary>
public abstract class ServerCallContext
{
    /// <summary>The full method name, <c>/package.Service/Method</c>.</summary>
    public abstract string Method { get; }

    /// <summary>The peer, as <c>ipv4:127.0.0.1:5555</c> or <c>ipv6:[::1]:5555</c>.</summary>
    public abstract string Peer { get; }

    /// <summary>The call's deadline (from <c>grpc-timeout</c>), or <see cref="DateTime.MaxValue"/>.</summary>
    public abstract DateTime Deadline { get; }

    /// <summary>Fires when the client cancels (RST_STREAM), the deadline passes, or the server stops.</summary>
    public abstract CancellationToken CancellationToken { get; }

    /// <summary>The request's custom metadata (reserved gRPC and HTTP/2 headers removed).</summary>
    public abstract Metadata RequestHeaders { get; }

    /// <summary>
    /// The value of the last request header <paramref name="key"/>, an ASCII metadata key, or null:
    /// what <c>RequestHeaders.GetValue(key)</c> returns, without building the whole metadata (for
    /// interceptors on every call: authorization, traceparent).
    /// </summary>
    public virtual string? GetRequestHeader(string key) => RequestHeaders.GetValue(key);

    /// <summary>Trailers sent with the status when the call ends.</summary>
    public abstract Metadata ResponseTrailers { get; }

    /// <summary>The status the call ends with if the handler returns normally. Defaults to OK.</summary>
    public abstract Status Status { get; set; }

    /// <summary>Sends response headers now. At most once, and before the first message.</summary>
    public abstract Task WriteResponseHeadersAsync(Metadata responseHeaders);

    /// <summary>Items a middleware or interceptor may attach to the call (tenant, trace, ...).</summary>
    public abstract IDictionary<object, object?> UserState { get; }

    /// <summary>The ASP.NET Core context underneath, for the few things only it has.</summary>
    public abstract Microsoft.AspNetCore.Http.HttpContext? HttpContext { get; }
}
