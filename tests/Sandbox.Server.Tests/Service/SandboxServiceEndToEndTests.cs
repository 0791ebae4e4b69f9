using System.Diagnostics;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Sandbox.Client;
using Grpc.Core;
using Sandbox.Server.Tests.Infrastructure;
using Sandbox.V1;

namespace Sandbox.Server.Tests.Service;

/// <summary>The engine-backed RPCs over real sockets, as the dev tenant of a server with no tenants configured.</summary>
[Collection(ServerCollection.Name)]
public sealed class SandboxServiceEndToEndTests(SandboxServerFixture fixture)
{
    private static DateTime Deadline => DateTime.UtcNow.AddSeconds(30);

    [WabtFact]
    public async Task CompileModule_SameBytesTwice_ReturnsSameIdCachedTheSecondTime()
    {
        using var client = fixture.CreateClient();
        var wasm = Wat.Compile(Modules.Add);

        var first = await client.CompileModuleAsync(wasm, Deadline);
        var second = await client.CompileModuleAsync(wasm, Deadline);

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(wasm)), first.ModuleId);
        Assert.Equal(first.ModuleId, second.ModuleId);
        Assert.True(second.Cached);
        Assert.Contains(first.Exports, e => e.Name == "add" && e.Type == "(func (param i32 i32) (result i32))");
    }

    [Fact]
    public async Task CompileModule_InvalidBinary_FailsInvalidArgumentWithDecoderMessage()
    {
        using var client = fixture.CreateClient();

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CompileModuleAsync(new byte[] { 0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00 }, Deadline));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.False(string.IsNullOrEmpty(error.Status.Detail));
    }

    [WabtFact]
    public async Task Invoke_Add_ReturnsSum()
    {
        using var client = fixture.CreateClient();
        var instance = await Instantiate(client, Modules.Add);

        var response = await client.InvokeAsync(instance, "add", [V1.Value.FromI32(2), V1.Value.FromI32(40)], Deadline);

        Assert.Equal(42, Assert.Single(response.Results).I32);
    }

    [WabtFact]
    public async Task Invoke_WrongArgumentType_FailsInvalidArgument()
    {
        using var client = fixture.CreateClient();
        var instance = await Instantiate(client, Modules.Add);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.InvokeAsync(instance, "add", [V1.Value.FromI64(2), V1.Value.FromI32(40)], Deadline));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [WabtFact]
    public async Task Invoke_DivideByZero_FailsAbortedWithStructuredTrapAndInstanceStaysUsable()
    {
        using var client = fixture.CreateClient();
        var instance = await Instantiate(client, Modules.Add);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.InvokeAsync(instance, "div", [V1.Value.FromI32(1), V1.Value.FromI32(0)], Deadline));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.True(error.TryGetTrap(out var trap));
        Assert.Equal(V1.TrapCode.IntegerDivideByZero, trap.Code);
        var after = await client.InvokeAsync(instance, "div", [V1.Value.FromI32(9), V1.Value.FromI32(3)], Deadline);
        Assert.Equal(3, Assert.Single(after.Results).I32);
    }

    [WabtFact]
    public async Task Invoke_InfiniteLoopWithTimeout_FailsDeadlineExceeded()
    {
        using var client = fixture.CreateClient();
        var instance = await Instantiate(client, Modules.Add);
        var request = new InvokeRequest { InstanceId = instance, Function = "spin", Limits = new CallLimits { Timeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(200)) } };

        var error = await Assert.ThrowsAsync<RpcException>(() => client.InvokeAsync(request, deadline: Deadline));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(error.TryGetTrap(out var trap));
        Assert.Equal(V1.TrapCode.Interrupted, trap.Code);
    }

    [WabtFact]
    public async Task Execute_ManyCallsSpinningToTheirDeadline_OtherCallsAreStillServed()
    {
        // Regression: guests spinning on the request threads once held the whole thread pool, and
        // other calls waited for them (28 s behind 32 spinning calls of 3 s each).
        using var client = fixture.CreateClient();
        var module = (await client.CompileModuleAsync(Wat.Compile(Modules.Add), Deadline)).ModuleId;
        // The guests spin 10 s and the calls get 8 s to be in flight: on a loaded 2-core CI machine
        // (the engine's tests beside this process) 4 s of a 6 s spin once saw none of them start.
        var limits = new CallLimits { Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)) };
        var spinning = Enumerable.Range(0, 8)
            .Select(_ => client.ExecuteAsync(new ExecuteRequest { ModuleId = module, Function = "spin", Limits = limits }, deadline: Deadline))
            .ToArray();
        var started = Stopwatch.StartNew();
        uint inFlight;
        do
        {
            // The GetUsage call itself is one of the tenant's calls in flight.
            inFlight = (await client.GetUsageAsync(deadline: Deadline)).Usage.ConcurrentCalls;
        }
        while (inFlight < 9 && started.Elapsed < TimeSpan.FromSeconds(8));

        var served = Stopwatch.StartNew();
        await client.GetUsageAsync(deadline: Deadline);
        served.Stop();

        Assert.Equal(9u, inFlight);
        Assert.All(spinning, call => Assert.False(call.IsCompleted, call.Exception?.InnerException?.Message));
        Assert.True(served.Elapsed < TimeSpan.FromSeconds(2), $"GetUsage took {served.Elapsed} behind spinning guests");
        foreach (var call in spinning)
        {
            Assert.Equal(StatusCode.DeadlineExceeded, (await Assert.ThrowsAsync<RpcException>(() => call)).StatusCode);
        }
    }

    [WabtFact]
    public async Task Execute_AfterACallLeftASecret_ReadsZeros()
    {
        using var client = fixture.CreateClient();
        var module = (await client.CompileModuleAsync(Wat.Compile(Modules.Secret), Deadline)).ModuleId;

        for (var i = 0; i < 6; i++)
        {
            await client.ExecuteAsync(module, "leave", [V1.Value.FromI32(0x5EC2E7 + i)], Deadline);
            var peek = await client.ExecuteAsync(module, "peek", [], Deadline);
            var calls = await client.ExecuteAsync(module, "calls", [], Deadline);

            Assert.Equal(0, Assert.Single(peek.Results).I32);
            Assert.Equal(0, Assert.Single(calls.Results).I32);
        }
    }

    [WabtFact]
    public async Task Execute_Repeated_IsServedFromThePool()
    {
        using var client = fixture.CreateClient();
        var module = (await client.CompileModuleAsync(Wat.Compile(Modules.Secret), Deadline)).ModuleId;

        var hits = 0;
        for (var i = 0; i < 20 && hits == 0; i++)
        {
            hits += (await client.ExecuteAsync(module, "peek", [], Deadline)).PoolHit ? 1 : 0;
            await Task.Delay(50);
        }

        Assert.True(hits > 0, "no Execute was served by a pooled instance");
    }

    [WabtFact]
    public async Task Malloc_WaltStyleGuestAllocator_WriteInvokeReadFreeRoundTrips()
    {
        using var client = fixture.CreateClient();
        var instance = await Instantiate(client, Modules.Walt);

        var block = (await client.MallocAsync(new MallocRequest { InstanceId = instance, Size = 4 }, deadline: Deadline)).Offset;
        await client.WriteMemoryAsync(instance, block, new byte[] { 1, 2, 3, 4 }, deadline: Deadline);
        await client.InvokeAsync(instance, "double", [V1.Value.FromI32((int)block), V1.Value.FromI32(4)], Deadline);
        var bytes = await client.ReadMemoryAsync(instance, block, 4, deadline: Deadline);
        await client.FreeAsync(new FreeRequest { InstanceId = instance, Offset = block }, deadline: Deadline);

        Assert.Equal(1024u, block);
        Assert.Equal(new byte[] { 2, 4, 6, 8 }, bytes);
        Assert.Equal("walt"u8.ToArray(), await client.ReadMemoryAsync(instance, 0, 4, deadline: Deadline));
    }

    [WabtFact]
    public async Task ReadMemory_RangeStraddlingTheEnd_FailsOutOfRange()
    {
        using var client = fixture.CreateClient();
        var instance = await Instantiate(client, Modules.Walt);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ReadMemoryAsync(instance, 65535, 2, deadline: Deadline));

        Assert.Equal(StatusCode.OutOfRange, error.StatusCode);
    }

    [WabtFact]
    public async Task ReadMemoryStream_WholeMemoryInChunks_ReturnsEveryByteInOrder()
    {
        using var client = fixture.CreateClient();
        var instance = await Instantiate(client, Modules.Walt);
        var pattern = Enumerable.Range(0, 65536).Select(i => (byte)(i * 7)).ToArray();
        await client.WriteMemoryStreamAsync(instance, 0, new MemoryStream(pattern), chunkSize: 10000, deadline: Deadline);

        var read = new List<byte>();
        await foreach (var chunk in client.ReadMemoryStream(new ReadMemoryRequest { InstanceId = instance, Length = 65536, ChunkSize = 4096 }, deadline: Deadline))
        {
            Assert.Equal((ulong)read.Count, chunk.Offset);
            read.AddRange(chunk.Data);
        }

        Assert.Equal(pattern, read.ToArray());
    }

    [WabtFact]
    public async Task Instantiate_SharedMemoryProviderRegisteredAsEnv_TwoModulesSeeTheSameBytes()
    {
        using var client = fixture.CreateClient();
        var name = "env-" + Guid.NewGuid().ToString("N");
        var provider = await client.InstantiateAsync(new InstantiateRequest { Wasm = ByteString.CopyFrom(Wat.Compile(Modules.MemoryProvider)), RegisterAs = name }, deadline: Deadline);
        var userWasm = ByteString.CopyFrom(Wat.Compile(Modules.MemoryUser));
        var binding = new ImportBinding { Module = "env", InstanceName = name };
        var first = await client.InstantiateAsync(new InstantiateRequest { Wasm = userWasm, Imports = { binding } }, deadline: Deadline);
        var second = await client.InstantiateAsync(new InstantiateRequest { Wasm = userWasm, Imports = { binding } }, deadline: Deadline);

        await client.InvokeAsync(first.InstanceId, "put", [V1.Value.FromI32(64), V1.Value.FromI32(1232)], Deadline);
        await client.InvokeAsync(first.InstanceId, "increment", [V1.Value.FromI32(64)], Deadline);
        await client.InvokeAsync(second.InstanceId, "increment", [V1.Value.FromI32(64)], Deadline);
        var seen = await client.InvokeAsync(second.InstanceId, "get", [V1.Value.FromI32(64)], Deadline);
        await client.DropInstanceAsync(provider.InstanceId, Deadline);
        var afterDrop = await client.InvokeAsync(second.InstanceId, "get", [V1.Value.FromI32(64)], Deadline);

        Assert.Equal(1234, Assert.Single(seen.Results).I32);
        Assert.True(Assert.Single(first.Memories).Imported);
        Assert.Equal(1234, Assert.Single(afterDrop.Results).I32);
    }

    [WabtFact]
    public async Task Instantiate_ImportFromUnregisteredName_FailsNotFound()
    {
        using var client = fixture.CreateClient();

        var error = await Assert.ThrowsAsync<RpcException>(() => client.InstantiateAsync(new InstantiateRequest
        {
            Wasm = ByteString.CopyFrom(Wat.Compile(Modules.MemoryUser)),
            Imports = { new ImportBinding { Module = "env", InstanceName = "nobody-" + Guid.NewGuid().ToString("N") } },
        }, deadline: Deadline));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [WabtFact]
    public async Task Instantiate_ImportNothingProvides_FailsFailedPreconditionNamingTheImport()
    {
        // Regression: answered NOT_FOUND "no instance is registered as 'env'" without the import.
        using var client = fixture.CreateClient();

        var error = await Assert.ThrowsAsync<RpcException>(() => client.InstantiateAsync(new InstantiateRequest
        {
            Wasm = ByteString.CopyFrom(Wat.Compile("""(module (import "env" "log" (func (param i32))))""")),
        }, deadline: Deadline));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("env.log", error.Status.Detail);
    }

    [WabtFact]
    public async Task Free_AllocatorNamesMallocOnly_FailsFailedPreconditionNotTheModulesFree()
    {
        // Regression: an empty AllocatorExports.free fell back to the module's own `free` and answered OK.
        using var client = fixture.CreateClient();
        var instance = (await client.InstantiateAsync(new InstantiateRequest
        {
            Wasm = ByteString.CopyFrom(Wat.Compile(Modules.Walt)),
            Allocator = new AllocatorExports { Malloc = "malloc" },
        }, deadline: Deadline)).InstanceId;
        var block = (await client.MallocAsync(new MallocRequest { InstanceId = instance, Size = 4 }, deadline: Deadline)).Offset;

        var error = await Assert.ThrowsAsync<RpcException>(() => client.FreeAsync(new FreeRequest { InstanceId = instance, Offset = block }, deadline: Deadline));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }

    [WabtFact]
    public async Task GrowMemory_OnePage_ReportsPreviousSizeAndNewInfo()
    {
        using var client = fixture.CreateClient();
        var instance = await Instantiate(client, Modules.Walt);

        var grown = await client.GrowMemoryAsync(new GrowMemoryRequest { InstanceId = instance, DeltaPages = 1 }, deadline: Deadline);
        var info = await client.GetMemoryInfoAsync(new GetMemoryInfoRequest { InstanceId = instance }, deadline: Deadline);

        Assert.Equal(1ul, grown.PreviousPages);
        Assert.Equal(2ul, info.Memory.Pages);
        Assert.Equal(131072ul, info.Memory.ByteLength);
        Assert.Equal(65536u, info.Memory.PageSize);
    }

    [WabtFact]
    public async Task DropInstance_ThenInvoke_FailsNotFound()
    {
        using var client = fixture.CreateClient();
        var instance = await Instantiate(client, Modules.Add);

        await client.DropInstanceAsync(instance, Deadline);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.InvokeAsync(instance, "add", [V1.Value.FromI32(1), V1.Value.FromI32(2)], Deadline));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        var list = await client.ListInstancesAsync(new ListInstancesRequest { PageSize = 1000 }, deadline: Deadline);
        Assert.DoesNotContain(list.Instances, i => i.InstanceId == instance);
    }

    [WabtFact]
    public async Task DropInstance_WhileACallWritesItsMemory_ReturnsAtOnceAndTheCallEndsAtItsDeadline()
    {
        using var client = fixture.CreateClient();
        var instance = await Instantiate(client, Modules.Scribble);
        var request = new InvokeRequest { InstanceId = instance, Function = "scribble", Limits = new CallLimits { Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) } };
        var call = client.InvokeAsync(request, deadline: Deadline);
        await Task.Delay(200);

        await client.DropInstanceAsync(instance, Deadline);
        var droppedFirst = !call.IsCompleted;
        var error = await Assert.ThrowsAsync<RpcException>(() => call);

        // The memory stayed mapped until the call ended (the call held the instance): a trap, not a crash.
        Assert.True(droppedFirst, "DropInstance waited for the running call");
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        var after = await Assert.ThrowsAsync<RpcException>(() => client.InvokeAsync(request, deadline: Deadline));
        Assert.Equal(StatusCode.NotFound, after.StatusCode);
    }

    [WabtFact]
    public async Task ListInstances_PagesOfTwo_ListsEveryInstanceOfTheModuleOnceOldestFirst()
    {
        using var client = fixture.CreateClient();
        // A module of its own (a unique export name), so other tests' instances are not listed.
        var wasm = Wat.Compile($$"""(module (func (export "f{{Guid.NewGuid():N}}")))""");
        var module = (await client.CompileModuleAsync(wasm, Deadline)).ModuleId;
        var created = new List<string>();
        for (var i = 0; i < 5; i++) created.Add((await client.InstantiateAsync(module, deadline: Deadline)).InstanceId);

        var listed = new List<string>();
        var token = "";
        do
        {
            var page = await client.ListInstancesAsync(new ListInstancesRequest { ModuleId = module, PageSize = 2, PageToken = token }, deadline: Deadline);
            Assert.True(page.Instances.Count <= 2);
            listed.AddRange(page.Instances.Select(i => i.InstanceId));
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal(created, listed);
    }

    [Fact]
    public async Task ListInstances_TokenNotIssuedByTheServer_FailsInvalidArgument()
    {
        using var client = fixture.CreateClient();

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ListInstancesAsync(new ListInstancesRequest { PageToken = "forged" }, deadline: Deadline));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [WabtFact]
    public async Task Execute_ModuleWithImports_FailsFailedPrecondition()
    {
        using var client = fixture.CreateClient();
        var module = (await client.CompileModuleAsync(Wat.Compile(Modules.MemoryUser), Deadline)).ModuleId;

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ExecuteAsync(module, "get", [V1.Value.FromI32(0)], Deadline));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }

    [Fact]
    public async Task GetUsage_NoTenantsConfigured_ServesTheDevTenantWhateverTheKey()
    {
        using var client = fixture.CreateClient(new SandboxClientOptions { ApiKey = "any-key", DefaultTimeout = TimeSpan.FromSeconds(10) });

        var usage = await client.GetUsageAsync();

        Assert.Equal("dev", usage.TenantId);
        Assert.True(usage.Limits.MemoryBytes > 0);
    }

    [Fact]
    public async Task WatchMetrics_ShortInterval_StreamsSamplesUntilCancelled()
    {
        using var client = fixture.CreateClient();
        await client.GetUsageAsync(deadline: Deadline);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var samples = new List<MetricsSample>();

        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var sample in client.WatchMetrics(new WatchMetricsRequest { Interval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(100)) }, cancellationToken: cancel.Token))
            {
                samples.Add(sample);
                if (samples.Count == 3) await cancel.CancelAsync();
            }
        });

        Assert.True(error is null or OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled }, error?.ToString());
        Assert.Equal(3, samples.Count);
        Assert.All(samples, s => Assert.Equal("dev", s.TenantId));
        Assert.Contains(samples[^1].Metrics, m => m.Name == "sandbox.calls" && m.Attributes["rpc"] == "GetUsage");
    }

    private static async Task<string> Instantiate(SandboxClient client, string wat)
    {
        var response = await client.InstantiateAsync(new InstantiateRequest { Wasm = ByteString.CopyFrom(Wat.Compile(wat)) }, deadline: Deadline);
        return response.InstanceId;
    }
}
