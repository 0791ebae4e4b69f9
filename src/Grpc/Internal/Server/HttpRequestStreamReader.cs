using Google.Protobuf;

namespace Sandbox.Grpc.Internal.Server;

/// <summary>The request stream of a client-streaming or duplex call.</summary>
internal sealed class HttpRequestStreamReader<T>(HttpServerCallContext call, MessageParser<T> parser) : IAsyncStreamReader<T>
    where T : class, IMessage<T>
{
    private T? current;

    public T Current => current ?? throw new InvalidOperationException("MoveNext has not returned true.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        current = await call.ReadMessageAsync(parser, cancellationToken).ConfigureAwait(false);
        return current is not null;
    }
}
