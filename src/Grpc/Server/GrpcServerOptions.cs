namespace Sandbox.Grpc.Server;

/// <summary>Options of the gRPC server, set through <see cref="GrpcServiceCollectionExtensions.AddGrpcWire"/>.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>
    /// The largest request message accepted, in bytes (after decompression); null means unlimited.
    /// Defaults to 4 MiB, as in every gRPC implementation. A larger message is refused with
    /// RESOURCE_EXHAUSTED as soon as its 5-byte header is read, before its body is buffered.
    /// </summary>
    public int? MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest response message sent, in bytes; null (the default) means unlimited.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>
    /// <c>"gzip"</c> compresses responses to clients that accept gzip; null or <c>"identity"</c>
    /// sends them uncompressed.
    /// </summary>
    public string? ResponseCompressionAlgorithm { get; set; }

    /// <summary>
    /// When true, an exception thrown by a handler is answered with INTERNAL carrying the
    /// exception's message. Off by default: the client then sees only a generic message.
    /// </summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>Interceptors run around every handler, the first in the list outermost.</summary>
    /// <remarks>Read when services are mapped; interceptors added afterwards are not used.</remarks>
    public IList<Interceptor> Interceptors { get; } = new List<Interceptor>();
}
