using System.Buffers;
using System.Net;
using Google.Protobuf;
using Sandbox.Grpc.Internal;

namespace Sandbox.Grpc.Tests.Infrastructure;

/// <summary>gRPC requests made by hand with HttpClient, to see exactly what the server puts on the wire.</summary>
public static class RawGrpc
{
    public sealed record Result(HttpResponseMessage Response, byte[] Body, string? Status, string? Message, bool TrailersOnly);

    public static byte[] Frame(IMessage message)
    {
        var output = new ArrayBufferWriter<byte>();
        MessageWriter.Write(output, message, maxMessageSize: null, gzip: false);
        return output.WrittenSpan.ToArray();
    }

    public static async Task<Result> PostAsync(
        string address, string path, byte[] body, (string Name, string Value)[]? headers = null,
        string contentType = "application/grpc", Version? version = null)
    {
        using var client = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, address + path)
        {
            Version = version ?? HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.TryAddWithoutValidation("content-type", contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        var response = await client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var headerStatus = Find(response.Headers, "grpc-status");
        return new Result(
            response,
            bytes,
            headerStatus ?? Find(response.TrailingHeaders, "grpc-status"),
            headerStatus is null ? Find(response.TrailingHeaders, "grpc-message") : Find(response.Headers, "grpc-message"),
            headerStatus is not null);
    }

    public static string? Find(System.Net.Http.Headers.HttpHeaders headers, string name)
        => headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
