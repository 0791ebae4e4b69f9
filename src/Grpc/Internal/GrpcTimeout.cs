using System.Globalization;

namespace Sandbox.Grpc.Internal;

/// <summary>
/// The <c>grpc-timeout</c> header (PROTOCOL-HTTP2.md):
/// <code>
/// Timeout      → "grpc-timeout" TimeoutValue TimeoutUnit
/// TimeoutValue → {positive integer as ASCII string of at most 8 digits}
/// TimeoutUnit  → Hour "H" / Minute "M" / Second "S" / Millisecond "m" / Microsecond "u" / Nanosecond "n"
/// </code>
/// </summary>
internal static class GrpcTimeout
{
    /// <summary>The spec's limit on TimeoutValue's digits; 99999999 of the largest unit still fits a TimeSpan.</summary>
    public const int MaxDigits = 8;

    private const long MaxValue = 99_999_999;

    /// <summary>Parses a header value; false for anything the grammar above does not produce.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out TimeSpan timeout)
    {
        timeout = default;
        if (value.Length < 2 || value.Length > MaxDigits + 1)
        {
            return false;
        }
        long number = 0;
        foreach (var c in value[..^1])
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
            number = number * 10 + (c - '0');
        }
        // Eight digits of hours is 3.6e18 ticks, below long.MaxValue (9.2e18): no overflow possible.
        long? ticks = value[^1] switch
        {
            'H' => number * TimeSpan.TicksPerHour,
            'M' => number * TimeSpan.TicksPerMinute,
            'S' => number * TimeSpan.TicksPerSecond,
            'm' => number * TimeSpan.TicksPerMillisecond,
            'u' => number * TimeSpan.TicksPerMicrosecond,
            'n' => number / TimeSpan.NanosecondsPerTick,
            _ => null,
        };
        if (ticks is null)
        {
            return false;
        }
        timeout = TimeSpan.FromTicks(ticks.Value);
        return true;
    }

    /// <summary>
    /// Formats a positive timeout in the finest unit whose value fits in eight digits, rounding up
    /// so that the server's deadline is never earlier than the client's.
    /// </summary>
    public static string Format(TimeSpan timeout)
    {
        var ticks = Math.Max(timeout.Ticks, 1);
        if (TryFit(ticks, TimeSpan.TicksPerMicrosecond, 'u', out var text)
            || TryFit(ticks, TimeSpan.TicksPerMillisecond, 'm', out text)
            || TryFit(ticks, TimeSpan.TicksPerSecond, 'S', out text)
            || TryFit(ticks, TimeSpan.TicksPerMinute, 'M', out text)
            || TryFit(ticks, TimeSpan.TicksPerHour, 'H', out text))
        {
            return text;
        }
        return "99999999H";
    }

    /// <summary>The deadline a timeout gives, clamped to <see cref="DateTime.MaxValue"/> (99999999H is 11,000 years).</summary>
    public static DateTime ToDeadline(DateTime utcNow, TimeSpan timeout)
        => timeout.Ticks >= DateTime.MaxValue.Ticks - utcNow.Ticks ? DateTime.MaxValue : utcNow + timeout;

    private static bool TryFit(long ticks, long ticksPerUnit, char unit, out string text)
    {
        var value = (ticks + ticksPerUnit - 1) / ticksPerUnit;
        text = value <= MaxValue ? value.ToString(CultureInfo.InvariantCulture) + unit : "";
        return value <= MaxValue;
    }
}
