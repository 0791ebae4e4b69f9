using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Sandbox.Grpc.Internal.Server;

/// <summary>
/// The one place a call's status goes on the wire. After at least one message (or explicit
/// response headers), the status is sent in trailers:
/// <code>Response → (Response-Headers *Length-Prefixed-Message Trailers) / Trailers-Only</code>
/// Before any message, it is a Trailers-Only response (PROTOCOL-HTTP2.md): the status rides in
/// the response headers and Kestrel sends them as one HEADERS frame with END_STREAM, no body.
/// </summary>
internal static class StatusWriter
{
    public static void SetStatus(HttpResponse response, Status status, Metadata? trailers, bool trailersOnly)
    {
        if (trailersOnly)
        {
            var headers = response.Headers;
            headers.ContentType = GrpcProtocol.ContentTypeValue;
            headers[GrpcProtocol.StatusHeader] = GrpcProtocol.StatusValue(status.StatusCode);
            if (!string.IsNullOrEmpty(status.Detail))
            {
                headers[GrpcProtocol.MessageHeader] = PercentEncoding.Encode(status.Detail);
            }
            if (trailers is not null)
            {
                foreach (var entry in trailers)
                {
                    headers.Append(entry.Key, MetadataEncoding.ToHeaderValue(entry));
                }
            }
            return;
        }

        if (trailers is not null)
        {
            foreach (var entry in trailers)
            {
                response.AppendTrailer(entry.Key, MetadataEncoding.ToHeaderValue(entry));
            }
        }
        response.AppendTrailer(GrpcProtocol.StatusHeader, GrpcProtocol.StatusValue(status.StatusCode));
        if (!string.IsNullOrEmpty(status.Detail))
        {
            response.AppendTrailer(GrpcProtocol.MessageHeader, new StringValues(PercentEncoding.Encode(status.Detail)));
        }
    }
}
