using Microsoft.Extensions.Primitives;

namespace Sandbox.Grpc.Internal;

/// <summary>
/// Header names and values of gRPC over HTTP/2 (grpc/grpc doc/PROTOCOL-HTTP2.md), preallocated so
/// that the per-call path does not build strings.
/// </summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string TeHeader = "te";
    public const string UserAgentHeader = "user-agent";

    public const string IdentityEncoding = "identity";
    public const string GzipEncoding = "gzip";

    /// <summary>What we can decode, sent with every response and with UNIMPLEMENTED for an unknown encoding.</summary>
    public const string SupportedEncodings = "identity,gzip";

    public const string UserAgent = "grpc-dotnet-sandbox/1.0";

    public static readonly StringValues ContentTypeValue = ContentType;
    public static readonly StringValues GzipValue = GzipEncoding;
    public static readonly StringValues SupportedEncodingsValue = SupportedEncodings;

    /// <summary><c>grpc-status</c> values "0" to "16", indexed by code.</summary>
    private static readonly StringValues[] StatusValues = CreateStatusValues();

    public static StringValues StatusValue(StatusCode code)
        => (uint)code < (uint)StatusValues.Length ? StatusValues[(int)code] : new StringValues(((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// True for <c>application/grpc</c> and its variants <c>application/grpc+proto</c>,
    /// <c>application/grpc;charset=...</c>: the spec's Content-Type is "application/grpc" [("+proto" / "+json" / {custom})].
    /// </summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return contentType.Length == ContentType.Length || contentType[ContentType.Length] is '+' or ';';
    }

    /// <summary>True if a comma-separated <c>grpc-accept-encoding</c> value lists <paramref name="encoding"/>.</summary>
    public static bool AcceptsEncoding(StringValues acceptEncoding, string encoding)
    {
        foreach (var value in acceptEncoding)
        {
            foreach (var range in value.AsSpan().Split(','))
            {
                if (value.AsSpan()[range].Trim().Equals(encoding, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static StringValues[] CreateStatusValues()
    {
        var values = new StringValues[(int)StatusCode.Unauthenticated + 1];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return values;
    }
}
