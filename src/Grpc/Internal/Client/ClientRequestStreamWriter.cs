using Google.Protobuf;

namespace Sandbox.Grpc.Internal.Client;

/// <summary>The request stream of a client-streaming or duplex call.</summary>
internal sealed class ClientRequestStreamWriter<TRequest, TResponse>(GrpcCall<TRequest, TResponse> call) : IClientStreamWriter<TRequest>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return call.WriteRequestAsync(message, cancellationToken);
    }

    public Task CompleteAsync()
    {
        call.CompleteRequest();
        return Task.CompletedTask;
    }
}
