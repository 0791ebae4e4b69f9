using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using Sandbox.Grpc.Server;

namespace Sandbox.Grpc.Internal.Server;

/// <summary>
/// One server call over one HTTP/2 stream: its deadline, cancellation, metadata, and the writes
/// of its messages and status. Lazily builds what handlers rarely ask for (metadata, peer,
/// cancellation source), so a plain unary call allocates little beyond its messages.
/// </summary>
internal sealed class HttpServerCallContext : ServerCallContext, IDisposable
{
    /// <summary>The longest delay a timer takes (uint.MaxValue - 1 ms, about 49.7 days); a deadline further out gets no timer.</summary>
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly HttpContext httpContext;
    private readonly GrpcServerOptions options;
    private readonly ILogger logger;
    private readonly CancellationToken stopping;
    private Metadata? requestHeaders;
    private Metadata? responseTrailers;
    private Dictionary<object, object?>? userState;
    private string? peer;
    private CancellationTokenSource? cancellation;
    private ITimer? deadlineTimer;
    private TaskCompletionSource? deadlineReached;
    private DateTime deadline = DateTime.MaxValue;

    /// <summary>
    /// Only calls with a deadline have one: the deadline path ends the call while the handler may
    /// still be writing, and this keeps the two apart. Without a deadline, every write and the
    /// final status come from the handler's own flow, one after another.
    /// </summary>
    private SemaphoreSlim? writeLock;
    private bool requestGzip;
    private bool headersSent;
    private bool ended;

    public HttpServerCallContext(HttpContext httpContext, string method, GrpcServerOptions options, ILogger logger, CancellationToken stopping)
    {
        this.httpContext = httpContext;
        this.options = options;
        this.logger = logger;
        this.stopping = stopping;
        Method = method;
    }

    public override string Method { get; }

    public override string Peer => peer ??= FormatPeer(httpContext.Connection.RemoteIpAddress, httpContext.Connection.RemotePort);

    public override DateTime Deadline => deadline;

    public override CancellationToken CancellationToken
    {
        get
        {
            if (cancellation is null)
            {
                var created = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, stopping);
                if (Interlocked.CompareExchange(ref cancellation, created, null) is not null)
                {
                    created.Dispose();
                }
            }
            return cancellation.Token;
        }
    }

    public override Metadata RequestHeaders => requestHeaders ??= ReadRequestHeaders();

    public override string? GetRequestHeader(string key)
    {
        if (requestHeaders is not null || !MetadataEncoding.IsAsciiKey(key)) return base.GetRequestHeader(key);
        // As ReadRequestHeaders would: the last value metadata can carry.
        var values = httpContext.Request.Headers[key];
        for (var i = values.Count - 1; i >= 0; i--)
        {
            if (values[i] is { } value && MetadataEncoding.IsPrintableAscii(value)) return value;
        }
        return null;
    }

    public override Metadata ResponseTrailers => responseTrailers ??= new Metadata();

    public override Status Status { get; set; } = Status.DefaultSuccess;

    public override IDictionary<object, object?> UserState => userState ??= [];

    public override HttpContext HttpContext => httpContext;

    /// <summary>The timeout the client sent, or null.</summary>
    public TimeSpan? Timeout { get; private set; }

    /// <summary>Completes when the deadline passes; null for a call without one.</summary>
    public Task? DeadlineTask => deadlineReached?.Task;

    public bool DeadlineExceeded => deadlineReached?.Task.IsCompleted == true;

    public bool ResponseGzip { get; private set; }


    /// <summary>INTERNAL for a handler that returned null instead of a response.</summary>
    public static RpcException NoResponse() => new(StatusCode.Internal, "No message returned from method.");

    /// <summary>
    /// Reads the call's headers and prepares the response headers. Returns a status to end the
    /// call with at once (an unsupported <c>grpc-encoding</c>), or null to run the handler.
    /// </summary>
    public Status? Start(TimeProvider timeProvider)
    {
        LiftHttpBodyLimits();
        var request = httpContext.Request;
        var responseHeaders = httpContext.Response.Headers;
        responseHeaders.ContentType = GrpcProtocol.ContentTypeValue;
        responseHeaders[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodingsValue;

        var encoding = request.Headers[GrpcProtocol.EncodingHeader];
        if (encoding.Count > 0 && !string.Equals(encoding, GrpcProtocol.IdentityEncoding, StringComparison.OrdinalIgnoreCase))
        {
            if (!string.Equals(encoding, GrpcProtocol.GzipEncoding, StringComparison.OrdinalIgnoreCase))
            {
                GrpcServerLog.UnsupportedEncoding(logger, encoding.ToString());
                return new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: {GrpcProtocol.SupportedEncodings}");
            }
            requestGzip = true;
        }

        if (string.Equals(options.ResponseCompressionAlgorithm, GrpcProtocol.GzipEncoding, StringComparison.OrdinalIgnoreCase)
            && GrpcProtocol.AcceptsEncoding(request.Headers[GrpcProtocol.AcceptEncodingHeader], GrpcProtocol.GzipEncoding))
        {
            ResponseGzip = true;
            responseHeaders[GrpcProtocol.EncodingHeader] = GrpcProtocol.GzipValue;
        }

        var timeoutHeader = request.Headers[GrpcProtocol.TimeoutHeader];
        if (timeoutHeader.Count > 0)
        {
            if (GrpcTimeout.TryParse(timeoutHeader.ToString(), out var timeout))
            {
                StartDeadline(timeProvider, timeout);
            }
            else
            {
                GrpcServerLog.InvalidTimeout(logger, timeoutHeader.ToString());
            }
        }
        return null;
    }

    /// <summary>Reads the one request message of a unary or server-streaming call.</summary>
    public async Task<T> ReadSingleMessageAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        var message = await ReadMessageAsync(parser, CancellationToken.None).ConfigureAwait(false)
            ?? throw new RpcException(StatusCode.Internal, "Request stream ended without a message; this method takes exactly one.");
        if (await ReadMessageAsync(parser, CancellationToken.None).ConfigureAwait(false) is not null)
        {
            throw new RpcException(StatusCode.Internal, "Request stream has more than one message; this method takes exactly one.");
        }
        return message;
    }

    /// <summary>Reads the next request message, or null at the end of the request stream.</summary>
    public async ValueTask<T?> ReadMessageAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        // With no token of its own, a read stops on the deadline (through the call's source,
        // which only exists then). A client reset or shutdown needs no token: Kestrel aborts the
        // request body pipe, which ends a pending read.
        var token = cancellationToken.CanBeCanceled ? cancellationToken : cancellation?.Token ?? CancellationToken.None;
        try
        {
            return await MessageReader.ReadMessageAsync(httpContext.Request.BodyReader, parser, options.MaxReceiveMessageSize, requestGzip, token).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // Kestrel's request pipe fails this way when the client resets the stream or drops the
            // connection, sometimes before RequestAborted has fired: the client is gone, the
            // handler did nothing wrong. The handler sees CANCELLED, not an error to log.
            throw new RpcException(StatusCode.Cancelled, "The client reset the request stream: " + e.Message);
        }
    }

    /// <summary>Writes one response message; <paramref name="flush"/> sends it now (streaming), otherwise with the trailers.</summary>
    public Task WriteMessageAsync(IMessage message, bool flush, CancellationToken cancellationToken)
    {
        if (writeLock is null)
        {
            return WriteMessageCoreAsync(message, flush, cancellationToken);
        }
        return WriteMessageLockedAsync(message, flush, cancellationToken);
    }

    public override async Task WriteResponseHeadersAsync(Metadata responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        if (writeLock is not null)
        {
            await writeLock.WaitAsync().ConfigureAwait(false);
        }
        try
        {
            ThrowIfEnded();
            if (headersSent)
            {
                throw new InvalidOperationException("Response headers can only be sent once per call, before the first message.");
            }
            var headers = httpContext.Response.Headers;
            foreach (var entry in responseHeaders)
            {
                if (!MetadataEncoding.IsReservedHeader(entry.Key))
                {
                    headers.Append(entry.Key, MetadataEncoding.ToHeaderValue(entry));
                }
            }
            headersSent = true;
            await httpContext.Response.StartAsync(CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writeLock?.Release();
        }
    }

    /// <summary>
    /// Ends the call with <paramref name="status"/>: in trailers after a message, as a
    /// Trailers-Only response before one. Nothing more is written afterwards.
    /// </summary>
    public void End(Status status)
    {
        ended = true;
        if (httpContext.RequestAborted.IsCancellationRequested)
        {
            return; // The client reset the stream; there is no one to tell.
        }
        StatusWriter.SetStatus(httpContext.Response, status, responseTrailers, trailersOnly: !headersSent);
    }

    /// <summary>
    /// Ends the call with DEADLINE_EXCEEDED while the handler may still run, and sends the
    /// response now rather than when the handler finally returns.
    /// </summary>
    public async Task EndAtDeadlineAsync()
    {
        await writeLock!.WaitAsync().ConfigureAwait(false);
        try
        {
            End(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"));
            if (!httpContext.RequestAborted.IsCancellationRequested)
            {
                await httpContext.Response.CompleteAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>
    /// The status for an exception that ended the handler. RpcException carries its own; a
    /// cancellation is explained by what cancelled; anything else is a bug in the handler, and
    /// the client learns no more than INTERNAL (unless detailed errors are on).
    /// </summary>
    public Status StatusFromException(Exception exception)
    {
        switch (exception)
        {
            case RpcException rpc:
                foreach (var entry in rpc.Trailers)
                {
                    ResponseTrailers.Add(entry);
                }
                return rpc.Status;
            case OperationCanceledException when DeadlineExceeded:
                return new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
            case OperationCanceledException or IOException when httpContext.RequestAborted.IsCancellationRequested:
                return Status.DefaultCancelled;
            case OperationCanceledException when stopping.IsCancellationRequested:
                return new Status(StatusCode.Unavailable, "Server is shutting down.");
            default:
                GrpcServerLog.HandlerFailed(logger, Method, exception);
                return new Status(
                    StatusCode.Internal,
                    options.EnableDetailedErrors
                        ? $"Exception was thrown by handler. {exception.GetType().Name}: {exception.Message}"
                        : "Exception was thrown by handler.");
        }
    }

    public void Dispose()
    {
        deadlineTimer?.Dispose();
        cancellation?.Dispose();
        writeLock?.Dispose();
    }

    /// <summary>
    /// Kestrel's request body limits are for HTTP uploads, not gRPC: a client stream may carry
    /// more than 30 MB in total (each message is held to MaxReceiveMessageSize instead), and may
    /// sit idle between messages without being "too slow" (as grpc-dotnet also does).
    /// </summary>
    private void LiftHttpBodyLimits()
    {
        if (httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } maxSize)
        {
            maxSize.MaxRequestBodySize = null;
        }
        if (httpContext.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } minRate)
        {
            minRate.MinDataRate = null;
        }
    }

    private void StartDeadline(TimeProvider timeProvider, TimeSpan timeout)
    {
        Timeout = timeout;
        deadline = GrpcTimeout.ToDeadline(timeProvider.GetUtcNow().UtcDateTime, timeout);
        cancellation = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, stopping);
        deadlineReached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        writeLock = new SemaphoreSlim(1, 1);
        if (timeout <= MaxTimerDelay)
        {
            deadlineTimer = timeProvider.CreateTimer(static state => ((HttpServerCallContext)state!).OnDeadline(), this, timeout, System.Threading.Timeout.InfiniteTimeSpan);
        }
    }

    private void OnDeadline()
    {
        // The flag first, so a handler woken by the cancellation already sees DeadlineExceeded.
        deadlineReached!.TrySetResult();
        try
        {
            cancellation!.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call ended and was disposed while the timer fired: nothing left to cancel.
        }
    }

    private async Task WriteMessageLockedAsync(IMessage message, bool flush, CancellationToken cancellationToken)
    {
        await writeLock!.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteMessageCoreAsync(message, flush, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writeLock.Release();
        }
    }

    private Task WriteMessageCoreAsync(IMessage message, bool flush, CancellationToken cancellationToken)
    {
        ThrowIfEnded();
        var writer = httpContext.Response.BodyWriter;
        MessageWriter.Write(writer, message, options.MaxSendMessageSize, ResponseGzip);
        headersSent = true;
        if (!flush)
        {
            return Task.CompletedTask;
        }
        var token = cancellationToken.CanBeCanceled ? cancellationToken : cancellation?.Token ?? CancellationToken.None;
        var pending = writer.FlushAsync(token);
        return pending.IsCompletedSuccessfully ? Task.CompletedTask : pending.AsTask();
    }

    private void ThrowIfEnded()
    {
        if (ended)
        {
            throw new InvalidOperationException("The call has already ended (its deadline may have passed); nothing more can be written.");
        }
    }

    private Metadata ReadRequestHeaders()
    {
        var metadata = new Metadata();
        foreach (var header in httpContext.Request.Headers)
        {
            if (MetadataEncoding.IsReservedHeader(header.Key))
            {
                continue;
            }
            foreach (var value in header.Value)
            {
                if (value is null || !MetadataEncoding.TryAdd(metadata, header.Key, value))
                {
                    GrpcServerLog.InvalidMetadata(logger, header.Key);
                }
            }
        }
        return metadata;
    }

    private static string FormatPeer(IPAddress? address, int port) => address switch
    {
        null => "unknown",
        { AddressFamily: AddressFamily.InterNetworkV6 } => $"ipv6:[{address}]:{port}",
        _ => $"ipv4:{address}:{port}",
    };
}
