using Sandbox.V1;

namespace Sandbox.Server.Tests.Api;

/// <summary>The TYPE:LITERAL text form of values, as the CLI reads and prints them. Floats are compared by bits.</summary>
public sealed class ValueTextTests
{
    [Theory]
    [InlineData("i32:5", 5)]
    [InlineData("i32:-1", -1)]
    [InlineData("i32:0xFFFFFFFF", -1)] // unsigned spelling wraps, as in the text format
    [InlineData("i32:4294967295", -1)]
    [InlineData("i32:-2147483648", int.MinValue)]
    [InlineData("i32:2147483647", int.MaxValue)]
    [InlineData("i32:-0x80000000", int.MinValue)]
    [InlineData(" I32 : 7 ", 7)] // type is case-insensitive, blanks trimmed
    public void Parse_I32_GivesTheBits(string text, int expected)
    {
        var value = Value.Parse(text);

        Assert.Equal(Value.KindOneofCase.I32, value.KindCase);
        Assert.Equal(expected, value.I32);
    }

    [Theory]
    [InlineData("i64:-9223372036854775808", long.MinValue)]
    [InlineData("i64:9223372036854775807", long.MaxValue)]
    [InlineData("i64:18446744073709551615", -1L)]
    [InlineData("i64:0xFFFFFFFFFFFFFFFF", -1L)]
    [InlineData("i64:0x100000000", 0x1_0000_0000L)]
    public void Parse_I64_GivesTheBits(string text, long expected)
    {
        var value = Value.Parse(text);

        Assert.Equal(Value.KindOneofCase.I64, value.KindCase);
        Assert.Equal(expected, value.I64);
    }

    [Theory]
    [InlineData("f32:1.5", 0x3FC0_0000u)]
    [InlineData("f32:0", 0x0000_0000u)]
    [InlineData("f32:-0", 0x8000_0000u)]
    [InlineData("f32:0.1", 0x3DCC_CCCDu)] // rounded to nearest
    [InlineData("f32:3.4028235e38", 0x7F7F_FFFFu)] // largest finite
    [InlineData("f32:1e-45", 0x0000_0001u)] // smallest subnormal
    [InlineData("f32:inf", 0x7F80_0000u)]
    [InlineData("f32:-inf", 0xFF80_0000u)]
    [InlineData("f32:nan", 0x7FC0_0000u)] // canonical NaN
    [InlineData("f32:-nan", 0xFFC0_0000u)]
    [InlineData("f32:nan:0x1", 0x7F80_0001u)] // signalling NaN, payload kept
    [InlineData("f32:-nan:0x7fffff", 0xFFFF_FFFFu)]
    public void Parse_F32_GivesTheBits(string text, uint expectedBits)
    {
        var value = Value.Parse(text);

        Assert.Equal(Value.KindOneofCase.F32, value.KindCase);
        Assert.Equal(expectedBits, value.F32);
    }

    [Theory]
    [InlineData("f64:1.5", 0x3FF8_0000_0000_0000ul)]
    [InlineData("f64:0.1", 0x3FB9_9999_9999_999Aul)]
    [InlineData("f64:-0", 0x8000_0000_0000_0000ul)]
    [InlineData("f64:4.9e-324", 0x0000_0000_0000_0001ul)]
    [InlineData("f64:-inf", 0xFFF0_0000_0000_0000ul)]
    [InlineData("f64:nan", 0x7FF8_0000_0000_0000ul)]
    [InlineData("f64:nan:0x4", 0x7FF0_0000_0000_0004ul)]
    [InlineData("f64:-nan:0x8000000000001", 0xFFF8_0000_0000_0001ul)]
    public void Parse_F64_GivesTheBits(string text, ulong expectedBits)
    {
        var value = Value.Parse(text);

        Assert.Equal(Value.KindOneofCase.F64, value.KindCase);
        Assert.Equal(expectedBits, value.F64);
    }

    [Fact]
    public void Parse_V128_KeepsBytesInMemoryOrder()
    {
        var value = Value.Parse("v128:000102030405060708090a0b0c0d0e0f");

        Assert.Equal(Enumerable.Range(0, 16).Select(i => (byte)i), value.V128.ToByteArray());
    }

    [Theory]
    [InlineData("funcref:null", Value.KindOneofCase.Funcref, null)]
    [InlineData("externref:null", Value.KindOneofCase.Externref, null)]
    [InlineData("externref:42", Value.KindOneofCase.Externref, 42ul)]
    public void Parse_Reference_GivesNullOrHandle(string text, Value.KindOneofCase kind, ulong? handle)
    {
        var value = Value.Parse(text);

        Assert.Equal(kind, value.KindCase);
        var reference = kind == Value.KindOneofCase.Funcref ? value.Funcref : value.Externref;
        Assert.Equal(handle, reference.HasHandle ? reference.Handle : null);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")] // no type
    [InlineData("u32:5")] // no such type
    [InlineData("i32:")]
    [InlineData("i32:x")]
    [InlineData("i32:0x")]
    [InlineData("i32:4294967296")] // 2^32
    [InlineData("i32:-2147483649")] // -2^31 - 1
    [InlineData("i32:1.0")]
    [InlineData("i64:18446744073709551616")] // 2^64
    [InlineData("i64:--1")]
    [InlineData("f32:")]
    [InlineData("f32:1.5.5")]
    [InlineData("f32:--1")]
    [InlineData("f32:∞")]
    [InlineData("f32:nan:0x0")] // a zero payload is infinity, not a NaN
    [InlineData("f32:nan:0x800000")] // payload wider than 23 bits
    [InlineData("f64:nan:0x10000000000000")] // payload wider than 52 bits
    [InlineData("f64:nan:1")]
    [InlineData("v128:00")] // not 16 bytes
    [InlineData("v128:zz0102030405060708090a0b0c0d0e0f")]
    [InlineData("funcref:x")]
    [InlineData("externref:-1")]
    public void TryParse_NotAValue_ReturnsFalse(string text)
    {
        Assert.False(Value.TryParse(text, out var value));
        Assert.Null(value);
    }

    [Fact]
    public void Parse_NotAValue_ThrowsFormatExceptionSayingWhy()
    {
        var error = Assert.Throws<FormatException>(() => Value.Parse("i32:4294967296"));

        Assert.Equal("'4294967296' is not an i32.", error.Message);
    }

    [Theory]
    [InlineData(0x7FC0_0000u, "f32:nan")]
    [InlineData(0xFFC0_0000u, "f32:-nan")]
    [InlineData(0x7F80_0001u, "f32:nan:0x1")]
    [InlineData(0x7F80_0000u, "f32:inf")]
    [InlineData(0x8000_0000u, "f32:-0")]
    [InlineData(0x3FC0_0000u, "f32:1.5")]
    [InlineData(0x3DCC_CCCDu, "f32:0.1")] // shortest form that reads back to the same bits
    public void ToText_F32_PrintsTheShortestExactForm(uint bits, string expected)
    {
        Assert.Equal(expected, Value.FromF32Bits(bits).ToText());
    }

    [Fact]
    public void ToText_OtherKinds_UseTheSameSyntaxParseReads()
    {
        Assert.Equal("i32:-1", Value.FromI32(-1).ToText());
        Assert.Equal("i64:-9223372036854775808", Value.FromI64(long.MinValue).ToText());
        Assert.Equal("f64:nan:0x4", Value.FromF64Bits(0x7FF0_0000_0000_0004).ToText());
        Assert.Equal("v128:000102030405060708090a0b0c0d0e0f", Value.FromV128(Enumerable.Range(0, 16).Select(i => (byte)i).ToArray()).ToText());
        Assert.Equal("funcref:null", Value.NullFuncRef().ToText());
        Assert.Equal("externref:7", Value.ExternRef(7).ToText());
    }

    [Theory]
    [InlineData(0x7FC0_0000u)]
    [InlineData(0xFFBF_FFFFu)] // negative signalling NaN, all payload bits but the quiet one
    [InlineData(0x0000_0001u)]
    [InlineData(0x8000_0001u)]
    [InlineData(0x7F7F_FFFFu)]
    [InlineData(0x3F80_0001u)] // 1 + ulp
    [InlineData(0x1234_5678u)]
    public void ToText_ThenParse_F32_RoundTripsBitExactly(uint bits)
    {
        Assert.Equal(bits, Value.Parse(Value.FromF32Bits(bits).ToText()).F32);
    }

    [Theory]
    [InlineData(0x7FF8_0000_0000_0000ul)]
    [InlineData(0xFFF0_0000_0000_0001ul)]
    [InlineData(0x0000_0000_0000_0001ul)]
    [InlineData(0x3FF0_0000_0000_0001ul)]
    [InlineData(0x7FEF_FFFF_FFFF_FFFFul)]
    [InlineData(0x0123_4567_89AB_CDEFul)]
    public void ToText_ThenParse_F64_RoundTripsBitExactly(ulong bits)
    {
        Assert.Equal(bits, Value.Parse(Value.FromF64Bits(bits).ToText()).F64);
    }

    [Theory]
    [InlineData("i32x4:1,2,3,-1", "010000000200000003000000ffffffff")]
    [InlineData("i32x4: 0xFFFFFFFF , 0,0,0", "ffffffff000000000000000000000000")] // lanes trimmed, unsigned spelling wraps
    [InlineData("i8x16:0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,-1", "000102030405060708090a0b0c0d0eff")]
    [InlineData("i16x8:-32768,65535,0,0,0,0,0,1", "0080ffff000000000000000000000100")]
    [InlineData("i64x2:-1,0x8000000000000000", "ffffffffffffffff0000000000000080")]
    [InlineData("f32x4:1.5,-0,nan:0x1,inf", "0000c03f 00000080 0100807f 0000807f")]
    [InlineData("f64x2:1,-nan", "000000000000f03f000000000000f8ff")]
    public void Parse_V128Lanes_GivesBytesInMemoryOrder(string text, string expectedHex)
    {
        var value = Value.Parse(text);

        Assert.Equal(Value.KindOneofCase.V128, value.KindCase);
        Assert.Equal(expectedHex.Replace(" ", ""), Convert.ToHexStringLower(value.V128.Span));
    }

    [Theory]
    [InlineData("i32x4:1,2,3")]          // too few lanes
    [InlineData("i32x4:1,2,3,4,5")]      // too many
    [InlineData("i8x16:256,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0")] // beyond the lane's range
    [InlineData("i16x8:-32769,0,0,0,0,0,0,0")]
    [InlineData("f32x4:1,2,x,4")]
    [InlineData("i32x4:")]
    public void Parse_V128LanesMalformed_FailsWithReason(string text)
    {
        var error = Assert.Throws<FormatException>(() => Value.Parse(text));

        Assert.Contains("lane", error.Message);
        Assert.False(Value.TryParse(text, out _));
    }

    [Theory]
    [InlineData("i8x16")]
    [InlineData("i16x8")]
    [InlineData("i32x4")]
    [InlineData("i64x2")]
    [InlineData("f32x4")]
    [InlineData("f64x2")]
    public void ToLaneText_EveryShape_ParsesBackToTheSameBytes(string shape)
    {
        byte[] bytes = [0x01, 0x00, 0x80, 0x7F, 0x00, 0x00, 0xC0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x80];
        var value = Value.FromV128(bytes);

        var text = value.ToLaneText(shape);

        Assert.StartsWith(shape + ":", text);
        Assert.Equal(bytes, Value.Parse(text).V128.ToByteArray());
    }
}
