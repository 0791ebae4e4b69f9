using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using Sandbox.V1;

namespace Sandbox.Server.Tests.Infrastructure;

/// <summary>
/// gRPC calls of <c>sandbox.v1.Sandbox</c> built by hand over HTTP/2 with prior knowledge (h2c),
/// for requests no gRPC client would send: bodies that are not a message, calls that end with
/// the connection.
/// </summary>
public static class RawGrpc
{
    /// <summary>The length prefix of a message: a compressed flag byte and a 4-byte big-endian length (PROTOCOL-HTTP2.md, "Length-Prefixed-Message").</summary>
    public const int HeaderSize = 1 + 4;

    /// <summary>One message frame holding <paramref name="message"/>, flagged compressed when <paramref name="compressed"/>.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> message, bool compressed = false)
    {
        var frame = new byte[HeaderSize + message.Length];
        frame[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame.AsSpan(HeaderSize));
        return frame;
    }

    /// <summary>A POST of <paramref name="content"/> to <c>/sandbox.v1.Sandbox/<paramref name="rpc"/></c> at <paramref name="address"/>.</summary>
    public static HttpRequestMessage Request(string address, string rpc, HttpContent content, string? apiKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{address}/{SandboxGrpc.ServiceName}/{rpc}")
        {
            // h2c with prior knowledge, as gRPC clients speak to a cleartext endpoint.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (apiKey is not null) request.Headers.TryAddWithoutValidation("authorization", "Bearer " + apiKey);
        return request;
    }

    /// <summary>
    /// Calls <paramref name="rpc"/> with one frame of <paramref name="message"/> (compressed with
    /// <paramref name="encoding"/>, e.g. <c>gzip</c>, when given: the bytes are sent as they are,
    /// flagged compressed, with that <c>grpc-encoding</c>) and returns the call's
    /// <c>grpc-status</c> and <c>grpc-message</c>.
    /// </summary>
    public static async Task<(StatusCode Status, string Message)> CallAsync(string address, string rpc, byte[] message, string? apiKey = null, string? encoding = null)
    {
        using var http = new HttpClient(new SocketsHttpHandler());
        using var request = Request(address, rpc, new ByteArrayContent(Frame(message, compressed: encoding is not null)), apiKey);
        if (encoding is not null) request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode} over HTTP/{response.Version}");
        // A trailers-only response carries the status in its headers, any other in its trailers.
        var headers = response.TrailingHeaders.Contains("grpc-status") ? response.TrailingHeaders : response.Headers;
        var status = (StatusCode)int.Parse(headers.GetValues("grpc-status").Single(), CultureInfo.InvariantCulture);
        var detail = headers.TryGetValues("grpc-message", out var values) ? Uri.UnescapeDataString(values.Single()) : "";
        return (status, detail);
    }
}
