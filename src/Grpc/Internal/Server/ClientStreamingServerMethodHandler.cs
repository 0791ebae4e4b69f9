using Google.Protobuf;
using Sandbox.Grpc.Server;

namespace Sandbox.Grpc.Internal.Server;

internal sealed class ClientStreamingServerMethodHandler<TRequest, TResponse> : ServerMethodHandler
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly MessageParser<TRequest> parser;
    private readonly ClientStreamingServerMethod<TRequest, TResponse> invoker;

    public ClientStreamingServerMethodHandler(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler, Interceptor[] interceptors)
        : base(method.FullName, method.ServiceName)
    {
        parser = method.RequestParser;
        invoker = handler;
        for (var i = interceptors.Length - 1; i >= 0; i--)
        {
            var interceptor = interceptors[i];
            var next = invoker;
            invoker = (requests, context) => interceptor.ClientStreamingServerHandler(requests, context, next);
        }
    }

    public override async Task HandleCallAsync(HttpServerCallContext call)
    {
        var response = await invoker(new HttpRequestStreamReader<TRequest>(call, parser), call).ConfigureAwait(false);
        if (call.Status.StatusCode == StatusCode.OK)
        {
            await call.WriteMessageAsync(response ?? throw HttpServerCallContext.NoResponse(), flush: false, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
