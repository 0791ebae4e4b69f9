using System.Net;

namespace Sandbox.Grpc.Internal.Client;

/// <summary>
/// The request body of a client-streaming or duplex call. SocketsHttpHandler asks for the body
/// once, handing over the HTTP/2 request stream; the body stays open (no END_STREAM) until the
/// caller completes it, while messages are written to that stream as the app produces them.
/// </summary>
internal sealed class StreamingRequestContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> streamReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StreamingRequestContent() => Headers.TryAddWithoutValidation("content-type", GrpcProtocol.ContentType);

    /// <summary>The request stream, once the handler has started sending the body.</summary>
    public Task<Stream> GetStreamAsync() => streamReady.Task;

    /// <summary>Ends the request body: the handler sends END_STREAM.</summary>
    public void Complete() => completed.TrySetResult();

    /// <summary>
    /// The call is over: wake writers waiting for the stream with <paramref name="error"/>, and
    /// fail the body, so SocketsHttpHandler resets the stream. Ending it normally would send
    /// END_STREAM, and a server could take a cancelled, truncated request stream for a complete one.
    /// </summary>
    public void Abort(Exception error)
    {
        streamReady.TrySetException(error);
        completed.TrySetCanceled();
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        streamReady.TrySetResult(stream);
        return completed.Task;
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
