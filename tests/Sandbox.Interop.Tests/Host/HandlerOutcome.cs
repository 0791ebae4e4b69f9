using Grpc.Core;

namespace Sandbox.Interop.Tests.Host;

/// <summary>How one handler call ended.</summary>
/// <param name="Method">The full method name, <c>/grpc.testing.TestService/FullDuplexCall</c>.</param>
/// <param name="Kind">Returned, cancelled, ended with a status, or faulted.</param>
/// <param name="Status">The code of the <see cref="RpcException"/>, for <see cref="HandlerOutcomeKind.Status"/>.</param>
/// <param name="Error">The type and message of the exception, for <see cref="HandlerOutcomeKind.Faulted"/>.</param>
/// <param name="TokenCancelled">Whether the call's cancellation token had fired when the handler ended.</param>
public sealed record HandlerOutcome(string Method, HandlerOutcomeKind Kind, StatusCode? Status, string? Error, bool TokenCancelled);

/// <summary>The ways a handler can end.</summary>
public enum HandlerOutcomeKind
{
    /// <summary>Returned normally.</summary>
    Completed,

    /// <summary>Threw an <see cref="OperationCanceledException"/>.</summary>
    Cancelled,

    /// <summary>Threw an <see cref="RpcException"/>.</summary>
    Status,

    /// <summary>Threw anything else.</summary>
    Faulted,
}
