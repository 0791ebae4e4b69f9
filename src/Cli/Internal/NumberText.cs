using System.CommandLine.Parsing;
using System.Globalization;

namespace Sandbox.Cli.Internal;

/// <summary>Unsigned numbers for offsets, sizes and counts: decimal, or hex with <c>0x</c>.</summary>
internal static class NumberText
{
    public static bool TryParseUInt64(string? text, out ulong value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var span = text.AsSpan().Trim();
        return span.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? span.Length > 2 && ulong.TryParse(span[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : ulong.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A System.CommandLine custom parser for a <see cref="ulong"/> option or argument.</summary>
    public static ulong ParseUInt64(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (TryParseUInt64(text, out var value))
        {
            return value;
        }
        result.AddError($"'{text}' is not an unsigned number (decimal, or hex with 0x).");
        return 0;
    }

    /// <summary>As <see cref="ParseUInt64"/>, for values that must fit in 32 bits.</summary>
    public static uint ParseUInt32(ArgumentResult result)
    {
        var value = ParseUInt64(result);
        if (value > uint.MaxValue)
        {
            result.AddError($"{value} is larger than {uint.MaxValue}.");
            return 0;
        }
        return (uint)value;
    }
}
