using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using Sandbox.Grpc.Client;
using Sandbox.Grpc.Server;
using Sandbox.Grpc.Tests.Infrastructure;

namespace Sandbox.Grpc.Tests.EndToEnd;

public class InterceptorTests
{
    [Fact]
    public async Task Interceptors_Unary_RunInRegistrationOrderAroundHandler()
    {
        var trace = new ConcurrentQueue<string>();
        await using var server = await TestServer.StartAsync(options =>
        {
            options.Interceptors.Add(new Recorder("outer", trace));
            options.Interceptors.Add(new Recorder("inner", trace));
        });
        using var channel = server.CreateChannel();

        await channel.CreateCallInvoker().AsyncUnaryCall(TestService.EchoMethod, new CallOptions(), new StringValue());

        Assert.Equal(["outer:before", "inner:before", "inner:after", "outer:after"], trace);
    }

    [Fact]
    public async Task Interceptor_ThrowsRpcException_CallEndsWithItsStatus()
    {
        await using var server = await TestServer.StartAsync(options => options.Interceptors.Add(new Denier()));
        using var channel = server.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.CreateCallInvoker().AsyncServerStreamingCall(TestService.CountMethod, new CallOptions(), new Int32Value { Value = 3 }).ResponseStream.MoveNext());

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task Interceptors_StreamingRequests_WrapClientStreamingAndDuplex()
    {
        var trace = new ConcurrentQueue<string>();
        await using var server = await TestServer.StartAsync(options => options.Interceptors.Add(new Recorder("only", trace)));
        using var channel = server.CreateChannel();
        var invoker = channel.CreateCallInvoker();

        using (var sum = invoker.AsyncClientStreamingCall(TestService.SumMethod, new CallOptions()))
        {
            await sum.RequestStream.WriteAsync(new Int32Value { Value = 2 });
            await sum.RequestStream.CompleteAsync();
            Assert.Equal(2, (await sum).Value);
        }
        using (var shout = invoker.AsyncDuplexStreamingCall(TestService.ShoutMethod, new CallOptions()))
        {
            await shout.RequestStream.CompleteAsync();
            Assert.False(await shout.ResponseStream.MoveNext());
        }

        Assert.Equal(["only:client-streaming", "only:duplex"], trace);
    }

    private sealed class Recorder(string name, ConcurrentQueue<string> trace) : Interceptor
    {
        public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
        {
            trace.Enqueue(name + ":client-streaming");
            return continuation(requestStream, context);
        }

        public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
        {
            trace.Enqueue(name + ":duplex");
            return continuation(requestStream, responseStream, context);
        }

        public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            trace.Enqueue(name + ":before");
            var response = await continuation(request, context);
            trace.Enqueue(name + ":after");
            return response;
        }
    }

    private sealed class Denier : Interceptor
    {
        public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
            => throw new RpcException(StatusCode.PermissionDenied, "denied");
    }
}
