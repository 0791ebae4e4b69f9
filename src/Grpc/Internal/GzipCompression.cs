using System.Buffers;
using System.IO.Compression;
using Google.Protobuf;

namespace Sandbox.Grpc.Internal;

/// <summary>
/// The <c>gzip</c> message encoding. Compressed messages are the cold path (identity is the
/// default both ways), so this favours plain streams over pooling.
/// </summary>
internal static class GzipCompression
{
    /// <summary>
    /// Decompresses one message. The size limit applies to the decompressed bytes too, and is
    /// enforced while inflating: a small compressed message must not expand into gigabytes.
    /// </summary>
    public static MemoryStream Decompress(in ReadOnlySequence<byte> compressed, int? maxMessageSize)
    {
        var limit = maxMessageSize ?? int.MaxValue;
        var output = new MemoryStream();
        using var gzip = new GZipStream(new ReadOnlySequenceStream(compressed), CompressionMode.Decompress);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = gzip.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (output.Length + read > limit)
                {
                    throw MessageFraming.MessageTooLarge(output.Length + read, limit, "Received");
                }
                output.Write(chunk, 0, read);
            }
        }
        catch (InvalidDataException e)
        {
            throw new RpcException(StatusCode.Internal, "Message is not valid gzip: " + e.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        output.Position = 0;
        return output;
    }

    /// <summary>Serializes and compresses a message.</summary>
    public static MemoryStream Compress(IMessage message)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            message.WriteTo(gzip);
        }
        output.Position = 0;
        return output;
    }

    /// <summary>A read-only stream over a sequence, so GZipStream can read the pipe's buffers in place.</summary>
    private sealed class ReadOnlySequenceStream(ReadOnlySequence<byte> sequence) : Stream
    {
        private ReadOnlySequence<byte> remaining = sequence;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = (int)Math.Min(buffer.Length, remaining.Length);
            remaining.Slice(0, count).CopyTo(buffer);
            remaining = remaining.Slice(count);
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
