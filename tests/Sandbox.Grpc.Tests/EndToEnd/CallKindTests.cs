using Google.Protobuf.WellKnownTypes;
using Sandbox.Grpc.Client;
using Sandbox.Grpc.Tests.Infrastructure;

namespace Sandbox.Grpc.Tests.EndToEnd;

public class CallKindTests
{
    [Fact]
    public async Task Unary_Echo_ReturnsRequestAndOkStatus()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var invoker = channel.CreateCallInvoker();

        using var call = invoker.AsyncUnaryCall(TestService.EchoMethod, new CallOptions(), new StringValue { Value = "hello" });
        var response = await call;

        Assert.Equal("hello", response.Value);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Unary_ManyConcurrentCalls_AllSucceed()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var invoker = channel.CreateCallInvoker();

        var calls = Enumerable.Range(0, 200).Select(async i =>
            (await invoker.AsyncUnaryCall(TestService.EchoMethod, new CallOptions(), new StringValue { Value = i.ToString() })).Value);
        var results = await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(0, 200).Select(i => i.ToString()), results);
    }

    [Fact]
    public async Task ServerStreaming_Count_StreamsEachMessageThenEnds()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        using var call = channel.CreateCallInvoker().AsyncServerStreamingCall(TestService.CountMethod, new CallOptions(), new Int32Value { Value = 5 });
        var received = new List<int>();
        while (await call.ResponseStream.MoveNext())
        {
            received.Add(call.ResponseStream.Current.Value);
        }

        Assert.Equal([1, 2, 3, 4, 5], received);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ServerStreaming_NoMessages_EndsOkWithTrailersOnly()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        using var call = channel.CreateCallInvoker().AsyncServerStreamingCall(TestService.CountMethod, new CallOptions(), new Int32Value { Value = 0 });

        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ClientStreaming_Sum_AddsEveryRequest()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        using var call = channel.CreateCallInvoker().AsyncClientStreamingCall(TestService.SumMethod, new CallOptions());
        for (var i = 1; i <= 10; i++)
        {
            await call.RequestStream.WriteAsync(new Int32Value { Value = i });
        }
        await call.RequestStream.CompleteAsync();

        Assert.Equal(55, (await call).Value);
    }

    [Fact]
    public async Task ClientStreaming_MoreThanKestrelBodyLimit_Accepted()
    {
        // Kestrel refuses request bodies over 30,000,000 bytes by default; a gRPC stream is not one upload.
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var chunk = new BytesValue { Value = Google.Protobuf.ByteString.CopyFrom(new byte[1024 * 1024]) };

        using var call = channel.CreateCallInvoker().AsyncClientStreamingCall(TestService.TotalBytesMethod, new CallOptions());
        for (var i = 0; i < 32; i++)
        {
            await call.RequestStream.WriteAsync(chunk);
        }
        await call.RequestStream.CompleteAsync();

        Assert.Equal(32L * 1024 * 1024, (await call).Value);
    }

    [Fact]
    public async Task ClientStreaming_IdleLongerThanKestrelGracePeriod_StaysOpen()
    {
        // Kestrel aborts a request body slower than 240 bytes/s after a 5 s grace period; an idle
        // client stream is not a slow upload.
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        using var call = channel.CreateCallInvoker().AsyncClientStreamingCall(TestService.SumMethod, new CallOptions());
        await call.RequestStream.WriteAsync(new Int32Value { Value = 1 });
        await Task.Delay(TimeSpan.FromSeconds(7));
        await call.RequestStream.WriteAsync(new Int32Value { Value = 2 });
        await call.RequestStream.CompleteAsync();

        Assert.Equal(3, (await call).Value);
    }

    [Fact]
    public async Task ClientStreaming_ServerEndsCallWhileClientWrites_ClientSeesServersStatus()
    {
        // Regression: SocketsHttpHandler cancels the request body once the server's Trailers-Only
        // response arrives, and the failed write used to end the call INTERNAL "A task was
        // canceled." before the server's NOT_FOUND was read. Racy, hence several attempts.
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var chunk = new BytesValue { Value = Google.Protobuf.ByteString.CopyFrom(new byte[256 * 1024]) };

        for (var attempt = 0; attempt < 10; attempt++)
        {
            using var call = channel.CreateCallInvoker().AsyncClientStreamingCall(TestService.RefuseStreamMethod, new CallOptions());
            var writeError = await Record.ExceptionAsync(async () =>
            {
                for (var i = 0; i < 40; i++)
                {
                    await call.RequestStream.WriteAsync(chunk);
                }
                await call.RequestStream.CompleteAsync();
            });

            var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
            Assert.Equal(StatusCode.NotFound, error.StatusCode);
            Assert.Equal(StatusCode.NotFound, call.GetStatus().StatusCode);
            if (writeError is not null)
            {
                Assert.Equal(StatusCode.NotFound, Assert.IsType<RpcException>(writeError).StatusCode);
            }
        }
    }

    [Fact]
    public async Task DuplexStreaming_Shout_AnswersEachRequestBeforeTheNext()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        using var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(TestService.ShoutMethod, new CallOptions());
        foreach (var word in new[] { "one", "two", "three" })
        {
            // Each answer arrives while the request stream is still open: full duplex.
            await call.RequestStream.WriteAsync(new StringValue { Value = word });
            Assert.True(await call.ResponseStream.MoveNext());
            Assert.Equal(word.ToUpperInvariant(), call.ResponseStream.Current.Value);
        }
        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Metadata_TextAndBinary_ReachHandlerAndComeBack()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var headers = new Metadata().Add("x-text", "hello world").Add("x-data-bin", [0x00, 0x01, 0xFE, 0xFF]);

        using var call = channel.CreateCallInvoker().AsyncUnaryCall(TestService.MetadataMethod, new CallOptions(headers), new Empty());
        await call;

        Assert.Equal("hello world", (await call.ResponseHeadersAsync).GetValue("x-text-echo"));
        Assert.Equal(new byte[] { 0x00, 0x01, 0xFE, 0xFF }, call.GetTrailers().GetValueBytes("x-data-echo-bin"));
    }

    [Fact]
    public async Task RpcException_WithTrailers_ReachesClientWithDetailIntact()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        const string detail = "bad value: 100% ✓\nsecond line";

        using var call = channel.CreateCallInvoker().AsyncUnaryCall(TestService.FailMethod, new CallOptions(), new StringValue { Value = detail });
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(detail, error.Status.Detail);
        Assert.Equal(new byte[] { 0xDE, 0xAD }, error.Trailers.GetValueBytes("x-reason-bin"));
        Assert.Equal(error.Status, call.GetStatus());
    }

    [Fact]
    public async Task GetStatus_BeforeCallEnds_Throws()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        using var call = channel.CreateCallInvoker().AsyncServerStreamingCall(TestService.CountMethod, new CallOptions(), new Int32Value { Value = 1 });

        Assert.Throws<InvalidOperationException>(() => call.GetStatus());
        Assert.True(await call.ResponseStream.MoveNext());
    }
}
