using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Sandbox.Grpc.Client;
using Sandbox.Grpc.Tests.Infrastructure;

namespace Sandbox.Grpc.Tests.EndToEnd;

public class CompressionTests
{
    [Fact]
    public async Task Gzip_Request_ServerDecompresses()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel(new GrpcChannelOptions { CompressionAlgorithm = "gzip" });
        var payload = new BytesValue { Value = ByteString.CopyFrom(new byte[100_000]) };

        var response = await channel.CreateCallInvoker().AsyncUnaryCall(TestService.MeasureMethod, new CallOptions(), payload);

        Assert.Equal(100_000, response.Value);
        Assert.Equal("gzip", await server.Service.MeasureEncoding.Task);
    }

    [Fact]
    public async Task Gzip_Response_ClientDecompresses()
    {
        await using var server = await TestServer.StartAsync(options => options.ResponseCompressionAlgorithm = "gzip");
        var recorder = new ResponseRecorder();
        using var channel = server.CreateChannel(new GrpcChannelOptions { HttpHandler = recorder });

        var response = await channel.CreateCallInvoker().AsyncUnaryCall(TestService.GenerateMethod, new CallOptions(), new Int32Value { Value = 50_000 });

        Assert.Equal(50_000, response.Value.Length);
        Assert.Equal("gzip", recorder.LastEncoding);
    }

    [Fact]
    public async Task Gzip_ResponseConfigured_ClientWithoutGzipGetsIdentity()
    {
        await using var server = await TestServer.StartAsync(options => options.ResponseCompressionAlgorithm = "gzip");

        var result = await RawGrpc.PostAsync(server.Address, TestService.EchoMethod.FullName, RawGrpc.Frame(new StringValue { Value = "hi" }),
            headers: [("grpc-accept-encoding", "identity")]);

        Assert.Equal("0", result.Status);
        Assert.Null(RawGrpc.Find(result.Response.Headers, "grpc-encoding"));
        Assert.Equal(0, result.Body[0]); // Compressed-Flag 0
    }

    /// <summary>Records the grpc-encoding of each response.</summary>
    private sealed class ResponseRecorder() : DelegatingHandler(new SocketsHttpHandler())
    {
        public string? LastEncoding { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            LastEncoding = RawGrpc.Find(response.Headers, "grpc-encoding");
            return response;
        }
    }
}
