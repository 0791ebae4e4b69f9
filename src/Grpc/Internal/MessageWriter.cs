using System.Buffers;
using Google.Protobuf;

namespace Sandbox.Grpc.Internal;

/// <summary>Writes length-prefixed messages into a buffer writer (Kestrel's response pipe, or a client request buffer).</summary>
internal static class MessageWriter
{
    /// <summary>
    /// Frames and writes one message. Uncompressed messages are serialized straight into the
    /// writer's buffers: no intermediate copy.
    /// </summary>
    /// <exception cref="RpcException">RESOURCE_EXHAUSTED if the message is over <paramref name="maxMessageSize"/>; nothing is written then.</exception>
    public static void Write(IBufferWriter<byte> output, IMessage message, int? maxMessageSize, bool gzip)
    {
        var size = message.CalculateSize();
        if (size > (maxMessageSize ?? int.MaxValue))
        {
            throw MessageFraming.MessageTooLarge(size, maxMessageSize!.Value, "Sent");
        }
        if (gzip)
        {
            WriteCompressed(output, message);
            return;
        }
        MessageFraming.WriteHeader(output.GetSpan(MessageFraming.HeaderSize), compressed: false, size);
        output.Advance(MessageFraming.HeaderSize);
        message.WriteTo(output);
    }

    private static void WriteCompressed(IBufferWriter<byte> output, IMessage message)
    {
        using var compressed = GzipCompression.Compress(message);
        var length = (int)compressed.Length;
        MessageFraming.WriteHeader(output.GetSpan(MessageFraming.HeaderSize), compressed: true, length);
        output.Advance(MessageFraming.HeaderSize);
        output.Write(compressed.GetBuffer().AsSpan(0, length));
    }
}
