using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Sandbox.Grpc.Client;
using Sandbox.Grpc.Tests.Infrastructure;

namespace Sandbox.Grpc.Tests.EndToEnd;

public class ErrorTests
{
    [Fact]
    public async Task UnknownMethod_OfKnownService_Unimplemented()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var missing = new Method<Empty, Empty>(MethodType.Unary, TestService.ServiceName, "Missing", Empty.Parser, Empty.Parser);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(missing, new CallOptions(), new Empty()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Equal("Method is unimplemented.", error.Status.Detail);
    }

    [Fact]
    public async Task UnknownService_Unimplemented()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var missing = new Method<Empty, Empty>(MethodType.Unary, "nowhere.Nothing", "Missing", Empty.Parser, Empty.Parser);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(missing, new CallOptions(), new Empty()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Equal("Service is unimplemented.", error.Status.Detail);
    }

    [Fact]
    public async Task MethodPath_DifferentCase_Unimplemented()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var shouted = new Method<StringValue, StringValue>(MethodType.Unary, TestService.ServiceName, "ECHO", StringValue.Parser, StringValue.Parser);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(shouted, new CallOptions(), new StringValue()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task HandlerException_Internal_WithoutDetailButLogged()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var call = channel.CreateCallInvoker().AsyncUnaryCall(TestService.ThrowMethod, new CallOptions(), new StringValue { Value = "secret detail" });
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Equal("Exception was thrown by handler.", error.Status.Detail);
        Assert.DoesNotContain("secret", error.Status.Detail);
        Assert.Contains(server.Logs.Lines, line => line.StartsWith("Error 1 ", StringComparison.Ordinal) && line.Contains("secret detail") && line.Contains("at "));
    }

    [Fact]
    public async Task HandlerException_DetailedErrors_CarriesMessage()
    {
        await using var server = await TestServer.StartAsync(options => options.EnableDetailedErrors = true);
        using var channel = server.CreateChannel();

        var call = channel.CreateCallInvoker().AsyncUnaryCall(TestService.ThrowMethod, new CallOptions(), new StringValue { Value = "visible detail" });
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("visible detail", error.Status.Detail);
    }

    [Fact]
    public async Task Request_OverServerReceiveLimit_ResourceExhausted()
    {
        await using var server = await TestServer.StartAsync(options => options.MaxReceiveMessageSize = 1024);
        using var channel = server.CreateChannel();
        var big = new BytesValue { Value = ByteString.CopyFrom(new byte[2048]) };

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(TestService.MeasureMethod, new CallOptions(), big).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.False(server.Service.MeasureEncoding.Task.IsCompleted); // the handler never ran
    }

    [Fact]
    public async Task Request_DefaultLimit_FourMebibytesAccepted()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var large = new BytesValue { Value = ByteString.CopyFrom(new byte[4 * 1024 * 1024 - 16]) };

        var response = await channel.CreateCallInvoker().AsyncUnaryCall(TestService.MeasureMethod, new CallOptions(), large);

        Assert.Equal(large.Value.Length, response.Value);
    }

    [Fact]
    public async Task Response_OverServerSendLimit_ResourceExhausted()
    {
        await using var server = await TestServer.StartAsync(options => options.MaxSendMessageSize = 1000);
        using var channel = server.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(TestService.GenerateMethod, new CallOptions(), new Int32Value { Value = 5000 }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Response_OverClientReceiveLimit_ResourceExhausted()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel(new GrpcChannelOptions { MaxReceiveMessageSize = 1000 });

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(TestService.GenerateMethod, new CallOptions(), new Int32Value { Value = 5000 }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Request_OverClientSendLimit_ResourceExhaustedWithoutSending()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel(new GrpcChannelOptions { MaxSendMessageSize = 100 });
        var big = new BytesValue { Value = ByteString.CopyFrom(new byte[200]) };

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(TestService.MeasureMethod, new CallOptions(), big).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.False(server.Service.MeasureEncoding.Task.IsCompleted);
    }

    [Fact]
    public async Task NoServer_Unavailable()
    {
        using var channel = GrpcChannel.ForAddress("127.0.0.1:1");

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(TestService.EchoMethod, new CallOptions(), new StringValue()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }
}
