using System.Globalization;
using Grpc.AspNetCore.Server;
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
        // No status written: the client went away (RST_STREAM) before the call ended, which a
        // client also does at its own deadline, a little before the server's (issue 13: three in
        // four calls ended by their deadline were counted as Cancelled).
        if (!context.RequestAborted.IsCancellationRequested) return StatusCode.Unknown;
        return context.Features.Get<IServerCallContextFeature>()?.ServerCallContext is { } call && Deadlines.Passed(call)
            ? StatusCode.DeadlineExceeded
            : StatusCode.Cancelled;
    }
}
