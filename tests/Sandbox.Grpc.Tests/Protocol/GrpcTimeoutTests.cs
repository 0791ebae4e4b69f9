using Sandbox.Grpc.Internal;

namespace Sandbox.Grpc.Tests.Protocol;

public class GrpcTimeoutTests
{
    [Theory]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("3S", 30_000_000L)]
    [InlineData("250m", 2_500_000L)]
    [InlineData("7u", 70L)]
    [InlineData("500n", 5L)]
    [InlineData("99n", 0L)]               // below one 100 ns tick: truncated
    [InlineData("0S", 0L)]                // zero is a deadline already reached
    [InlineData("00000001S", 10_000_000L)] // leading zeros count towards the 8 digits
    [InlineData("99999999m", 999_999_990_000L)]
    [InlineData("99999999H", 99_999_999L * 36_000_000_000L)] // the largest value: 3.6e18 ticks, no overflow
    public void TryParse_ValidValue_ReturnsTimeout(string header, long expectedTicks)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(expectedTicks, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]                // empty
    [InlineData("S")]               // unit without a value
    [InlineData("10")]              // value without a unit
    [InlineData("100000000S")]      // 9 digits: the spec allows at most 8
    [InlineData("999999999H")]      // 9 digits of the largest unit: would overflow a TimeSpan if accepted
    [InlineData("10s")]             // units are case-sensitive: "s" is not seconds
    [InlineData("10h")]
    [InlineData("10x")]             // unknown unit
    [InlineData("-1S")]             // TimeoutValue is a positive integer
    [InlineData("+1S")]
    [InlineData(" 1S")]
    [InlineData("1 S")]
    [InlineData("1.5S")]
    public void TryParse_InvalidValue_ReturnsFalse(string header)
    {
        Assert.False(GrpcTimeout.TryParse(header, out _));
    }

    [Theory]
    [InlineData(1L, "1u")]                         // one tick rounds up to a microsecond
    [InlineData(10_000_000L, "1000000u")]          // 1 s still fits in 8 digits of microseconds
    [InlineData(1_000_000_000L, "100000m")]        // 100 s no longer does: milliseconds
    [InlineData(1_000_000_000_001L, "100001S")]    // rounded up, never down
    [InlineData(36_000_000_000_000_000L, "60000000M")]   // 1,000,000 hours: 3.6e9 s is 10 digits, minutes fit
    [InlineData(86_400_000_000_000_000L, "2400000H")]    // 100,000 days: 1.44e8 minutes is 9 digits
    public void Format_Timeout_UsesFinestUnitThatFits(long ticks, string expected)
    {
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromTicks(ticks)));
    }

    [Fact]
    public void Format_ThenTryParse_NeverShortensTheTimeout()
    {
        foreach (var ticks in new[] { 1L, 9L, 12_345L, 10_000_001L, 987_654_321_012L, TimeSpan.FromDays(400).Ticks })
        {
            Assert.True(GrpcTimeout.TryParse(GrpcTimeout.Format(TimeSpan.FromTicks(ticks)), out var parsed));
            Assert.InRange(parsed.Ticks, ticks, long.MaxValue);
        }
    }

    [Fact]
    public void ToDeadline_LargestTimeout_ClampsToMaxValue()
    {
        Assert.True(GrpcTimeout.TryParse("99999999H", out var timeout));
        var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        Assert.Equal(DateTime.MaxValue, GrpcTimeout.ToDeadline(now, timeout));
        Assert.Equal(now.AddSeconds(5), GrpcTimeout.ToDeadline(now, TimeSpan.FromSeconds(5)));
    }
}
