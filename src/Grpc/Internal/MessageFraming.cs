using System.Buffers;
using System.Buffers.Binary;

namespace Sandbox.Grpc.Internal;

/// <summary>
/// The Length-Prefixed-Message of gRPC (PROTOCOL-HTTP2.md), which carries each message in the
/// HTTP/2 DATA frames:
/// <code>
/// +------------+------------+------------+------------+------------+----------- - -
/// | Compressed |           Message-Length (uint32, big-endian)     | Message
/// | Flag (0/1) |                                                   | (Message-Length bytes)
/// +------------+------------+------------+------------+------------+----------- - -
/// </code>
/// </summary>
internal static class MessageFraming
{
    /// <summary>The Compressed-Flag byte.</summary>
    public const int FlagSize = 1;

    /// <summary>The Message-Length, four bytes.</summary>
    public const int MessageDelimiterSize = 4;

    /// <summary>length + compression flag.</summary>
    public const int HeaderSize = MessageDelimiterSize + FlagSize;

    /// <summary>
    /// Takes one complete message off the front of <paramref name="buffer"/>. Returns false, with
    /// <paramref name="buffer"/> untouched, when the header or the body has not all arrived yet.
    /// The size limit is checked from the header alone, so a message over it is refused before
    /// its body is buffered.
    /// </summary>
    /// <exception cref="RpcException">RESOURCE_EXHAUSTED for a message over <paramref name="maxMessageSize"/>; INTERNAL for a flag other than 0 or 1.</exception>
    public static bool TryReadMessage(ref ReadOnlySequence<byte> buffer, int? maxMessageSize, out bool compressed, out ReadOnlySequence<byte> message)
    {
        message = default;
        compressed = false;
        if (!TryReadHeader(buffer, out compressed, out var length))
        {
            return false;
        }
        if (length > (uint)(maxMessageSize ?? int.MaxValue))
        {
            throw MessageTooLarge(length, maxMessageSize ?? int.MaxValue, "Received");
        }
        if (buffer.Length - HeaderSize < length)
        {
            return false;
        }
        message = buffer.Slice(HeaderSize, length);
        buffer = buffer.Slice(message.End);
        return true;
    }

    /// <summary>Reads the 5-byte header, false if fewer than 5 bytes are buffered.</summary>
    public static bool TryReadHeader(in ReadOnlySequence<byte> buffer, out bool compressed, out uint length)
    {
        compressed = false;
        length = 0;
        if (buffer.Length < HeaderSize)
        {
            return false;
        }
        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        compressed = header[0] switch
        {
            0 => false,
            1 => true,
            _ => throw new RpcException(StatusCode.Internal, $"Message has an invalid Compressed-Flag {header[0]}."),
        };
        length = BinaryPrimitives.ReadUInt32BigEndian(header[FlagSize..]);
        return true;
    }

    /// <summary>Writes the 5-byte header into <paramref name="destination"/>.</summary>
    public static void WriteHeader(Span<byte> destination, bool compressed, int length)
    {
        destination[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[FlagSize..HeaderSize], (uint)length);
    }

    /// <summary>RESOURCE_EXHAUSTED for a message over a limit; direction is "Received" or "Sending".</summary>
    public static RpcException MessageTooLarge(long size, int limit, string direction)
        => new(StatusCode.ResourceExhausted, $"{direction} message larger than max ({size} vs. {limit})");
}
