using System.Collections.Concurrent;
using Sandbox.Grpc.Internal.Client;

namespace Sandbox.Grpc.Client;

/// <summary>
/// A connection to one gRPC server address, shared by every call made to it. Create one per
/// server and keep it: it owns the HTTP/2 connection pool.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private readonly bool ownsHandler;
    private readonly ConcurrentDictionary<string, Uri> methodUris = new(StringComparer.Ordinal);
    private bool disposed;

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        Address = address;
        Options = options;
        ownsHandler = options.HttpHandler is null;
        var handler = options.HttpHandler ?? new SocketsHttpHandler
        {
            // One HTTP/2 connection carries at most the server's MAX_CONCURRENT_STREAMS (Kestrel:
            // 100); beyond that, open another connection rather than queue calls.
            EnableMultipleHttp2Connections = true,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        Invoker = new HttpMessageInvoker(handler, disposeHandler: ownsHandler);
    }

    /// <summary>The server's address.</summary>
    public Uri Address { get; }

    internal GrpcChannelOptions Options { get; }

    /// <summary>
    /// The handler pipeline without HttpClient: HttpClient's default 100-second timeout would cut
    /// long streams, and calls time out through their deadlines instead.
    /// </summary>
    internal HttpMessageInvoker Invoker { get; }

    /// <summary>
    /// Creates a channel. <c>http://host:port</c> speaks HTTP/2 with prior knowledge (h2c),
    /// <c>https://host:port</c> TLS with ALPN <c>h2</c>, and a bare <c>host:port</c> means http.
    /// </summary>
    /// <exception cref="ArgumentException">The address is not an http or https URI.</exception>
    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        // "localhost:50051" would parse as a URI with the scheme "localhost".
        var text = address.Contains("://", StringComparison.Ordinal) ? address : "http://" + address;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{address}' is not a gRPC address; use http://host:port or https://host:port.", nameof(address));
        }
        return new GrpcChannel(uri, options ?? new GrpcChannelOptions());
    }

    /// <summary>Creates an invoker that makes calls over this channel.</summary>
    public CallInvoker CreateCallInvoker()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return new HttpCallInvoker(this);
    }

    /// <summary>Closes the connections the channel opened (not a handler given in the options). Calls in flight fail.</summary>
    public void Dispose()
    {
        disposed = true;
        Invoker.Dispose();
    }

    /// <summary>The request URI of a method, built once per method and channel.</summary>
    internal Uri GetMethodUri(string fullName) => methodUris.GetOrAdd(fullName, static (name, address) => new Uri(address, name), Address);

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);
}
