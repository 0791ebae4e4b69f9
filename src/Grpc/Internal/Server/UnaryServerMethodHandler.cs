using Google.Protobuf;
using Sandbox.Grpc.Server;

namespace Sandbox.Grpc.Internal.Server;

internal sealed class UnaryServerMethodHandler<TRequest, TResponse> : ServerMethodHandler
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly MessageParser<TRequest> parser;
    private readonly UnaryServerMethod<TRequest, TResponse> invoker;

    public UnaryServerMethodHandler(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler, Interceptor[] interceptors)
        : base(method.FullName, method.ServiceName)
    {
        parser = method.RequestParser;
        // The interceptor chain is composed once, at map time: the first interceptor is outermost.
        invoker = handler;
        for (var i = interceptors.Length - 1; i >= 0; i--)
        {
            var interceptor = interceptors[i];
            var next = invoker;
            invoker = (request, context) => interceptor.UnaryServerHandler(request, context, next);
        }
    }

    public override async Task HandleCallAsync(HttpServerCallContext call)
    {
        var request = await call.ReadSingleMessageAsync(parser).ConfigureAwait(false);
        var response = await invoker(request, call).ConfigureAwait(false);
        if (call.Status.StatusCode == StatusCode.OK)
        {
            // Not flushed: Kestrel sends the DATA frame and the trailers together when the call ends.
            await call.WriteMessageAsync(response ?? throw HttpServerCallContext.NoResponse(), flush: false, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
