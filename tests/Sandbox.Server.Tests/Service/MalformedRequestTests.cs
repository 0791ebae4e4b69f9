using Google.Protobuf;
using Grpc.Core;
using Sandbox.Server.Tests.Infrastructure;
using Sandbox.V1;

namespace Sandbox.Server.Tests.Service;

/// <summary>
/// Request bodies that are not a message of the RPC's request type, sent as raw gRPC frames over
/// HTTP/2: client input, so INVALID_ARGUMENT, never UNKNOWN or INTERNAL (grpc-dotnet answers an
/// exception from the request's deserializer with UNKNOWN "Exception was thrown by handler.").
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class MalformedRequestTests(SandboxServerFixture fixture)
{
    public static TheoryData<string, string> Bodies => new()
    {
        // 0xFF... : a tag whose varint never ends (more than 10 bytes with the continuation bit).
        { "Invoke", "ffffffffffffffffffffffff" },
        // 0x0F: field 1, wire type 7, which does not exist (protobuf encoding, "Message structure").
        { "Invoke", "0f00" },
        // Field 1 (instance_id), length 0x10, and only three bytes of it: a truncated message.
        { "Invoke", "0a10616263" },
        // Field 1 (instance_id), length 2, bytes that are not UTF-8 (a string field must be).
        { "Invoke", "0a02c328" },
        // Field 0: protobuf has no field number 0.
        { "Execute", "0000" },
        // Field 1 (wasm bytes) of a length beyond the body.
        { "CompileModule", "0affffffff0f00" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Call_BodyNotAMessageOfTheRequestType_FailsInvalidArgument(string rpc, string hex)
    {
        var (status, message) = await PostAsync(rpc, Convert.FromHexString(hex));

        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.Contains("could not be parsed", message);
    }

    [Fact]
    public async Task Invoke_WellFormedMessageThroughTheSameFraming_IsParsed()
    {
        // The framing of RawGrpc is right: a whole message reaches the service, which answers
        // for the (unknown) instance, not for the body.
        var body = new InvokeRequest { InstanceId = "no-such-instance", Function = "f" }.ToByteArray();

        var (status, _) = await PostAsync("Invoke", body);

        Assert.Equal(StatusCode.NotFound, status);
    }

    [Fact]
    public async Task Invoke_GzipFlaggedBodyThatIsNotGzip_FailsInvalidArgument()
    {
        var (status, message) = await RawGrpc.CallAsync(fixture.Address, "Invoke", [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x07, 0x00, 0x00, 0x00], encoding: "gzip");

        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.Contains("could not be decompressed", message);
    }

    [Fact]
    public async Task Invoke_GzipBombOverTheReceiveLimit_FailsResourceExhausted()
    {
        // 64 MiB of zeros compress to about 64 KiB: a request well under the 4 MiB receive limit
        // that inflates to 16 times it; the limit applies to the inflated message.
        var bomb = Gzip(System.IO.Compression.CompressionLevel.SmallestSize, [.. Enumerable.Repeat(new byte[1 << 20], 64)]);
        Assert.True(bomb.Length < 1 << 20, $"{bomb.Length} bytes compressed");

        var (status, message) = await RawGrpc.CallAsync(fixture.Address, "Invoke", bomb, encoding: "gzip");

        Assert.Equal(StatusCode.ResourceExhausted, status);
        Assert.Contains("exceeds the maximum", message);
    }

    [Fact]
    public async Task Invoke_GzipOfAWellFormedMessage_IsParsed()
    {
        var body = Gzip(System.IO.Compression.CompressionLevel.Fastest, new InvokeRequest { InstanceId = "no-such-instance", Function = "f" }.ToByteArray());

        var (status, _) = await RawGrpc.CallAsync(fixture.Address, "Invoke", body, encoding: "gzip");

        Assert.Equal(StatusCode.NotFound, status);
    }

    private static byte[] Gzip(System.IO.Compression.CompressionLevel level, params byte[][] chunks)
    {
        var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, level, leaveOpen: true))
        {
            foreach (var chunk in chunks) gzip.Write(chunk);
        }
        return compressed.ToArray();
    }

    private Task<(StatusCode Status, string Message)> PostAsync(string rpc, byte[] message) => RawGrpc.CallAsync(fixture.Address, rpc, message);
}
