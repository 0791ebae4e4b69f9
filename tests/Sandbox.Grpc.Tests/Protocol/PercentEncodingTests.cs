using Sandbox.Grpc.Internal;

namespace Sandbox.Grpc.Tests.Protocol;

public class PercentEncodingTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("Method is unimplemented.", "Method is unimplemented.")] // printable ASCII stays as it is
    [InlineData("100%", "100%25")]                                       // '%' itself is escaped
    [InlineData("a\nb", "a%0Ab")]                                        // control characters
    [InlineData("\t", "%09")]
    [InlineData("~ ", "~ ")]                                             // the range ends are unreserved
    [InlineData("\u007F", "%7F")]                                        // DEL is not
    [InlineData("é", "%C3%A9")]                                          // UTF-8 first, then each byte
    [InlineData("✓", "%E2%9C%93")]
    [InlineData("😀", "%F0%9F%98%80")]                                   // a surrogate pair is one code point
    public void Encode_Message_MatchesSpec(string message, string expected)
    {
        Assert.Equal(expected, PercentEncoding.Encode(message));
    }

    [Theory]
    [InlineData("100%25", "100%")]
    [InlineData("%E2%9C%93", "✓")]
    [InlineData("%e2%9c%93", "✓")]     // lower-case hex is accepted
    [InlineData("50%", "50%")]         // a '%' without two hex digits is kept, as the spec asks
    [InlineData("%4", "%4")]
    [InlineData("%zz", "%zz")]
    [InlineData("%FF", "\uFFFD")]      // invalid UTF-8 becomes the replacement character
    [InlineData("plain", "plain")]
    public void Decode_Value_IsLenient(string value, string expected)
    {
        Assert.Equal(expected, PercentEncoding.Decode(value));
    }

    [Theory]
    [InlineData("Exception was thrown by handler.")]
    [InlineData("line 1\r\nline 2\t%d ✓ 😀 é")]
    public void Decode_OfEncode_RoundTrips(string message)
    {
        Assert.Equal(message, PercentEncoding.Decode(PercentEncoding.Encode(message)));
    }

    [Fact]
    public void Encode_PlainAscii_ReturnsSameInstance()
    {
        var message = "no escaping needed";

        Assert.Same(message, PercentEncoding.Encode(message));
    }
}
