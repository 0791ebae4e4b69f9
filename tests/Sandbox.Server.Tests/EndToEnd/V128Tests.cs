using Google.Protobuf;
using Sandbox.Client;
using Grpc.Core;
using Sandbox.Server.Tests.Infrastructure;
using Sandbox.V1;

namespace Sandbox.Server.Tests.EndToEnd;

/// <summary>v128 arguments and results over gRPC: 16 bytes in v128.store's order, any other length INVALID_ARGUMENT.</summary>
[Collection(ServerCollection.Name)]
public sealed class V128Tests(SandboxServerFixture fixture)
{
    // Swaps the two 64-bit halves, so the byte order of argument and result both show.
    private const string SwapHalves = """
        (module (func (export "swap") (param v128) (result v128)
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get 0) (local.get 0))))
        """;

    [WabtFact]
    public async Task Invoke_V128ArgumentAndResult_TravelInMemoryOrder()
    {
        using var client = fixture.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var instance = (await client.InstantiateAsync(new InstantiateRequest { Wasm = ByteString.CopyFrom(Wat.Compile(SwapHalves)) }, deadline: deadline)).InstanceId;
        var bytes = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();

        var response = await client.InvokeAsync(new InvokeRequest { InstanceId = instance, Function = "swap", Args = { Value.FromV128(bytes) } }, deadline: deadline);

        Assert.Equal([8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7], response.Results.Single().V128.ToByteArray());
        Assert.Equal("i32x4:185207048,252579084,50462976,117835012", response.Results.Single().ToLaneText("i32x4"));
    }

    [WabtFact]
    public async Task Invoke_V128OfWrongLength_FailsInvalidArgument()
    {
        using var client = fixture.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var instance = (await client.InstantiateAsync(new InstantiateRequest { Wasm = ByteString.CopyFrom(Wat.Compile(SwapHalves)) }, deadline: deadline)).InstanceId;

        foreach (var length in new[] { 0, 15, 17 })
        {
            var argument = new Value { V128 = ByteString.CopyFrom(new byte[length]) };

            var error = await Assert.ThrowsAsync<RpcException>(() => client.InvokeAsync(new InvokeRequest { InstanceId = instance, Function = "swap", Args = { argument } }, deadline: deadline));

            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Contains($"not {length}", error.Status.Detail);
        }
    }
}
