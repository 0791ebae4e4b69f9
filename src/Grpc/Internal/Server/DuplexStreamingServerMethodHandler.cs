using Google.Protobuf;
using Sandbox.Grpc.Server;

namespace Sandbox.Grpc.Internal.Server;

internal sealed class DuplexStreamingServerMethodHandler<TRequest, TResponse> : ServerMethodHandler
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly MessageParser<TRequest> parser;
    private readonly DuplexStreamingServerMethod<TRequest, TResponse> invoker;

    public DuplexStreamingServerMethodHandler(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler, Interceptor[] interceptors)
        : base(method.FullName, method.ServiceName)
    {
        parser = method.RequestParser;
        invoker = handler;
        for (var i = interceptors.Length - 1; i >= 0; i--)
        {
            var interceptor = interceptors[i];
            var next = invoker;
            invoker = (requests, responses, context) => interceptor.DuplexStreamingServerHandler(requests, responses, context, next);
        }
    }

    public override Task HandleCallAsync(HttpServerCallContext call)
        => invoker(new HttpRequestStreamReader<TRequest>(call, parser), new HttpResponseStreamWriter<TResponse>(call), call);
}
