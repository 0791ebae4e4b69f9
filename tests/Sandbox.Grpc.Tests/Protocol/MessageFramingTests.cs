using System.Buffers;
using Google.Protobuf.WellKnownTypes;
using Sandbox.Grpc.Internal;

namespace Sandbox.Grpc.Tests.Protocol;

public class MessageFramingTests
{
    /// <summary>StringValue { value = "hi" }, framed uncompressed.</summary>
    private static readonly byte[] HiFrame =
    [
        0x00,                   // Compressed-Flag: 0, identity
        0x00, 0x00, 0x00, 0x04, // Message-Length: 4, big-endian
        0x0A,                   // field 1 (value), wire type 2 (length-delimited)
        0x02,                   // length 2
        0x68, 0x69,             // "hi"
    ];

    [Fact]
    public void Write_StringValue_ProducesLengthPrefixedFrame()
    {
        var output = new ArrayBufferWriter<byte>();

        MessageWriter.Write(output, new StringValue { Value = "hi" }, maxMessageSize: null, gzip: false);

        Assert.Equal(HiFrame, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Write_EmptyMessage_ProducesHeaderOnly()
    {
        var output = new ArrayBufferWriter<byte>();

        MessageWriter.Write(output, new Empty(), maxMessageSize: null, gzip: false);

        Assert.Equal(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x00 }, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void TryReadMessage_CompleteFrame_ReturnsPayloadAndAdvances()
    {
        var buffer = new ReadOnlySequence<byte>([.. HiFrame, 0x00]); // one trailing byte of the next frame

        Assert.True(MessageFraming.TryReadMessage(ref buffer, maxMessageSize: null, out var compressed, out var message));

        Assert.False(compressed);
        Assert.Equal(new byte[] { 0x0A, 0x02, 0x68, 0x69 }, message.ToArray());
        Assert.Equal(1, buffer.Length);
    }

    [Theory]
    [InlineData(0)] // nothing yet
    [InlineData(4)] // header cut after 4 of its 5 bytes
    [InlineData(5)] // header complete, body missing
    [InlineData(8)] // body one byte short
    public void TryReadMessage_PartialFrame_ReturnsFalseAndLeavesBuffer(int available)
    {
        var buffer = new ReadOnlySequence<byte>(HiFrame, 0, available);

        Assert.False(MessageFraming.TryReadMessage(ref buffer, maxMessageSize: null, out _, out _));
        Assert.Equal(available, buffer.Length);
    }

    [Fact]
    public void TryReadMessage_LengthOverLimit_ThrowsResourceExhaustedFromHeaderAlone()
    {
        byte[] headerOnly =
        [
            0x00,                   // Compressed-Flag: 0
            0x00, 0x10, 0x00, 0x01, // Message-Length: 1 MiB + 1; none of the body has arrived
        ];
        var buffer = new ReadOnlySequence<byte>(headerOnly);

        var error = Assert.Throws<RpcException>(() => MessageFraming.TryReadMessage(ref buffer, maxMessageSize: 1024 * 1024, out _, out _));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public void TryReadMessage_LengthAtLimit_WaitsForBody()
    {
        byte[] headerOnly = [0x00, 0x00, 0x00, 0x00, 0x10]; // Message-Length: 16, exactly the limit
        var buffer = new ReadOnlySequence<byte>(headerOnly);

        Assert.False(MessageFraming.TryReadMessage(ref buffer, maxMessageSize: 16, out _, out _));
    }

    [Fact]
    public void TryReadMessage_LengthAboveInt32_IsRefusedEvenWithoutLimit()
    {
        byte[] headerOnly = [0x00, 0xFF, 0xFF, 0xFF, 0xFF]; // Message-Length: 4 GiB - 1
        var buffer = new ReadOnlySequence<byte>(headerOnly);

        var error = Assert.Throws<RpcException>(() => MessageFraming.TryReadMessage(ref buffer, maxMessageSize: null, out _, out _));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public void TryReadMessage_InvalidCompressedFlag_ThrowsInternal()
    {
        byte[] frame = [0x02, 0x00, 0x00, 0x00, 0x00]; // Compressed-Flag 2: undefined
        var buffer = new ReadOnlySequence<byte>(frame);

        var error = Assert.Throws<RpcException>(() => MessageFraming.TryReadMessage(ref buffer, maxMessageSize: null, out _, out _));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
    }

    [Fact]
    public void TryReadMessage_FrameSplitAcrossSegments_ReadsWholeMessage()
    {
        // The header's length bytes straddle two segments, as pipe buffers can.
        var buffer = TestSequence.Create(HiFrame[..3], HiFrame[3..7], HiFrame[7..]);

        Assert.True(MessageFraming.TryReadMessage(ref buffer, maxMessageSize: null, out _, out var message));

        Assert.Equal("hi", StringValue.Parser.ParseFrom(message).Value);
    }

    [Fact]
    public void Write_OverSendLimit_ThrowsResourceExhaustedAndWritesNothing()
    {
        var output = new ArrayBufferWriter<byte>();

        var error = Assert.Throws<RpcException>(() => MessageWriter.Write(output, new StringValue { Value = "hi" }, maxMessageSize: 3, gzip: false));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Write_Gzip_SetsFlagAndRoundTrips()
    {
        var output = new ArrayBufferWriter<byte>();
        var original = new StringValue { Value = new string('a', 1000) };

        MessageWriter.Write(output, original, maxMessageSize: null, gzip: true);

        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.True(MessageFraming.TryReadMessage(ref buffer, maxMessageSize: null, out var compressed, out var payload));
        Assert.True(compressed);
        Assert.InRange(payload.Length, 1, 100); // 1,003 bytes of 'a' compress well
        using var inflated = GzipCompression.Decompress(payload, maxMessageSize: null);
        Assert.Equal(original, StringValue.Parser.ParseFrom(inflated));
    }

    [Fact]
    public void Decompress_ExpandsPastLimit_ThrowsResourceExhausted()
    {
        var output = new ArrayBufferWriter<byte>();
        MessageWriter.Write(output, new BytesValue { Value = Google.Protobuf.ByteString.CopyFrom(new byte[100_000]) }, maxMessageSize: null, gzip: true);
        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.True(MessageFraming.TryReadMessage(ref buffer, maxMessageSize: 10_000, out _, out var payload)); // small on the wire

        var error = Assert.Throws<RpcException>(() => GzipCompression.Decompress(payload, maxMessageSize: 10_000));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }
}
