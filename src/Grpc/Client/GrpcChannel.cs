namespace Sandbox.Grpc.Client;

/// <summary>A connection to one gRPC server address, shared by every call made to it.</summary>
public sealed class GrpcChannel : IDisposable
{
    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        Address = address;
        Options = options;
    }

    /// <summary>The server's address.</summary>
    public Uri Address { get; }

    internal GrpcChannelOptions Options { get; }

    /// <summary>
    /// Creates a channel. <c>http://host:port</c> speaks HTTP/2 with prior knowledge (h2c),
    /// <c>https://host:port</c> TLS with ALPN <c>h2</c>, and a bare <c>host:port</c> means http.
    /// </summary>
    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null)
        => throw new NotImplementedException();

    /// <summary>Creates an invoker that makes calls over this channel.</summary>
    public CallInvoker CreateCallInvoker() => throw new NotImplementedException();

    public void Dispose() => throw new NotImplementedException();
}
