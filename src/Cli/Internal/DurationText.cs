using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Sandbox.Cli.Internal;

/// <summary>Durations as people type them: <c>250ms</c>, <c>10s</c>, <c>1.5m</c>, <c>2h</c>, or <c>hh:mm:ss</c>.</summary>
internal static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        text = text.Trim();
        // Longest suffix first: "ms" before "s"; "m" alone is minutes.
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                var number = text.AsSpan(0, text.Length - suffix.Length);
                if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                    || !double.IsFinite(value) || value * seconds > TimeSpan.MaxValue.TotalSeconds)
                {
                    return false;
                }
                duration = TimeSpan.FromSeconds(value * seconds);
                return true;
            }
        }
        return text.Contains(':') && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }
}
