namespace Sandbox.Grpc.Client;

/// <summary>Options of a <see cref="GrpcChannel"/>.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>
    /// The HTTP handler calls go through. Null (the default) creates a <see cref="SocketsHttpHandler"/>
    /// with <see cref="SocketsHttpHandler.EnableMultipleHttp2Connections"/>, owned by the channel.
    /// A handler given here is not disposed with the channel.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>The largest response message accepted, in bytes; null means unlimited. Defaults to 4 MiB.</summary>
    public int? MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest request message sent, in bytes; null (the default) means unlimited.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary><c>"gzip"</c> compresses request messages; null or <c>"identity"</c> sends them as they are.</summary>
    public string? CompressionAlgorithm { get; set; }
}
