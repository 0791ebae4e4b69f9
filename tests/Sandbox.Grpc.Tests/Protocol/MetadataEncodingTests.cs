using Sandbox.Grpc.Internal;

namespace Sandbox.Grpc.Tests.Protocol;

public class MetadataEncodingTests
{
    [Theory]
    [InlineData(new byte[] { }, "")]
    [InlineData(new byte[] { 0x01 }, "AQ")]               // padded form "AQ==": padding dropped
    [InlineData(new byte[] { 0x01, 0x02 }, "AQI")]        // "AQI="
    [InlineData(new byte[] { 0x01, 0x02, 0x03 }, "AQID")] // no padding needed
    [InlineData(new byte[] { 0xFB, 0xFF }, "+/8")]        // the standard alphabet, not the URL one
    public void EncodeBinary_Bytes_IsUnpaddedBase64(byte[] value, string expected)
    {
        Assert.Equal(expected, MetadataEncoding.EncodeBinary(value));
    }

    [Theory]
    [InlineData("AQ", new byte[] { 0x01 })]
    [InlineData("AQ==", new byte[] { 0x01 })]
    [InlineData("AQI", new byte[] { 0x01, 0x02 })]
    [InlineData("AQI=", new byte[] { 0x01, 0x02 })]
    [InlineData("AQID", new byte[] { 0x01, 0x02, 0x03 })]
    [InlineData("", new byte[] { })]
    public void TryDecodeBinary_PaddedOrUnpadded_Decodes(string value, byte[] expected)
    {
        Assert.True(MetadataEncoding.TryDecodeBinary(value, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("A")]     // a length of 1 mod 4 is never base64
    [InlineData("A*BC")]  // not in the alphabet
    [InlineData("AQ=")]   // wrong padding
    public void TryDecodeBinary_NotBase64_ReturnsFalse(string value)
    {
        Assert.False(MetadataEncoding.TryDecodeBinary(value, out _));
    }

    [Theory]
    [InlineData(":path", true)]
    [InlineData("content-type", true)]
    [InlineData("te", true)]
    [InlineData("grpc-timeout", true)]
    [InlineData("grpc-encoding", true)]
    [InlineData("grpc-accept-encoding", true)]
    [InlineData("host", true)]
    [InlineData("user-agent", false)]
    [InlineData("authorization", false)]
    [InlineData("x-tenant", false)]
    [InlineData("x-trace-bin", false)]
    public void IsReservedHeader_Name_HidesOnlyProtocolHeaders(string name, bool reserved)
    {
        Assert.Equal(reserved, MetadataEncoding.IsReservedHeader(name));
    }

    [Fact]
    public void TryAdd_BinaryHeader_DecodesValue()
    {
        var metadata = new Metadata();

        Assert.True(MetadataEncoding.TryAdd(metadata, "x-trace-bin", "AQID"));

        Assert.Equal(new byte[] { 1, 2, 3 }, metadata.GetValueBytes("x-trace-bin"));
    }

    [Fact]
    public void TryAdd_InvalidBinaryValue_AddsNothing()
    {
        var metadata = new Metadata();

        Assert.False(MetadataEncoding.TryAdd(metadata, "x-trace-bin", "*"));
        Assert.Equal(0, metadata.Count);
    }

    [Fact]
    public void ToHeaderValue_BinaryEntry_IsUnpaddedBase64()
    {
        var entry = new Metadata.Entry("x-trace-bin", [0x01]);

        Assert.Equal("AQ", MetadataEncoding.ToHeaderValue(entry));
    }
}
