using Grpc.Testing;
using Sandbox.Interop.Tests.Clients;
using Sandbox.Interop.Tests.Host;
using Sandbox.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sandbox.Interop.Tests;

/// <summary>
/// Our wire layer's server, called by Node's @grpc/grpc-js through node/interop_client.js.
/// Each test runs one case of grpc/grpc doc/interop-test-descriptions.md in a fresh client process.
/// </summary>
public sealed class NodeInteropTests(InteropServerFixture server, ITestOutputHelper output) : IClassFixture<InteropServerFixture>
{
    private readonly InteropCaseRunner runner = new(NodeInteropClient.Instance, server, output);

    [NodeInteropFact]
    public Task Node_EmptyUnary_Passes() => runner.AssertPassesAsync("empty_unary");

    [NodeInteropFact]
    public Task Node_LargeUnary_Passes() => runner.AssertPassesAsync("large_unary");

    [NodeInteropFact]
    public Task Node_ClientCompressedUnary_Passes() => runner.AssertPassesAsync("client_compressed_unary");

    [NodeInteropFact]
    public Task Node_ClientStreaming_Passes() => runner.AssertPassesAsync("client_streaming");

    [NodeInteropFact]
    public Task Node_ServerStreaming_Passes() => runner.AssertPassesAsync("server_streaming");

    [NodeInteropFact]
    public Task Node_PingPong_Passes() => runner.AssertPassesAsync("ping_pong");

    [NodeInteropFact]
    public Task Node_EmptyStream_Passes() => runner.AssertPassesAsync("empty_stream");

    [NodeInteropFact]
    public Task Node_CustomMetadata_Passes() => runner.AssertPassesAsync("custom_metadata");

    [NodeInteropFact]
    public Task Node_StatusCodeAndMessage_Passes() => runner.AssertPassesAsync("status_code_and_message");

    [NodeInteropFact]
    public Task Node_SpecialStatusMessage_Passes() => runner.AssertPassesAsync("special_status_message");

    [NodeInteropFact]
    public Task Node_UnimplementedMethod_Passes() => runner.AssertPassesAsync("unimplemented_method");

    [NodeInteropFact]
    public Task Node_UnimplementedService_Passes() => runner.AssertPassesAsync("unimplemented_service");

    [NodeInteropFact]
    public Task Node_CancelAfterBegin_Passes() => runner.AssertPassesAsync("cancel_after_begin");

    [NodeInteropFact]
    public Task Node_CancelAfterFirstResponse_PassesAndReleasesServerHandler() =>
        runner.AssertPassesAndReleasesHandlerAsync("cancel_after_first_response", "/grpc.testing.TestService/FullDuplexCall");

    [NodeInteropFact]
    public Task Node_TimeoutOnSleepingServer_Passes() => runner.AssertPassesAsync("timeout_on_sleeping_server");
}
