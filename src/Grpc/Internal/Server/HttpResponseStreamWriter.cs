using Google.Protobuf;

namespace Sandbox.Grpc.Internal.Server;

/// <summary>The response stream of a server-streaming or duplex call; each message is flushed as it is written.</summary>
internal sealed class HttpResponseStreamWriter<T>(HttpServerCallContext call) : IServerStreamWriter<T>
    where T : class, IMessage<T>
{
    public Task WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return call.WriteMessageAsync(message, flush: true, cancellationToken);
    }
}
