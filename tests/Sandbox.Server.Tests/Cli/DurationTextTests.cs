using Sandbox.Cli.Internal;

namespace Sandbox.Server.Tests.Cli;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("10s", 10_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("0.5M", 30_000)] // units are case-insensitive
    [InlineData("00:00:03", 3_000)]
    [InlineData("0s", 0)]
    public void TryParse_Duration_GivesMilliseconds(string text, double milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("10")] // a unit is required
    [InlineData("s")]
    [InlineData("-1s")]
    [InlineData("1e3s")]
    [InlineData("1d")]
    [InlineData("99999999999999999999h")] // beyond TimeSpan
    [InlineData("-00:00:01")]
    public void TryParse_NotADuration_ReturnsFalse(string? text)
    {
        Assert.False(DurationText.TryParse(text, out _));
    }
}
