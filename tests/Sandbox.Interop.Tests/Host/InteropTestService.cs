using Google.Protobuf;
using Grpc.Testing;
using Grpc.Core;

namespace Sandbox.Interop.Tests.Host;

/// <summary>
/// The server features of grpc/grpc <c>doc/interop-test-descriptions.md</c> ("Server" section):
/// EmptyCall, UnaryCall, StreamingOutputCall, StreamingInputCall, FullDuplexCall, HalfDuplexCall,
/// Echo Status, Echo Metadata, CompressedRequest and ResponseParameters.interval_us.
/// CacheableUnaryCall (needs a caching proxy), CompressedResponse (our seam sets compression per
/// server, not per call) and the auth echoes are not implemented; UnimplementedCall keeps the base
/// class's UNIMPLEMENTED, as the spec requires.
/// </summary>
public sealed class InteropTestService : TestService.TestServiceBase
{
    /// <summary>Echoed back as a response header ("Echo Metadata").</summary>
    public const string EchoInitialKey = "x-grpc-test-echo-initial";

    /// <summary>Echoed back as a trailer ("Echo Metadata").</summary>
    public const string EchoTrailingKey = "x-grpc-test-echo-trailing-bin";

    public override async Task<Empty> EmptyCall(Empty request, ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        return new Empty();
    }

    public override async Task<SimpleResponse> UnaryCall(SimpleRequest request, ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        ThrowIfEchoStatusRequested(request.ResponseStatus);
        ThrowIfNotCompressedAsExpected(request.ExpectCompressed, context);
        return new SimpleResponse { Payload = CreateZerosPayload(request.ResponseType, request.ResponseSize) };
    }

    public override async Task StreamingOutputCall(
        StreamingOutputCallRequest request,
        IServerStreamWriter<StreamingOutputCallResponse> responseStream,
        ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        ThrowIfEchoStatusRequested(request.ResponseStatus);
        await WriteResponsesAsync(request, responseStream, context.CancellationToken);
    }

    public override async Task<StreamingInputCallResponse> StreamingInputCall(
        IAsyncStreamReader<StreamingInputCallRequest> requestStream,
        ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        var aggregatedSize = 0;
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            ThrowIfNotCompressedAsExpected(requestStream.Current.ExpectCompressed, context);
            aggregatedSize += requestStream.Current.Payload?.Body.Length ?? 0;
        }
        return new StreamingInputCallResponse { AggregatedPayloadSize = aggregatedSize };
    }

    public override async Task FullDuplexCall(
        IAsyncStreamReader<StreamingOutputCallRequest> requestStream,
        IServerStreamWriter<StreamingOutputCallResponse> responseStream,
        ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        // Each request is answered as soon as it arrives; that is what ping_pong waits on.
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            var request = requestStream.Current;
            // "Echo Status": the stream ends with the status, later messages are not processed.
            ThrowIfEchoStatusRequested(request.ResponseStatus);
            await WriteResponsesAsync(request, responseStream, context.CancellationToken);
        }
    }

    public override async Task HalfDuplexCall(
        IAsyncStreamReader<StreamingOutputCallRequest> requestStream,
        IServerStreamWriter<StreamingOutputCallResponse> responseStream,
        ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        // test.proto: "The server buffers all the client requests and then serves them in order."
        var requests = new List<StreamingOutputCallRequest>();
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            ThrowIfEchoStatusRequested(requestStream.Current.ResponseStatus);
            requests.Add(requestStream.Current);
        }
        foreach (var request in requests)
        {
            await WriteResponsesAsync(request, responseStream, context.CancellationToken);
        }
    }

    /// <summary>
    /// "Echo Metadata": the initial key comes back in the response headers, the trailing key in
    /// the trailers. Headers are sent at the start of the call, before any message.
    /// </summary>
    private static async Task EchoMetadataAsync(ServerCallContext context)
    {
        var initial = context.RequestHeaders.Get(EchoInitialKey);
        if (initial is not null)
        {
            await context.WriteResponseHeadersAsync(new Metadata { initial });
        }
        var trailing = context.RequestHeaders.Get(EchoTrailingKey);
        if (trailing is not null)
        {
            context.ResponseTrailers.Add(trailing);
        }
    }

    /// <summary>
    /// "Echo Status": a request carrying <c>response_status</c> ends the call with that code and
    /// message, unchanged (special_status_message checks whitespace and non-ASCII survive).
    /// </summary>
    private static void ThrowIfEchoStatusRequested(EchoStatus? responseStatus)
    {
        if (responseStatus is not null && responseStatus.Code != (int)StatusCode.OK)
        {
            throw new RpcException(new Status((StatusCode)responseStatus.Code, responseStatus.Message));
        }
    }

    /// <summary>
    /// "CompressedRequest": a request with <c>expect_compressed</c> set must have come compressed,
    /// or the call fails with INVALID_ARGUMENT (client_compressed_unary probes for this).
    /// </summary>
    /// <remarks>
    /// The seam shows the stream's <c>grpc-encoding</c>, not each message's compressed flag, so a
    /// gzip stream counts as compressed. Clients compress every message of such a call, which is
    /// what client_compressed_unary does; it cannot tell a per-message opt-out apart.
    /// </remarks>
    private static void ThrowIfNotCompressedAsExpected(BoolValue? expectCompressed, ServerCallContext context)
    {
        if (expectCompressed?.Value != true)
        {
            return;
        }
        var encoding = context.GetHttpContext().Request.Headers["grpc-encoding"].ToString();
        if (!string.Equals(encoding, "gzip", StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"Expected a compressed request, got grpc-encoding '{encoding}'."));
        }
    }

    /// <summary>
    /// One response per <c>response_parameters</c> entry, in order, each delayed by its
    /// <c>interval_us</c> ("Observe ResponseParameters.interval_us").
    /// </summary>
    private static async Task WriteResponsesAsync(
        StreamingOutputCallRequest request,
        IServerStreamWriter<StreamingOutputCallResponse> responseStream,
        CancellationToken cancellationToken)
    {
        foreach (var parameters in request.ResponseParameters)
        {
            if (parameters.IntervalUs > 0)
            {
                await Task.Delay(TimeSpan.FromMicroseconds(parameters.IntervalUs), cancellationToken);
            }
            var response = new StreamingOutputCallResponse { Payload = CreateZerosPayload(request.ResponseType, parameters.Size) };
            await responseStream.WriteAsync(response, cancellationToken);
        }
    }

    /// <summary>
    /// A payload of <paramref name="size"/> zero bytes. UnaryCall: "If the server does not
    /// support the response_type, then it should fail the RPC with INVALID_ARGUMENT."
    /// </summary>
    private static Payload CreateZerosPayload(PayloadType type, int size)
    {
        if (type != PayloadType.Compressable)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"Unsupported response_type {type}."));
        }
        if (size < 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"Negative payload size {size}."));
        }
        // A fresh array, never written again, so wrapping it without a copy is safe.
        return new Payload { Type = type, Body = UnsafeByteOperations.UnsafeWrap(new byte[size]) };
    }
}
