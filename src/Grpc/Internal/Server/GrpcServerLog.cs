using Microsoft.Extensions.Logging;

namespace Sandbox.Grpc.Internal.Server;

/// <summary>Every log line of the gRPC server, with stable event ids (as grpc-dotnet's GrpcServerLog).</summary>
internal static partial class GrpcServerLog
{
    [LoggerMessage(1, LogLevel.Error, "Error when executing service method '{Method}'.")]
    public static partial void HandlerFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(2, LogLevel.Debug, "Deadline of {Timeout} exceeded for '{Method}'; the call ended with DEADLINE_EXCEEDED.")]
    public static partial void DeadlineExceeded(ILogger logger, string method, TimeSpan timeout);

    [LoggerMessage(3, LogLevel.Debug, "Invalid grpc-timeout header '{Value}' ignored.")]
    public static partial void InvalidTimeout(ILogger logger, string value);

    [LoggerMessage(4, LogLevel.Information, "Request content-type '{ContentType}' is not gRPC; answered 415.")]
    public static partial void UnsupportedContentType(ILogger logger, string? contentType);

    [LoggerMessage(5, LogLevel.Information, "Request protocol '{Protocol}' is not HTTP/2; gRPC refused.")]
    public static partial void UnsupportedProtocol(ILogger logger, string protocol);

    [LoggerMessage(6, LogLevel.Information, "No gRPC method at '{Path}'; answered UNIMPLEMENTED.")]
    public static partial void UnimplementedMethod(ILogger logger, string path);

    [LoggerMessage(7, LogLevel.Information, "Request grpc-encoding '{Encoding}' is not supported; answered UNIMPLEMENTED.")]
    public static partial void UnsupportedEncoding(ILogger logger, string encoding);

    [LoggerMessage(8, LogLevel.Debug, "Handler of '{Method}' failed after its call had already ended.")]
    public static partial void HandlerFailedAfterEnd(ILogger logger, string method, Exception exception);

    [LoggerMessage(9, LogLevel.Debug, "Request header '{Name}' is not valid metadata and was dropped.")]
    public static partial void InvalidMetadata(ILogger logger, string name);

    [LoggerMessage(10, LogLevel.Debug, "Call '{Method}' ended with {StatusCode}: {Detail}")]
    public static partial void CallEndedWithError(ILogger logger, string method, StatusCode statusCode, string detail);
}
