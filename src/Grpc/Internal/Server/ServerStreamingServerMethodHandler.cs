using Google.Protobuf;
using Sandbox.Grpc.Server;

namespace Sandbox.Grpc.Internal.Server;

internal sealed class ServerStreamingServerMethodHandler<TRequest, TResponse> : ServerMethodHandler
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly MessageParser<TRequest> parser;
    private readonly ServerStreamingServerMethod<TRequest, TResponse> invoker;

    public ServerStreamingServerMethodHandler(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler, Interceptor[] interceptors)
        : base(method.FullName, method.ServiceName)
    {
        parser = method.RequestParser;
        invoker = handler;
        for (var i = interceptors.Length - 1; i >= 0; i--)
        {
            var interceptor = interceptors[i];
            var next = invoker;
            invoker = (request, responses, context) => interceptor.ServerStreamingServerHandler(request, responses, context, next);
        }
    }

    public override async Task HandleCallAsync(HttpServerCallContext call)
    {
        var request = await call.ReadSingleMessageAsync(parser).ConfigureAwait(false);
        await invoker(request, new HttpResponseStreamWriter<TResponse>(call), call).ConfigureAwait(false);
    }
}
