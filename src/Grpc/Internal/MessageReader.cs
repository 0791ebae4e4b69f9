using System.IO.Pipelines;
using Google.Protobuf;

namespace Sandbox.Grpc.Internal;

/// <summary>Reads length-prefixed messages from a pipe: the request body on the server, the response body on the client.</summary>
internal static class MessageReader
{
    /// <summary>
    /// Reads and parses the next message, or returns null at the end of the stream.
    /// </summary>
    /// <param name="gzip">True if the stream's <c>grpc-encoding</c> is gzip, so compressed messages can be inflated.</param>
    /// <exception cref="RpcException">RESOURCE_EXHAUSTED over the size limit; INTERNAL for a truncated, undecodable or unexpectedly compressed message.</exception>
    public static async ValueTask<T?> ReadMessageAsync<T>(PipeReader reader, MessageParser<T> parser, int? maxMessageSize, bool gzip, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var consumed = buffer.Start;
            var examined = buffer.End;
            try
            {
                if (MessageFraming.TryReadMessage(ref buffer, maxMessageSize, out var compressed, out var payload))
                {
                    // Consumed up to the end of this message; the bytes after it (the next
                    // message's start) were not examined, so the next ReadAsync returns at once.
                    consumed = payload.End;
                    examined = consumed;
                    return Parse(parser, payload, compressed, gzip, maxMessageSize);
                }
                if (result.IsCompleted)
                {
                    if (buffer.Length == 0)
                    {
                        return default;
                    }
                    throw new RpcException(StatusCode.Internal, "Incomplete message: the stream ended inside a message.");
                }
                if (result.IsCanceled)
                {
                    throw new OperationCanceledException("The read was canceled.");
                }
                // Nothing consumed, everything examined: the next ReadAsync waits for more bytes
                // instead of returning this same incomplete message again.
            }
            finally
            {
                reader.AdvanceTo(consumed, examined);
            }
        }
    }

    private static T Parse<T>(MessageParser<T> parser, System.Buffers.ReadOnlySequence<byte> payload, bool compressed, bool gzip, int? maxMessageSize)
        where T : IMessage<T>
    {
        try
        {
            if (!compressed)
            {
                return parser.ParseFrom(payload);
            }
            if (!gzip)
            {
                // PROTOCOL-HTTP2.md: a Compressed-Flag of 1 without a Message-Encoding is an error.
                throw new RpcException(StatusCode.Internal, "Message is compressed but the stream's grpc-encoding is identity.");
            }
            using var inflated = GzipCompression.Decompress(payload, maxMessageSize);
            return parser.ParseFrom(inflated);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new RpcException(StatusCode.Internal, "Message could not be parsed: " + e.Message);
        }
    }
}
