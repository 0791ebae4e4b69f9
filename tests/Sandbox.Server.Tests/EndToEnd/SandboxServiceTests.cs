using Google.Protobuf;
using Sandbox.Client;
using Sandbox.Grpc;
using Sandbox.Server.Tests.Infrastructure;
using Sandbox.V1;

namespace Sandbox.Server.Tests.EndToEnd;

/// <summary>The RPCs that still answer UNIMPLEMENTED over the wire: none but the host heap, which needs issue 4's allocator facade.</summary>
[Collection(ServerCollection.Name)]
public sealed class SandboxServiceTests(SandboxServerFixture fixture)
{
    [Fact]
    public async Task Instantiate_WithHostHeap_FailsUnimplementedUntilTheEngineHasOne()
    {
        using var client = fixture.CreateClient();
        var emptyModule = ByteString.CopyFrom(0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.InstantiateAsync(new InstantiateRequest { Wasm = emptyModule, HostHeapSize = 4096 }, deadline: DateTime.UtcNow.AddSeconds(10)));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }
}
