using Google.Protobuf;
using Sandbox.Client;
using Grpc.Core;
using Sandbox.Server.Tests.Infrastructure;
using Sandbox.V1;

namespace Sandbox.Server.Tests.EndToEnd;

/// <summary>Malloc and Free through the engine's host heap (WAMR's app heap), for modules without an allocator.</summary>
[Collection(ServerCollection.Name)]
public sealed class SandboxServiceTests(SandboxServerFixture fixture)
{
    // (module (memory (export "memory") 1)): header, type-less module with one memory section
    // (id 5, size 3, one memory, flags 0, min 1) and an export section (id 7, size 10, one export
    // "memory", kind 2 = memory, index 0).
    private static readonly byte[] MemoryOnlyModule =
    [
        0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
        0x05, 0x03, 0x01, 0x00, 0x01,
        0x07, 0x0A, 0x01, 0x06, (byte)'m', (byte)'e', (byte)'m', (byte)'o', (byte)'r', (byte)'y', 0x02, 0x00,
    ];

    [Fact]
    public async Task Malloc_HostHeap_WriteReadFreeAndReuse()
    {
        using var client = fixture.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var instance = (await client.InstantiateAsync(new InstantiateRequest { Wasm = ByteString.CopyFrom(MemoryOnlyModule), HostHeapSize = 65536 }, deadline: deadline)).InstanceId;

        var first = (await client.MallocAsync(new MallocRequest { InstanceId = instance, Size = 100 }, deadline: deadline)).Offset;
        await client.WriteMemoryAsync(instance, first, new byte[] { 9, 8, 7 }, deadline: deadline);
        var read = await client.ReadMemoryAsync(instance, first, 3, deadline: deadline);
        await client.FreeAsync(new FreeRequest { InstanceId = instance, Offset = first }, deadline: deadline);
        var again = (await client.MallocAsync(new MallocRequest { InstanceId = instance, Size = 100 }, deadline: deadline)).Offset;

        Assert.True(first >= 65536, "the host heap is appended after the module's own page");
        Assert.Equal(new byte[] { 9, 8, 7 }, read);
        Assert.Equal(first, again);
    }

    [Fact]
    public async Task Malloc_NoAllocatorAndNoHostHeap_FailsFailedPrecondition()
    {
        using var client = fixture.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var instance = (await client.InstantiateAsync(new InstantiateRequest { Wasm = ByteString.CopyFrom(MemoryOnlyModule) }, deadline: deadline)).InstanceId;

        var error = await Assert.ThrowsAsync<RpcException>(() => client.MallocAsync(new MallocRequest { InstanceId = instance, Size = 16 }, deadline: deadline));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }

    [Fact]
    public async Task Free_OffsetNotFromMalloc_FailsInvalidArgument()
    {
        using var client = fixture.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var instance = (await client.InstantiateAsync(new InstantiateRequest { Wasm = ByteString.CopyFrom(MemoryOnlyModule), HostHeapSize = 65536 }, deadline: deadline)).InstanceId;

        var error = await Assert.ThrowsAsync<RpcException>(() => client.FreeAsync(new FreeRequest { InstanceId = instance, Offset = 12345 }, deadline: deadline));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
