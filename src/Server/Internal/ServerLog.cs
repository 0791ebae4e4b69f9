using Microsoft.Extensions.Logging;

namespace Sandbox.Server.Internal;

/// <summary>The host's log messages, with stable event ids (1xx: lifetime).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(100, LogLevel.Information, "Sandbox serving gRPC (h2c) on {Addresses}")]
    public static partial void Listening(ILogger logger, string addresses);

    [LoggerMessage(101, LogLevel.Information, "Sandbox stopping")]
    public static partial void Stopping(ILogger logger);
}
