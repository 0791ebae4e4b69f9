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

    private sealed class Recorder(string name, ConcurrentQueue<string> trace) : Interceptor
    {
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
