using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Sandbox.Grpc.Client;

namespace Sandbox.Grpc.Internal.Client;

/// <summary>
/// One client call: an HTTP/2 request whose body carries the request message(s) and whose
/// response carries headers, message(s) and the status in trailers (PROTOCOL-HTTP2.md). The call
/// ends exactly once, in <see cref="Finish"/>, with the server's status or with the status of
/// what stopped it: CANCELLED, DEADLINE_EXCEEDED, UNAVAILABLE, a size limit.
/// </summary>
internal sealed class GrpcCall<TRequest, TResponse> : IDisposable
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    /// <summary>The longest delay a timer takes (about 49.7 days); a deadline further out is only sent to the server.</summary>
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private static readonly Status DeadlineStatus = new(StatusCode.DeadlineExceeded, "Deadline Exceeded");

    private readonly GrpcChannel channel;
    private readonly Method<TRequest, TResponse> method;
    private readonly CallOptions options;
    private readonly CancellationTokenSource cancellation;
    private readonly TaskCompletionSource<Metadata> responseHeaders = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object gate = new();
    private readonly bool requestGzip;
    private CancellationTokenRegistration cancellationRegistration;
    private ITimer? deadlineTimer;
    private volatile bool deadlineExceeded;
    private HttpRequestMessage? request;
    private StreamingRequestContent? streamingContent;
    private ArrayBufferWriter<byte>? writeBuffer;
    private bool requestCompleted;
    private Task<bool>? responseStarted;
    private HttpResponseMessage? response;
    private PipeReader? responseReader;
    private bool responseGzip;
    private Status? status;
    private Metadata trailers = Metadata.Empty;
    private RpcException? failure;

    public GrpcCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        channel.ThrowIfDisposed();
        this.channel = channel;
        this.method = method;
        this.options = options;
        requestGzip = string.Equals(channel.Options.CompressionAlgorithm, GrpcProtocol.GzipEncoding, StringComparison.OrdinalIgnoreCase);
        cancellation = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
    }

    public Task<Metadata> ResponseHeadersAsync => responseHeaders.Task;

    /// <summary>Sends the request; <paramref name="request"/> is null for calls that stream requests.</summary>
    public void Start(TRequest? request)
    {
        TimeSpan? timeout = null;
        if (options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            timeout = (deadline.Kind == DateTimeKind.Local ? deadline.ToUniversalTime() : deadline) - DateTime.UtcNow;
            if (timeout <= TimeSpan.Zero)
            {
                // Already past: grpc clients fail such calls without sending them.
                Finish(DeadlineStatus, Metadata.Empty);
                return;
            }
        }

        HttpContent content;
        if (request is not null)
        {
            var buffer = new ArrayBufferWriter<byte>();
            try
            {
                MessageWriter.Write(buffer, request, channel.Options.MaxSendMessageSize, requestGzip);
            }
            catch (RpcException e)
            {
                Finish(e.Status, Metadata.Empty);
                return;
            }
            // A plain memory body: the handler may send it again if a connection closes before the
            // request went out, so it must stay readable (not a pooled buffer).
            content = new ReadOnlyMemoryContent(buffer.WrittenMemory);
            content.Headers.TryAddWithoutValidation("content-type", GrpcProtocol.ContentType);
        }
        else
        {
            content = streamingContent = new StreamingRequestContent();
        }

        var message = this.request = new HttpRequestMessage(HttpMethod.Post, channel.GetMethodUri(method.FullName))
        {
            // h2c needs prior knowledge: no HTTP/1.1 upgrade, no fallback. Over TLS, ALPN picks h2.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        var headers = message.Headers;
        // PROTOCOL-HTTP2.md: "TE → "te" "trailers" # Used to detect incompatible proxies".
        headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, "trailers");
        headers.TryAddWithoutValidation(GrpcProtocol.UserAgentHeader, GrpcProtocol.UserAgent);
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);
        if (requestGzip)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, GrpcProtocol.GzipEncoding);
        }
        if (timeout is { } value)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(value));
        }
        if (options.Headers is { } metadata)
        {
            foreach (var entry in metadata)
            {
                // The protocol's own headers are set above; metadata cannot override them.
                if (!MetadataEncoding.IsReservedHeader(entry.Key))
                {
                    headers.TryAddWithoutValidation(entry.Key, MetadataEncoding.ToHeaderValue(entry));
                }
            }
        }

        // Cancellation resets the stream even when no read is pending: SocketsHttpHandler sends
        // RST_STREAM(CANCEL) when SendAsync's token fires before the response headers, and when
        // the response is disposed before its end afterwards (OnCancelled).
        cancellationRegistration = cancellation.Token.UnsafeRegister(static state => ((GrpcCall<TRequest, TResponse>)state!).OnCancelled(), this);
        if (timeout is { } due && due <= MaxTimerDelay)
        {
            deadlineTimer = TimeProvider.System.CreateTimer(static state => ((GrpcCall<TRequest, TResponse>)state!).OnDeadline(), this, due, Timeout.InfiniteTimeSpan);
        }
        responseStarted = StartResponseAsync(channel.Invoker.SendAsync(message, cancellation.Token));
    }

    /// <summary>The single response of a unary or client-streaming call.</summary>
    public async Task<TResponse> ReadUnaryResponseAsync()
    {
        var message = await ReadNextMessageAsync(CancellationToken.None).ConfigureAwait(false);
        if (message is null)
        {
            // ReadNextMessageAsync returns null only when the call ended OK.
            throw Fail(new Status(StatusCode.Internal, "Failed to deserialize response message: the server sent no message."));
        }
        if (await ReadNextMessageAsync(CancellationToken.None).ConfigureAwait(false) is not null)
        {
            throw Fail(new Status(StatusCode.Internal, "The server sent more than one response message for a unary response."));
        }
        return message;
    }

    /// <summary>The next response message; null once the call ended OK; RpcException once it ended otherwise.</summary>
    public async Task<TResponse?> ReadNextMessageAsync(CancellationToken cancellationToken)
    {
        // A token given to MoveNext cancels the whole call, as in Grpc.Net.Client.
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((GrpcCall<TRequest, TResponse>)state!).Cancel(), this)
            : default;
        if (responseStarted is null || !await responseStarted.ConfigureAwait(false) || status is not null)
        {
            return ResultOfEndedCall();
        }
        try
        {
            var message = await MessageReader.ReadMessageAsync(responseReader!, method.ResponseParser, channel.Options.MaxReceiveMessageSize, responseGzip, cancellation.Token).ConfigureAwait(false);
            if (message is not null)
            {
                return message;
            }
            FinishFromTrailers(response!);
        }
        catch (Exception e)
        {
            // A read fails because the call was cancelled (then it has ended already and this
            // changes nothing), the stream broke, or a message broke a limit.
            FinishFromException(e);
        }
        // Only the reading flow completes the reader (it is not thread-safe), returning its buffers to the pool.
        await responseReader!.CompleteAsync().ConfigureAwait(false);
        return ResultOfEndedCall();
    }

    public async Task WriteRequestAsync(TRequest message, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (failure is not null)
            {
                throw failure;
            }
            if (requestCompleted)
            {
                throw new InvalidOperationException("The request stream has already been completed.");
            }
        }
        var stream = await streamingContent!.GetStreamAsync().ConfigureAwait(false);
        var buffer = writeBuffer ??= new ArrayBufferWriter<byte>();
        buffer.ResetWrittenCount();
        MessageWriter.Write(buffer, message, channel.Options.MaxSendMessageSize, requestGzip);
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((GrpcCall<TRequest, TResponse>)state!).Cancel(), this)
            : default;
        try
        {
            await stream.WriteAsync(buffer.WrittenMemory, cancellation.Token).ConfigureAwait(false);
            await stream.FlushAsync(cancellation.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
        {
            if (cancellation.IsCancellationRequested)
            {
                FinishFromException(e); // Already ended CANCELLED or DEADLINE_EXCEEDED by OnCancelled.
                throw failure ?? new RpcException(Status.DefaultCancelled);
            }
            // Otherwise SocketsHttpHandler stopped sending the body (cancelled or disposed its
            // stream) because the server ended the call early (say, NOT_FOUND in a Trailers-Only response) or the connection broke. The
            // response says which; the write's own exception ("A task was canceled") does not,
            // and must not end the call before the server's status arrives.
            await responseStarted!.ConfigureAwait(false);
            lock (gate)
            {
                if (failure is not null)
                {
                    throw failure;
                }
            }
            throw new InvalidOperationException("The server closed the request stream; the response carries the call's status.", e);
        }
    }

    public void CompleteRequest()
    {
        lock (gate)
        {
            requestCompleted = true;
        }
        streamingContent?.Complete();
    }

    public Status GetStatus() => status ?? throw new InvalidOperationException("The call has not ended yet; read its response to the end first.");

    public Metadata GetTrailers() => status is null ? throw new InvalidOperationException("The call has not ended yet; read its response to the end first.") : trailers;

    public void Cancel()
    {
        try
        {
            cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed: the call is over already.
        }
    }

    public void Dispose()
    {
        Finish(new Status(StatusCode.Cancelled, "Call disposed."), Metadata.Empty);
        cancellationRegistration.Dispose();
        deadlineTimer?.Dispose();
        response?.Dispose();
        request?.Dispose();
        cancellation.Dispose();
    }

    /// <summary>Waits for the response headers; true if messages follow, false if the call already ended.</summary>
    private async Task<bool> StartResponseAsync(Task<HttpResponseMessage> sending)
    {
        HttpResponseMessage message;
        try
        {
            message = await sending.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            FinishFromException(e);
            return false;
        }
        lock (gate)
        {
            response = message;
        }
        if (message.StatusCode != HttpStatusCode.OK)
        {
            Finish(new Status(ClientStatusMapping.FromHttpStatus(message.StatusCode), $"Bad gRPC response. HTTP status code: {(int)message.StatusCode}"), Metadata.Empty);
            return false;
        }
        var headers = ReadMetadata(message.Headers);
        if (FindHeader(message.Headers, GrpcProtocol.StatusHeader) is not null)
        {
            // Trailers-Only: the status came in the headers and there is no body.
            responseHeaders.TrySetResult(headers);
            Finish(ReadStatus(message.Headers), headers);
            return false;
        }
        var contentType = message.Content.Headers.ContentType?.MediaType;
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            Finish(new Status(StatusCode.Internal, $"Bad gRPC response. Invalid content-type value: {contentType}"), Metadata.Empty);
            return false;
        }
        responseHeaders.TrySetResult(headers);
        responseGzip = string.Equals(FindHeader(message.Headers, GrpcProtocol.EncodingHeader), GrpcProtocol.GzipEncoding, StringComparison.OrdinalIgnoreCase);
        try
        {
            var stream = await message.Content.ReadAsStreamAsync(cancellation.Token).ConfigureAwait(false);
            responseReader = PipeReader.Create(stream);
        }
        catch (Exception e)
        {
            FinishFromException(e);
            return false;
        }
        return true;
    }

    private void FinishFromTrailers(HttpResponseMessage message)
    {
        // SocketsHttpHandler fills TrailingHeaders once the body has been read to its end.
        Finish(ReadStatus(message.TrailingHeaders), ReadMetadata(message.TrailingHeaders));
    }

    private void FinishFromException(Exception exception)
    {
        var result = exception switch
        {
            RpcException rpc => rpc.Status,
            OperationCanceledException or IOException or HttpRequestException when deadlineExceeded => DeadlineStatus,
            OperationCanceledException or IOException or HttpRequestException when cancellation.IsCancellationRequested => Status.DefaultCancelled,
            _ when FindProtocolError(exception) is { } protocolError
                => new Status(ClientStatusMapping.FromHttp2Error(protocolError.ErrorCode), "HTTP/2 stream reset: " + protocolError.Message),
            HttpRequestException or IOException => new Status(StatusCode.Unavailable, "Error connecting to the server: " + exception.Message),
            _ => new Status(StatusCode.Internal, "Error in the call: " + exception.Message),
        };
        Finish(result, Metadata.Empty);
    }

    /// <summary>Ends the call, once: later endings (a cancel after the trailers, say) change nothing.</summary>
    private void Finish(Status result, Metadata resultTrailers)
    {
        lock (gate)
        {
            if (status is not null)
            {
                return;
            }
            status = result;
            trailers = resultTrailers;
            if (result.StatusCode != StatusCode.OK)
            {
                failure = new RpcException(result, resultTrailers);
            }
        }
        deadlineTimer?.Dispose();
        responseHeaders.TrySetException(failure ?? new RpcException(result, resultTrailers));
        streamingContent?.Abort((Exception?)failure ?? new InvalidOperationException("The call has ended; the request stream is closed."));
        if (failure is not null)
        {
            // Stop the stream if it is still open: RST_STREAM(CANCEL) to the server.
            Cancel();
        }
    }

    private RpcException Fail(Status result)
    {
        Finish(result, Metadata.Empty);
        return failure ?? new RpcException(result);
    }

    private TResponse? ResultOfEndedCall()
    {
        // Reached only after Finish, so status is set.
        if (failure is not null)
        {
            throw failure;
        }
        return null;
    }

    private void OnCancelled()
    {
        Finish(deadlineExceeded ? DeadlineStatus : Status.DefaultCancelled, Metadata.Empty);
        HttpResponseMessage? current;
        lock (gate)
        {
            current = response;
        }
        current?.Dispose();
    }

    private void OnDeadline()
    {
        deadlineExceeded = true;
        Cancel();
    }

    private static HttpProtocolException? FindProtocolError(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpProtocolException protocolError)
            {
                return protocolError;
            }
        }
        return null;
    }

    private static string? FindHeader(HttpHeaders headers, string name)
    {
        if (headers.NonValidated.TryGetValues(name, out var values))
        {
            foreach (var value in values)
            {
                return value;
            }
        }
        return null;
    }

    private static Status ReadStatus(HttpHeaders headers)
    {
        var code = FindHeader(headers, GrpcProtocol.StatusHeader);
        if (code is null)
        {
            return new Status(StatusCode.Internal, "No grpc-status found on response.");
        }
        if (!int.TryParse(code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            return new Status(StatusCode.Unknown, $"Unexpected grpc-status value '{code}'.");
        }
        var detail = FindHeader(headers, GrpcProtocol.MessageHeader);
        return new Status((StatusCode)value, detail is null ? "" : PercentEncoding.Decode(detail));
    }

    private static Metadata ReadMetadata(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var header in headers.NonValidated)
        {
            if (MetadataEncoding.IsReservedHeader(header.Key))
            {
                continue;
            }
            foreach (var value in header.Value)
            {
                // Entries that are not valid metadata (a -bin value that is not base64) are dropped.
                MetadataEncoding.TryAdd(metadata, header.Key, value);
            }
        }
        return metadata;
    }
}
