using Google.Protobuf;

namespace Sandbox.Grpc.Internal.Client;

/// <summary>The response stream of a server-streaming or duplex call.</summary>
internal sealed class ClientResponseStreamReader<TRequest, TResponse>(GrpcCall<TRequest, TResponse> call) : IAsyncStreamReader<TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private TResponse? current;

    public TResponse Current => current ?? throw new InvalidOperationException("MoveNext has not returned true.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        current = await call.ReadNextMessageAsync(cancellationToken).ConfigureAwait(false);
        return current is not null;
    }
}
