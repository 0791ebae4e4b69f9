using Sandbox.Engine.Binary.Internal;

namespace Sandbox.Engine.Tests.Binary;

// Leb128Status is internal, so the malformed rows name the expected status as a string.
public sealed class Leb128Tests
{
    [Theory]
    [InlineData(new byte[] { 0x00 }, 0UL, 1)]
    [InlineData(new byte[] { 0x7F }, 127UL, 1)]
    [InlineData(new byte[] { 0x80, 0x01 }, 128UL, 2)]
    [InlineData(new byte[] { 0x80, 0x00 }, 0UL, 2)]                       // redundant zero padding is allowed
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, 0xFFFF_FFFFUL, 5)] // u32 max: 5 bytes, 4 bits used in the last
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x00 }, 0UL, 5)]
    [InlineData(new byte[] { 0x01, 0xFF }, 1UL, 1)]                       // stops at the first byte without continuation
    public void TryReadUnsigned_U32_Decodes(byte[] input, ulong expected, int expectedLength)
    {
        var status = Leb128.TryReadUnsigned(input, 32, out var value, out var length);

        Assert.Equal(Leb128Status.Ok, status);
        Assert.Equal(expected, value);
        Assert.Equal(expectedLength, length);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, nameof(Leb128Status.TooLong))]   // 6 bytes for a u32
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x1F }, nameof(Leb128Status.TooLarge))]       // bit 32 set
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x70 }, nameof(Leb128Status.TooLarge))]       // unused high bits set
    [InlineData(new byte[] { 0x80, 0x80 }, nameof(Leb128Status.UnexpectedEnd))]
    [InlineData(new byte[0], nameof(Leb128Status.UnexpectedEnd))]
    public void TryReadUnsigned_U32_RejectsMalformed(byte[] input, string expected)
    {
        Assert.Equal(expected, Leb128.TryReadUnsigned(input, 32, out _, out _).ToString());
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, ulong.MaxValue)] // u64 max: 10 bytes, 1 bit used
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x10 }, 0x1_0000_0000UL)]
    public void TryReadUnsigned_U64_Decodes(byte[] input, ulong expected)
    {
        Assert.Equal(Leb128Status.Ok, Leb128.TryReadUnsigned(input, 64, out var value, out _));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void TryReadUnsigned_U64LastByteBeyondBit63_IsTooLarge()
    {
        byte[] input = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02];

        Assert.Equal(Leb128Status.TooLarge, Leb128.TryReadUnsigned(input, 64, out _, out _));
    }

    [Theory]
    [InlineData(new byte[] { 0x00 }, 0L)]
    [InlineData(new byte[] { 0x7F }, -1L)]
    [InlineData(new byte[] { 0x40 }, -64L)]
    [InlineData(new byte[] { 0x3F }, 63L)]
    [InlineData(new byte[] { 0xC0, 0x00 }, 64L)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x07 }, (long)int.MaxValue)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x78 }, (long)int.MinValue)]   // unused bits copy the sign
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, -1L)]                  // -1 padded to 5 bytes
    public void TryReadSigned_S32_Decodes(byte[] input, long expected)
    {
        Assert.Equal(Leb128Status.Ok, Leb128.TryReadSigned(input, 32, out var value, out _));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x70 }, nameof(Leb128Status.TooLarge))]   // sign bit 0, unused bits 1
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, nameof(Leb128Status.TooLarge))]   // sign bit 1, unused bits 0
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, nameof(Leb128Status.TooLong))]
    public void TryReadSigned_S32_RejectsMalformed(byte[] input, string expected)
    {
        Assert.Equal(expected, Leb128.TryReadSigned(input, 32, out _, out _).ToString());
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, 0xFFFF_FFFFL)]   // s33 holds every u32 type index
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x70 }, -0x1_0000_0000L)] // s33 min
    [InlineData(new byte[] { 0x40 }, -64L)]                                    // the empty block type 0x40
    public void TryReadSigned_S33_Decodes(byte[] input, long expected)
    {
        Assert.Equal(Leb128Status.Ok, Leb128.TryReadSigned(input, 33, out var value, out _));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void TryReadSigned_S33UnusedBitsDisagreeWithSign_IsTooLarge()
    {
        byte[] input = [0xFF, 0xFF, 0xFF, 0xFF, 0x1F]; // sign (bit 32) set, but bits 33-34 clear

        Assert.Equal(Leb128Status.TooLarge, Leb128.TryReadSigned(input, 33, out _, out _));
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00 }, long.MaxValue)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F }, long.MinValue)]
    public void TryReadSigned_S64Extremes_Decodes(byte[] input, long expected)
    {
        Assert.Equal(Leb128Status.Ok, Leb128.TryReadSigned(input, 64, out var value, out var length));
        Assert.Equal(expected, value);
        Assert.Equal(10, length);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, nameof(Leb128Status.TooLarge))] // sign 1, unused 0
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, nameof(Leb128Status.TooLong))]
    public void TryReadSigned_S64_RejectsMalformed(byte[] input, string expected)
    {
        Assert.Equal(expected, Leb128.TryReadSigned(input, 64, out _, out _).ToString());
    }
}
