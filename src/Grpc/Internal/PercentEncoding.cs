using System.Text;

namespace Sandbox.Grpc.Internal;

/// <summary>
/// The percent-encoding of <c>grpc-message</c> (PROTOCOL-HTTP2.md, "Status-Message"):
/// <code>
/// Percent-Byte-Unencoded → 1*( %x20-%x24 / %x26-%x7E ) ; space and VCHAR, except %
/// Percent-Byte-Encoded   → "%" 2HEXDIGIT ; 0-9 A-F
/// </code>
/// The message is UTF-8 encoded first. Decoding is lenient, as the spec asks of receivers: a
/// <c>%</c> not followed by two hex digits is kept as it is, and invalid UTF-8 becomes U+FFFD.
/// </summary>
internal static class PercentEncoding
{
    public static string Encode(string message)
    {
        var i = 0;
        while (i < message.Length && IsUnreserved(message[i]))
        {
            i++;
        }
        if (i == message.Length)
        {
            return message; // The usual case: nothing to escape, nothing allocated.
        }
        var utf8 = Encoding.UTF8.GetBytes(message);
        var builder = new StringBuilder(message.Length + 16);
        foreach (var b in utf8)
        {
            if (IsUnreserved((char)b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexDigit(b >> 4)).Append(HexDigit(b & 0xF));
            }
        }
        return builder.ToString();
    }

    public static string Decode(string value)
    {
        if (!value.Contains('%'))
        {
            return value;
        }
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%' && i + 2 < value.Length && TryHex(value[i + 1], out var high) && TryHex(value[i + 2], out var low))
            {
                bytes.Add((byte)((high << 4) | low));
                i += 2;
            }
            else if (c <= 0xFF)
            {
                // Not valid on the wire, but seen from lax senders. Header values reach us
                // decoded as Latin-1, so the char is the byte that was sent.
                bytes.Add((byte)c);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsUnreserved(char c) => c is >= ' ' and <= '~' and not '%';

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);

    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'A' and <= 'F' => c - 'A' + 10,
            >= 'a' and <= 'f' => c - 'a' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
