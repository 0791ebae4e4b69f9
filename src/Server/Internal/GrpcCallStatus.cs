using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;

namespace Sandbox.Server.Internal;

/// <summary>
/// The gRPC status a finished request answered with, for the request log and the call metrics:
/// the HTTP status of a gRPC call is 200 whatever its outcome, the outcome is in
/// <c>grpc-status</c>, a trailer, or a header of a trailers-only response.
/// </summary>
internal static class GrpcCallStatus
{
    // gRPC's status codes are 0..16; parsed without allocating for the one- or two-digit values.
    public static StatusCode Of(HttpContext context)
    {
        var value = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers["grpc-status"] ?? default;
        if (value.Count == 0) value = context.Response.Headers["grpc-status"];
        if (value.Count > 0 && int.TryParse(value[0], NumberStyles.None, CultureInfo.InvariantCulture, out var code)) return (StatusCode)code;
        // No status written: the client went away (RST_STREAM) before the call ended.
        return context.RequestAborted.IsCancellationRequested ? StatusCode.Cancelled : StatusCode.Unknown;
    }
}
