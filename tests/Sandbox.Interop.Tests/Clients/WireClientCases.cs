using Google.Protobuf;
using Grpc.Testing;
using Grpc.Core;
using Grpc.Net.Client;

namespace Sandbox.Interop.Tests.Clients;

/// <summary>
/// The interop client cases on the .NET client SandboxClient stands on (Grpc.Net.Client's <see cref="GrpcChannel"/>), to be run
/// against a server no one here wrote. Procedures and sizes follow grpc/grpc
/// <c>doc/interop-test-descriptions.md</c>, as the Python and Node clients do; the assertions are
/// xunit's.
/// </summary>
public sealed class WireClientCases(CallInvoker invoker)
{
    private readonly TestService.TestServiceClient client = new(invoker);

    private const int LargeRequestSize = 271828;
    private const int LargeResponseSize = 314159;
    private const string EchoInitialKey = "x-grpc-test-echo-initial";
    private const string EchoInitialValue = "test_initial_metadata_value";
    private const string EchoTrailingKey = "x-grpc-test-echo-trailing-bin";
    private const string TestStatusMessage = "test status message";
    private const string SpecialStatusMessage = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n";

    private static readonly int[] StreamRequestSizes = [27182, 8, 1828, 45904];
    private static readonly int[] StreamResponseSizes = [31415, 9, 2653, 58979];
    private static readonly byte[] EchoTrailingValue = [0xab, 0xab, 0xab];

    /// <summary>Runs the case named as in the spec (<c>large_unary</c>).</summary>
    public Task RunAsync(string testCase) => testCase switch
    {
        "empty_unary" => EmptyUnaryAsync(),
        "large_unary" => LargeUnaryAsync(),
        "client_streaming" => ClientStreamingAsync(),
        "server_streaming" => ServerStreamingAsync(),
        "ping_pong" => PingPongAsync(),
        "empty_stream" => EmptyStreamAsync(),
        "custom_metadata" => CustomMetadataAsync(),
        "status_code_and_message" => StatusCodeAndMessageAsync(),
        "special_status_message" => SpecialStatusMessageAsync(),
        "unimplemented_method" => UnimplementedMethodAsync(),
        "unimplemented_service" => UnimplementedServiceAsync(),
        "cancel_after_begin" => CancelAfterBeginAsync(),
        "cancel_after_first_response" => CancelAfterFirstResponseAsync(),
        "timeout_on_sleeping_server" => TimeoutOnSleepingServerAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(testCase), testCase, "Not an interop case."),
    };

    private async Task EmptyUnaryAsync()
    {
        var response = await client.EmptyCallAsync(new Empty(), new CallOptions());
        Assert.NotNull(response);
    }

    private async Task LargeUnaryAsync()
    {
        var response = await client.UnaryCallAsync(LargeRequest(), new CallOptions());
        AssertZeros(response.Payload, LargeResponseSize);
    }

    private async Task ClientStreamingAsync()
    {
        using var call = client.StreamingInputCall(new CallOptions());
        foreach (var size in StreamRequestSizes)
        {
            await call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = Zeros(size) });
        }
        await call.RequestStream.CompleteAsync();
        var response = await call;
        Assert.Equal(StreamRequestSizes.Sum(), response.AggregatedPayloadSize);
    }

    private async Task ServerStreamingAsync()
    {
        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.AddRange(StreamResponseSizes.Select(size => new ResponseParameters { Size = size }));
        using var call = client.StreamingOutputCall(request, new CallOptions());
        var sizes = new List<int>();
        while (await call.ResponseStream.MoveNext())
        {
            AssertZeros(call.ResponseStream.Current.Payload, call.ResponseStream.Current.Payload.Body.Length);
            sizes.Add(call.ResponseStream.Current.Payload.Body.Length);
        }
        Assert.Equal(StreamResponseSizes, sizes);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    private async Task PingPongAsync()
    {
        using var call = client.FullDuplexCall(new CallOptions());
        for (var i = 0; i < StreamRequestSizes.Length; i++)
        {
            await call.RequestStream.WriteAsync(PingRequest(StreamRequestSizes[i], StreamResponseSizes[i]));
            Assert.True(await call.ResponseStream.MoveNext(), $"no pong {i}");
            AssertZeros(call.ResponseStream.Current.Payload, StreamResponseSizes[i]);
        }
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(), "a response after the last pong");
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    private async Task EmptyStreamAsync()
    {
        using var call = client.FullDuplexCall(new CallOptions());
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(), "a response to no request");
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    private async Task CustomMetadataAsync()
    {
        using (var unary = client.UnaryCallAsync(LargeRequest(), new CallOptions(EchoMetadata())))
        {
            AssertZeros((await unary).Payload, LargeResponseSize);
            AssertEchoed(await unary.ResponseHeadersAsync, unary.GetTrailers());
        }

        using var duplex = client.FullDuplexCall(new CallOptions(EchoMetadata()));
        var request = PingRequest(LargeRequestSize, LargeResponseSize);
        await duplex.RequestStream.WriteAsync(request);
        await duplex.RequestStream.CompleteAsync();
        Assert.True(await duplex.ResponseStream.MoveNext(), "no response");
        AssertZeros(duplex.ResponseStream.Current.Payload, LargeResponseSize);
        Assert.False(await duplex.ResponseStream.MoveNext(), "a second response");
        AssertEchoed(await duplex.ResponseHeadersAsync, duplex.GetTrailers());
    }

    private async Task StatusCodeAndMessageAsync()
    {
        var status = new EchoStatus { Code = (int)StatusCode.Unknown, Message = TestStatusMessage };
        var unary = await Assert.ThrowsAsync<RpcException>(
            async () => await client.UnaryCallAsync(new SimpleRequest { ResponseStatus = status }, new CallOptions()));
        Assert.Equal(new Status(StatusCode.Unknown, TestStatusMessage), unary.Status);

        using var duplex = client.FullDuplexCall(new CallOptions());
        await duplex.RequestStream.WriteAsync(new StreamingOutputCallRequest { ResponseStatus = status });
        await duplex.RequestStream.CompleteAsync();
        var streamed = await Assert.ThrowsAsync<RpcException>(() => duplex.ResponseStream.MoveNext());
        Assert.Equal(new Status(StatusCode.Unknown, TestStatusMessage), streamed.Status);
    }

    private async Task SpecialStatusMessageAsync()
    {
        var status = new EchoStatus { Code = (int)StatusCode.Unknown, Message = SpecialStatusMessage };
        var error = await Assert.ThrowsAsync<RpcException>(
            async () => await client.UnaryCallAsync(new SimpleRequest { ResponseStatus = status }, new CallOptions()));
        Assert.Equal(new Status(StatusCode.Unknown, SpecialStatusMessage), error.Status);
    }

    private async Task UnimplementedMethodAsync()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            async () => await client.UnimplementedCallAsync(new Empty(), new CallOptions()));
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    private async Task UnimplementedServiceAsync()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            async () => await new UnimplementedService.UnimplementedServiceClient(invoker).UnimplementedCallAsync(new Empty(), new CallOptions()));
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    private async Task CancelAfterBeginAsync()
    {
        using var cancellation = new CancellationTokenSource();
        using var call = client.StreamingInputCall(new CallOptions(cancellationToken: cancellation.Token));
        await cancellation.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    private async Task CancelAfterFirstResponseAsync()
    {
        using var cancellation = new CancellationTokenSource();
        using var call = client.FullDuplexCall(new CallOptions(cancellationToken: cancellation.Token));
        await call.RequestStream.WriteAsync(PingRequest(StreamRequestSizes[0], StreamResponseSizes[0]));
        Assert.True(await call.ResponseStream.MoveNext(), "no first response");
        AssertZeros(call.ResponseStream.Current.Payload, StreamResponseSizes[0]);
        await cancellation.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    private async Task TimeoutOnSleepingServerAsync()
    {
        using var call = client.FullDuplexCall(new CallOptions(deadline: DateTime.UtcNow.AddMilliseconds(1)));
        // The write may already fail if the deadline ended the call first; the status is what counts.
        try
        {
            await call.RequestStream.WriteAsync(new StreamingOutputCallRequest { Payload = Zeros(StreamRequestSizes[0]) });
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded)
        {
        }
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    private static SimpleRequest LargeRequest() =>
        new() { ResponseSize = LargeResponseSize, Payload = Zeros(LargeRequestSize) };

    private static StreamingOutputCallRequest PingRequest(int requestSize, int responseSize)
    {
        var request = new StreamingOutputCallRequest { Payload = Zeros(requestSize) };
        request.ResponseParameters.Add(new ResponseParameters { Size = responseSize });
        return request;
    }

    private static Payload Zeros(int size) => new() { Body = UnsafeByteOperations.UnsafeWrap(new byte[size]) };

    private static Metadata EchoMetadata() => new()
    {
        { EchoInitialKey, EchoInitialValue },
        { EchoTrailingKey, EchoTrailingValue },
    };

    private static void AssertZeros(Payload payload, int size)
    {
        Assert.Equal(size, payload.Body.Length);
        Assert.True(payload.Body.Span.IndexOfAnyExcept((byte)0) < 0, "payload body is not all zeros");
    }

    private static void AssertEchoed(Metadata headers, Metadata trailers)
    {
        Assert.Equal(EchoInitialValue, headers.GetValue(EchoInitialKey));
        Assert.Equal(EchoTrailingValue, trailers.GetValueBytes(EchoTrailingKey));
    }
}
