using Grpc.Net.Client;
using Sandbox.Interop.Tests.Clients;
using Sandbox.Interop.Tests.Host;
using Sandbox.Interop.Tests.Infrastructure;

namespace Sandbox.Interop.Tests;

/// <summary>
/// The other direction: the .NET client SandboxClient stands on (Grpc.Net.Client's <see cref="GrpcChannel"/>) calling grpcio's own
/// server (python/reference_server.py) with the interop cases. Needs Python's grpcio for the server.
/// </summary>
public sealed class WireClientInteropTests(ReferenceServerFixture reference) : IClassFixture<ReferenceServerFixture>
{
    /// <summary>Every case takes well under a second; a hang fails the test instead of the run.</summary>
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(30);

    [PythonInteropFact]
    public Task WireClient_EmptyUnary_PassesAgainstGrpcio() => RunAsync("empty_unary");

    [PythonInteropFact]
    public Task WireClient_LargeUnary_PassesAgainstGrpcio() => RunAsync("large_unary");

    [PythonInteropFact]
    public Task WireClient_ClientStreaming_PassesAgainstGrpcio() => RunAsync("client_streaming");

    [PythonInteropFact]
    public Task WireClient_ServerStreaming_PassesAgainstGrpcio() => RunAsync("server_streaming");

    [PythonInteropFact]
    public Task WireClient_PingPong_PassesAgainstGrpcio() => RunAsync("ping_pong");

    [PythonInteropFact]
    public Task WireClient_EmptyStream_PassesAgainstGrpcio() => RunAsync("empty_stream");

    [PythonInteropFact]
    public Task WireClient_CustomMetadata_PassesAgainstGrpcio() => RunAsync("custom_metadata");

    [PythonInteropFact]
    public Task WireClient_StatusCodeAndMessage_PassesAgainstGrpcio() => RunAsync("status_code_and_message");

    [PythonInteropFact]
    public Task WireClient_SpecialStatusMessage_PassesAgainstGrpcio() => RunAsync("special_status_message");

    [PythonInteropFact]
    public Task WireClient_UnimplementedMethod_PassesAgainstGrpcio() => RunAsync("unimplemented_method");

    [PythonInteropFact]
    public Task WireClient_UnimplementedService_PassesAgainstGrpcio() => RunAsync("unimplemented_service");

    [PythonInteropFact]
    public Task WireClient_CancelAfterBegin_PassesAgainstGrpcio() => RunAsync("cancel_after_begin");

    [PythonInteropFact]
    public Task WireClient_CancelAfterFirstResponse_PassesAgainstGrpcio() => RunAsync("cancel_after_first_response");

    [PythonInteropFact]
    public Task WireClient_TimeoutOnSleepingServer_PassesAgainstGrpcio() => RunAsync("timeout_on_sleeping_server");

    private async Task RunAsync(string testCase)
    {
        await reference.EnsureStartedAsync();
        using var channel = GrpcChannel.ForAddress($"http://{reference.Host}:{reference.Port}");
        await new WireClientCases(channel.CreateCallInvoker()).RunAsync(testCase).WaitAsync(CaseTimeout);
    }
}
