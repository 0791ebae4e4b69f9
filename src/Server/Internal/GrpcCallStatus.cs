using System.Globalization;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Connections;
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
        var written = value.Count > 0 && int.TryParse(value[0], NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? (StatusCode?)code : null;
        if (written is { } status and not (StatusCode.Cancelled or StatusCode.Unknown)) return status;
        // CANCELLED, UNKNOWN (Grpc.AspNetCore's answer to a handler that ends with an exception of
        // its own, such as the cancellation or the IOException a reset stream raises in a wait or
        // in the request's read), or no status at all (the client reset the stream before the
        // call ended): a client resets at its own deadline too, a little before the server's
        // (issue 13: three in four calls ended by their deadline were counted as Cancelled). Past
        // the deadline, the deadline ended the call, and that is what the client saw.
        var call = context.Features.Get<IServerCallContextFeature>()?.ServerCallContext;
        if (call is not null && Deadlines.Passed(call)) return StatusCode.DeadlineExceeded;
        // Otherwise a call whose client went away (RST_STREAM, or the connection closed, as h2load
        // does when its -D duration ends with calls in flight) was cancelled by the client,
        // whatever the handler's exception made of it; an UNKNOWN of a call whose client is still
        // there is a server fault and stays one.
        if (context.RequestAborted.IsCancellationRequested) return StatusCode.Cancelled;
        // Kestrel fails the request body's read as soon as the stream or its connection is aborted
        // but cancels RequestAborted later, on the thread pool, so a handler that failed in that
        // read can end before the token says so (issue 13: 171 Invoke and 90 Execute counted
        // Unknown in a soak). grpc-dotnet keeps the handler's exception on the call's status.
        if (call?.Status.DebugException is { } failure && IsTransportFailure(failure)) return StatusCode.Cancelled;
        return written ?? StatusCode.Unknown;
    }

    // The exceptions Kestrel completes an aborted request body with: IOException ("The request
    // stream was aborted.", "The client reset the request stream.") or ConnectionAbortedException.
    // The service's handlers do no I/O of their own (WASI files are in memory), so an IOException
    // that ended one came from the transport.
    private static bool IsTransportFailure(Exception failure) =>
        failure is IOException or ConnectionAbortedException || failure.InnerException is IOException or ConnectionAbortedException;
}
