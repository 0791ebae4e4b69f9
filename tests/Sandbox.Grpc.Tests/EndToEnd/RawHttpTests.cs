using System.Net;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Sandbox.Grpc.Tests.Infrastructure;

namespace Sandbox.Grpc.Tests.EndToEnd;

/// <summary>What the server puts on the wire, seen through a plain HttpClient.</summary>
public class RawHttpTests
{
    [Fact]
    public async Task Post_WrongContentType_Http415()
    {
        await using var server = await TestServer.StartAsync();

        var result = await RawGrpc.PostAsync(server.Address, TestService.EchoMethod.FullName, RawGrpc.Frame(new StringValue()), contentType: "application/json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, result.Response.StatusCode);
        Assert.Null(result.Status);
    }

    [Fact]
    public async Task Post_Http11_RefusedWithExplanation()
    {
        await using var server = await TestServer.StartAsync(protocols: HttpProtocols.Http1AndHttp2);

        var result = await RawGrpc.PostAsync(server.Address, TestService.EchoMethod.FullName, RawGrpc.Frame(new StringValue()), version: HttpVersion.Version11);

        Assert.Equal(HttpStatusCode.UpgradeRequired, result.Response.StatusCode);
        Assert.Contains("HTTP/2", System.Text.Encoding.UTF8.GetString(result.Body));
    }

    [Fact]
    public async Task Post_UnsupportedEncoding_UnimplementedWithAcceptEncoding()
    {
        await using var server = await TestServer.StartAsync();

        var result = await RawGrpc.PostAsync(server.Address, TestService.EchoMethod.FullName, RawGrpc.Frame(new StringValue()), headers: [("grpc-encoding", "br")]);

        Assert.Equal("12", result.Status); // UNIMPLEMENTED
        Assert.True(result.TrailersOnly);
        Assert.Equal("identity,gzip", RawGrpc.Find(result.Response.Headers, "grpc-accept-encoding"));
    }

    [Fact]
    public async Task Post_UnknownMethod_TrailersOnlyWithoutBody()
    {
        await using var server = await TestServer.StartAsync();

        var result = await RawGrpc.PostAsync(server.Address, "/sandbox.test.Test/Missing", []);

        Assert.Equal(HttpStatusCode.OK, result.Response.StatusCode);
        Assert.True(result.TrailersOnly);
        Assert.Equal("12", result.Status);
        Assert.Empty(result.Body);
        Assert.Equal("application/grpc", result.Response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Post_Unary_MessageThenStatusInTrailers()
    {
        await using var server = await TestServer.StartAsync();

        var result = await RawGrpc.PostAsync(server.Address, TestService.EchoMethod.FullName, RawGrpc.Frame(new StringValue { Value = "hi" }));

        Assert.False(result.TrailersOnly);
        Assert.Equal("0", result.Status);
        byte[] expected =
        [
            0x00,                   // not compressed
            0x00, 0x00, 0x00, 0x04, // 4 bytes follow
            0x0A, 0x02, 0x68, 0x69, // StringValue { value = "hi" }
        ];
        Assert.Equal(expected, result.Body);
    }

    [Fact]
    public async Task Post_HandlerError_MessagePercentEncodedInTrailers()
    {
        await using var server = await TestServer.StartAsync();

        var result = await RawGrpc.PostAsync(server.Address, TestService.FailMethod.FullName, RawGrpc.Frame(new StringValue { Value = "50% ✓" }));

        Assert.Equal("3", result.Status); // INVALID_ARGUMENT
        Assert.Equal("50%25 %E2%9C%93", result.Message);
        Assert.Equal("3q0", RawGrpc.Find(result.Response.Headers, "x-reason-bin")); // 0xDE 0xAD, unpadded base64
    }

    [Fact]
    public async Task Post_TruncatedMessage_Internal()
    {
        await using var server = await TestServer.StartAsync();
        var frame = RawGrpc.Frame(new StringValue { Value = "hello" });

        var result = await RawGrpc.PostAsync(server.Address, TestService.EchoMethod.FullName, frame[..^2]);

        Assert.Equal("13", result.Status); // INTERNAL
    }

    [Fact]
    public async Task Post_CompressedFlagWithoutEncoding_Internal()
    {
        await using var server = await TestServer.StartAsync();
        var frame = RawGrpc.Frame(new StringValue { Value = "hello" });
        frame[0] = 1; // claims compression, but no grpc-encoding was sent

        var result = await RawGrpc.PostAsync(server.Address, TestService.EchoMethod.FullName, frame);

        Assert.Equal("13", result.Status);
    }
}
