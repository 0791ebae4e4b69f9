using Sandbox.Cli.Internal;

namespace Sandbox.Server.Tests.Cli;

public sealed class NumberTextTests
{
    [Theory]
    [InlineData("0", 0ul)]
    [InlineData("65536", 65536ul)]
    [InlineData("0x10000", 65536ul)]
    [InlineData("0XfF", 255ul)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    [InlineData("0xFFFFFFFFFFFFFFFF", ulong.MaxValue)]
    public void TryParseUInt64_Number_GivesValue(string text, ulong expected)
    {
        Assert.True(NumberText.TryParseUInt64(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1.0")]
    [InlineData("18446744073709551616")] // 2^64
    [InlineData("0x10000000000000000")]
    [InlineData("12abc")]
    public void TryParseUInt64_NotANumber_ReturnsFalse(string text)
    {
        Assert.False(NumberText.TryParseUInt64(text, out _));
    }
}
