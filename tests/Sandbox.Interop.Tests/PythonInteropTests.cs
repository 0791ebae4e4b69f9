using Grpc.Testing;
using Sandbox.Interop.Tests.Clients;
using Sandbox.Interop.Tests.Host;
using Sandbox.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sandbox.Interop.Tests;

/// <summary>
/// Our wire layer's server, called by Python's grpcio (Debian python3-grpcio) through
/// python/interop_client.py.
/// Each test runs one case of grpc/grpc doc/interop-test-descriptions.md in a fresh client process.
/// </summary>
public sealed class PythonInteropTests(InteropServerFixture server, ITestOutputHelper output) : IClassFixture<InteropServerFixture>
{
    private readonly InteropCaseRunner runner = new(PythonInteropClient.Instance, server, output);

    [PythonInteropFact]
    public Task Python_EmptyUnary_Passes() => runner.AssertPassesAsync("empty_unary");

    [PythonInteropFact]
    public Task Python_LargeUnary_Passes() => runner.AssertPassesAsync("large_unary");

    [PythonInteropFact]
    public Task Python_ClientCompressedUnary_Passes() => runner.AssertPassesAsync("client_compressed_unary");

    [PythonInteropFact]
    public Task Python_ClientStreaming_Passes() => runner.AssertPassesAsync("client_streaming");

    [PythonInteropFact]
    public Task Python_ServerStreaming_Passes() => runner.AssertPassesAsync("server_streaming");

    [PythonInteropFact]
    public Task Python_PingPong_Passes() => runner.AssertPassesAsync("ping_pong");

    [PythonInteropFact]
    public Task Python_EmptyStream_Passes() => runner.AssertPassesAsync("empty_stream");

    [PythonInteropFact]
    public Task Python_CustomMetadata_Passes() => runner.AssertPassesAsync("custom_metadata");

    [PythonInteropFact]
    public Task Python_StatusCodeAndMessage_Passes() => runner.AssertPassesAsync("status_code_and_message");

    [PythonInteropFact]
    public Task Python_SpecialStatusMessage_Passes() => runner.AssertPassesAsync("special_status_message");

    [PythonInteropFact]
    public Task Python_UnimplementedMethod_Passes() => runner.AssertPassesAsync("unimplemented_method");

    [PythonInteropFact]
    public Task Python_UnimplementedService_Passes() => runner.AssertPassesAsync("unimplemented_service");

    [PythonInteropFact]
    public Task Python_CancelAfterBegin_Passes() => runner.AssertPassesAsync("cancel_after_begin");

    [PythonInteropFact]
    public Task Python_CancelAfterFirstResponse_PassesAndReleasesServerHandler() =>
        runner.AssertPassesAndReleasesHandlerAsync("cancel_after_first_response", "/grpc.testing.TestService/FullDuplexCall");

    [PythonInteropFact]
    public Task Python_TimeoutOnSleepingServer_Passes() => runner.AssertPassesAsync("timeout_on_sleeping_server");
}
