namespace Sandbox.Grpc.Internal;

/// <summary>
/// Metadata as HTTP/2 headers (PROTOCOL-HTTP2.md, "Custom-Metadata"): ASCII values as they are,
/// <c>-bin</c> values in base64. "Implementations MUST accept padded and un-padded values and
/// should emit un-padded values."
/// </summary>
internal static class MetadataEncoding
{
    /// <summary>Base64 without the trailing <c>=</c> padding.</summary>
    public static string EncodeBinary(byte[] value) => Convert.ToBase64String(value).TrimEnd('=');

    /// <summary>Decodes padded or unpadded base64; false if the value is not base64 at all.</summary>
    public static bool TryDecodeBinary(string value, out byte[] bytes)
    {
        bytes = [];
        if (value.Length % 4 != 0 && value.EndsWith('='))
        {
            return false; // Padded, but not to a multiple of four.
        }
        var padded = (value.Length % 4) switch
        {
            0 => value,
            2 => value + "==",
            3 => value + "=",
            _ => null, // A remainder of 1 is never valid base64.
        };
        if (padded is null)
        {
            return false;
        }
        var buffer = new byte[padded.Length / 4 * 3];
        if (!Convert.TryFromBase64String(padded, buffer, out var written))
        {
            return false;
        }
        bytes = written == buffer.Length ? buffer : buffer[..written];
        return true;
    }

    /// <summary>
    /// Headers the protocol uses itself and that handlers never see as metadata: HTTP/2
    /// pseudo-headers, <c>host</c> (Kestrel's name for :authority) and the gRPC call headers.
    /// </summary>
    public static bool IsReservedHeader(string name)
    {
        if (name.Length == 0 || name[0] == ':')
        {
            return true;
        }
        return name.Equals("content-type", StringComparison.OrdinalIgnoreCase)
            || name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
            || name.Equals("host", StringComparison.OrdinalIgnoreCase)
            || name.Equals(GrpcProtocol.TeHeader, StringComparison.OrdinalIgnoreCase)
            || name.Equals(GrpcProtocol.TimeoutHeader, StringComparison.OrdinalIgnoreCase)
            || name.Equals(GrpcProtocol.EncodingHeader, StringComparison.OrdinalIgnoreCase)
            || name.Equals(GrpcProtocol.AcceptEncodingHeader, StringComparison.OrdinalIgnoreCase)
            || name.Equals(GrpcProtocol.StatusHeader, StringComparison.OrdinalIgnoreCase)
            || name.Equals(GrpcProtocol.MessageHeader, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Adds one received header to <paramref name="metadata"/>; false (and nothing added) for a
    /// name or value metadata cannot carry, such as a <c>-bin</c> value that is not base64.
    /// </summary>
    public static bool TryAdd(Metadata metadata, string name, string value)
    {
        if (!IsValidKey(name))
        {
            return false;
        }
        if (Metadata.Entry.IsBinaryKey(name))
        {
            if (!TryDecodeBinary(value, out var bytes))
            {
                return false;
            }
            metadata.Add(name, bytes);
            return true;
        }
        if (!IsPrintableAscii(value))
        {
            return false;
        }
        metadata.Add(name, value);
        return true;
    }

    /// <summary>True for a value an ASCII metadata entry can carry.</summary>
    public static bool IsPrintableAscii(string value) => !value.AsSpan().ContainsAnyExceptInRange(' ', '~');

    /// <summary>True for a key <see cref="TryAdd"/> would take as an ASCII (non-binary) entry.</summary>
    public static bool IsAsciiKey(string name) => IsValidKey(name) && !Metadata.Entry.IsBinaryKey(name) && !IsReservedHeader(name);

    /// <summary>The header value of a metadata entry as it goes on the wire.</summary>
    public static string ToHeaderValue(Metadata.Entry entry) => entry.IsBinary ? EncodeBinary(entry.ValueBytes) : entry.Value;

    private static bool IsValidKey(string name)
    {
        foreach (var c in name)
        {
            if (c is not (>= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_' or '.'))
            {
                return false;
            }
        }
        return name.Length > 0;
    }
}
