using Sandbox.Interop.Tests.Clients;
using Sandbox.Interop.Tests.Host;
using Sandbox.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sandbox.Interop.Tests;

/// <summary>
/// Our server compressing its responses with gzip (<c>ResponseCompressionAlgorithm = "gzip"</c>),
/// decoded by grpcio and grpc-js: the unary, streaming and duplex cases with large payloads.
/// </summary>
public sealed class GzipResponseInteropTests(GzipInteropServerFixture server, ITestOutputHelper output) : IClassFixture<GzipInteropServerFixture>
{
    private readonly InteropCaseRunner python = new(PythonInteropClient.Instance, server, output);
    private readonly InteropCaseRunner node = new(NodeInteropClient.Instance, server, output);

    [PythonInteropFact]
    public Task Python_LargeUnary_PassesWithGzipResponses() => python.AssertPassesWithGzipResponsesAsync("large_unary");

    [PythonInteropFact]
    public Task Python_ServerStreaming_PassesWithGzipResponses() => python.AssertPassesWithGzipResponsesAsync("server_streaming");

    [PythonInteropFact]
    public Task Python_PingPong_PassesWithGzipResponses() => python.AssertPassesWithGzipResponsesAsync("ping_pong");

    [NodeInteropFact]
    public Task Node_LargeUnary_PassesWithGzipResponses() => node.AssertPassesWithGzipResponsesAsync("large_unary");

    [NodeInteropFact]
    public Task Node_ServerStreaming_PassesWithGzipResponses() => node.AssertPassesWithGzipResponsesAsync("server_streaming");

    [NodeInteropFact]
    public Task Node_PingPong_PassesWithGzipResponses() => node.AssertPassesWithGzipResponsesAsync("ping_pong");
}
