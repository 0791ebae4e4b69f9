using Sandbox.Engine.Binary;

namespace Sandbox.Engine.Tests.Binary;

public sealed class WasmReaderTests
{
    [Fact]
    public void ReadU32_TooLong_ThrowsWithOffsetOfTheNumber()
    {
        byte[] bytes = [0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
        var reader = new WasmReader(bytes, baseOffset: 100);
        reader.ReadByte();

        DecodeException? error = null;
        try
        {
            reader.ReadU32();
        }
        catch (DecodeException e)
        {
            error = e;
        }

        Assert.NotNull(error);
        Assert.Equal("integer representation too long", error.Reason);
        Assert.Equal(101, error.Offset);
    }

    [Theory]
    [InlineData(new byte[] { 0x02, 0xC3, 0xA9 }, "é")]
    [InlineData(new byte[] { 0x04, 0xF0, 0x9F, 0x98, 0x80 }, "😀")]
    [InlineData(new byte[] { 0x00 }, "")]
    public void ReadName_ValidUtf8_Decodes(byte[] bytes, string expected)
    {
        var reader = new WasmReader(bytes, 0);

        Assert.Equal(expected, reader.ReadName());
        Assert.True(reader.IsAtEnd);
    }

    [Theory]
    [InlineData(new byte[] { 0x01, 0x80 })]             // lone continuation byte
    [InlineData(new byte[] { 0x02, 0xC0, 0x80 })]       // overlong encoding of U+0000
    [InlineData(new byte[] { 0x03, 0xED, 0xA0, 0x80 })] // UTF-16 surrogate U+D800
    [InlineData(new byte[] { 0x04, 0xF4, 0x90, 0x80, 0x80 })] // beyond U+10FFFF
    public void ReadName_MalformedUtf8_Throws(byte[] bytes)
    {
        var reason = ReadNameError(bytes);

        Assert.Equal("malformed UTF-8 encoding", reason);
    }

    [Fact]
    public void ReadName_LengthBeyondInput_IsLengthOutOfBounds()
    {
        Assert.Equal("length out of bounds", ReadNameError([0x05, 0x61]));
    }

    [Fact]
    public void ReadByte_PastEndOfPart_IsUnexpectedEndOfSection()
    {
        var reader = new WasmReader([], 8);

        var reason = "";
        try
        {
            reader.ReadByte();
        }
        catch (DecodeException e)
        {
            reason = e.Reason;
        }

        Assert.Equal("unexpected end of section or function", reason);
    }

    [Fact]
    public void ReadF32Bits_NanPayload_IsKeptBitForBit()
    {
        var reader = new WasmReader([0x01, 0x00, 0xA0, 0x7F], 0); // 0x7FA00001: a signalling NaN

        Assert.Equal(0x7FA0_0001u, reader.ReadF32Bits());
    }

    private static string ReadNameError(byte[] bytes)
    {
        var reader = new WasmReader(bytes, 0);
        try
        {
            reader.ReadName();
            return "(no error)";
        }
        catch (DecodeException e)
        {
            return e.Reason;
        }
    }
}
