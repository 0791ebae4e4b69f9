namespace Sandbox.Interop.Tests.Clients;

/// <summary>
/// The cases of grpc/grpc doc/interop-test-descriptions.md that both clients implement and both
/// servers (our host, grpcio's reference server) support. client_compressed_unary is left out: the
/// reference server cannot check expect_compressed; the other cases need TLS, per-call response
/// compression, credentials or a caching proxy.
/// </summary>
public static class InteropCases
{
    public static readonly IReadOnlyList<string> All =
    [
        "empty_unary",
        "large_unary",
        "client_streaming",
        "server_streaming",
        "ping_pong",
        "empty_stream",
        "custom_metadata",
        "status_code_and_message",
        "special_status_message",
        "unimplemented_method",
        "unimplemented_service",
        "cancel_after_begin",
        "cancel_after_first_response",
        "timeout_on_sleeping_server",
    ];
}
