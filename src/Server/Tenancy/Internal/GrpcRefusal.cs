using Grpc.Core;

namespace Sandbox.Server.Tenancy.Internal;

/// <summary>
/// The answer of ASP.NET Core middleware that refuses a gRPC call before it reaches its handler
/// (the authentication challenge): a trailers-only response, HTTP 200 with <c>grpc-status</c> and
/// <c>grpc-message</c> in its only HEADERS frame (PROTOCOL-HTTP2.md, "Trailers-Only"), so every
/// gRPC client reads the status and the reason rather than a bare HTTP status.
/// </summary>
internal static class GrpcRefusal
{
    public static void Write(HttpResponse response, StatusCode status, string message)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        // grpc-message is percent-encoded; escaping more than the spec requires is still valid.
        response.Headers["grpc-message"] = Uri.EscapeDataString(message);
    }
}
