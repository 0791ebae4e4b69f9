using Grpc.Core;

namespace Sandbox.Server.Internal;

/// <summary>
/// A request's decompression stream whose reads turn the <see cref="InvalidDataException"/> of
/// bytes that do not inflate into an INVALID_ARGUMENT <see cref="RpcException"/>, which
/// grpc-dotnet answers with its status (<see cref="ParsingCompressionProvider"/>).
/// </summary>
internal sealed class ParsingDecompressionStream(Stream inner, string encoding) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return inner.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw NotDecompressed(e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw NotDecompressed(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    private RpcException NotDecompressed(InvalidDataException e) =>
        new(new Status(StatusCode.InvalidArgument, $"the request could not be decompressed ({encoding}): {e.Message}"));
}
