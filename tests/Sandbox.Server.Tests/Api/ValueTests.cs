using Google.Protobuf;
using Sandbox.V1;

namespace Sandbox.Server.Tests.Api;

public sealed class ValueTests
{
    [Theory]
    // A negative signalling NaN. The bits come in as a parameter: in Release RyuJIT folds
    // UInt32BitsToSingle of a constant into a float constant it keeps as a double, quieting it.
    [InlineData(0xFFA0_0001u)]
    public void FromF32_NaNWithPayload_KeepsEveryBitThroughTheWire(uint bits)
    {
        var nan = BitConverter.UInt32BitsToSingle(bits);

        var decoded = Value.Parser.ParseFrom(Value.FromF32(nan).ToByteArray());

        Assert.Equal(bits, decoded.F32);
        Assert.Equal(bits, BitConverter.SingleToUInt32Bits(decoded.AsSingle()));
    }

    [Fact]
    public void FromF64_NegativeZero_KeepsTheSign()
    {
        var decoded = Value.Parser.ParseFrom(Value.FromF64(-0.0).ToByteArray());

        Assert.Equal(0x8000_0000_0000_0000ul, decoded.F64);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(17)]
    public void FromV128_NotSixteenBytes_Throws(int length)
    {
        Assert.Throws<ArgumentException>(() => Value.FromV128(new byte[length]));
    }

    [Fact]
    public void AsDouble_ValueIsAnI32_ThrowsNamingBothKinds()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Value.FromI32(1).AsDouble());

        Assert.Equal("The value is i32, not f64.", error.Message);
    }

    [Fact]
    public void NullFuncRef_OnTheWire_IsANullReference()
    {
        var decoded = Value.Parser.ParseFrom(Value.NullFuncRef().ToByteArray());

        Assert.Equal(Value.KindOneofCase.Funcref, decoded.KindCase);
        Assert.False(decoded.Funcref.HasHandle);
    }
}
