using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Sandbox.Client;
using Grpc.Core;
using Sandbox.Server.Tests.Infrastructure;
using Sandbox.V1;

namespace Sandbox.Server.Tests.Service;

/// <summary>
/// Guest code the server runs outside Invoke — a start function at instantiation, a guest
/// allocator for Malloc — stops at the call's deadline instead of holding a worker for good.
/// A server of its own, so that no other test's instances move the tenant's memory usage.
/// </summary>
public sealed class StartFunctionDeadlineTests : IAsyncLifetime
{
    // 4 pages, so an instance that kept its memory after a failed start shows in the usage.
    private const string EndlessStart = """
        (module
          (memory 4)
          (func $start (loop (br 0)))
          (func (export "noop"))
          (start $start))
        """;

    // The generous bound for the server to settle after the client's deadline (a check that the
    // memory comes back, not of how fast).
    private static readonly TimeSpan SettleBound = TimeSpan.FromSeconds(20);

    private SandboxServer? server;

    private static DateTime Deadline => DateTime.UtcNow.AddSeconds(30);

    public async Task InitializeAsync()
    {
        server = await SandboxServerHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Sandbox:Listen"] = "http://127.0.0.1:0",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            // Longer than every deadline below: what stops the guest is the RPC's deadline or limits.
            ["Sandbox:TenantDefaults:DefaultCallTimeout"] = "00:01:00",
        });
    }

    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
    }

    [WabtFact]
    public async Task Instantiate_StartFunctionNeverReturnsWithOneSecondDeadline_FailsDeadlineExceededAndReleasesItsMemory()
    {
        using var client = Client();
        var module = (await client.CompileModuleAsync(Wat.Compile(EndlessStart), Deadline)).ModuleId;
        var before = (await client.GetUsageAsync(deadline: Deadline)).Usage.MemoryBytes;

        var error = await Assert.ThrowsAsync<RpcException>(() => client.InstantiateAsync(module, deadline: DateTime.UtcNow.AddSeconds(1)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        // The client's deadline can end the RPC before the server has unwound: wait for the release.
        Assert.Equal(before, await MemoryBytesOnceSettledAsync(client, before));
    }

    [WabtFact]
    public async Task Instantiate_StartFunctionNeverReturnsWithTimeoutLimit_FailsDeadlineExceededWithTheInterruptedTrap()
    {
        using var client = Client();
        var request = new InstantiateRequest
        {
            Wasm = ByteString.CopyFrom(Wat.Compile(EndlessStart)),
            Limits = new CallLimits { Timeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(200)) },
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => client.InstantiateAsync(request, deadline: Deadline));

        // The trap detail says the engine stopped the start function, not the client's deadline.
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(error.TryGetTrap(out var trap));
        Assert.Equal(V1.TrapCode.Interrupted, trap.Code);
    }

    [WabtFact]
    public async Task Execute_StartFunctionNeverReturnsWithTimeoutLimit_FailsDeadlineExceededWithTheInterruptedTrap()
    {
        using var client = Client();
        var module = (await client.CompileModuleAsync(Wat.Compile(EndlessStart), Deadline)).ModuleId;
        var request = new ExecuteRequest { ModuleId = module, Function = "noop", Limits = new CallLimits { Timeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(200)) } };

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ExecuteAsync(request, deadline: Deadline));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(error.TryGetTrap(out var trap));
        Assert.Equal(V1.TrapCode.Interrupted, trap.Code);
    }

    [WabtFact]
    public async Task Malloc_AssemblyScriptAllocatorNeverReturnsWithTimeoutLimit_FailsDeadlineExceededWithTheInterruptedTrap()
    {
        using var client = Client();
        var instance = (await client.InstantiateAsync(new InstantiateRequest
        {
            Wasm = ByteString.CopyFrom(Wat.Compile("""
                (module
                  (memory (export "memory") 1)
                  (func (export "__new") (param i32 i32) (result i32) (loop (br 0)) (i32.const 0))
                  (func (export "__pin") (param i32) (result i32) (local.get 0))
                  (func (export "__unpin") (param i32)))
                """)),
        }, deadline: Deadline)).InstanceId;
        var request = new MallocRequest { InstanceId = instance, Size = 16, Limits = new CallLimits { Timeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(200)) } };

        var error = await Assert.ThrowsAsync<RpcException>(() => client.MallocAsync(request, deadline: Deadline));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(error.TryGetTrap(out var trap));
        Assert.Equal(V1.TrapCode.Interrupted, trap.Code);
    }

    private static async Task<ulong> MemoryBytesOnceSettledAsync(SandboxClient client, ulong expected)
    {
        var giveUp = DateTime.UtcNow + SettleBound;
        while (true)
        {
            var used = (await client.GetUsageAsync(deadline: Deadline)).Usage.MemoryBytes;
            if (used == expected || DateTime.UtcNow > giveUp) return used;
            await Task.Delay(100);
        }
    }

    private SandboxClient Client() =>
        new(server!.Address.GetLeftPart(UriPartial.Authority), new SandboxClientOptions { DefaultTimeout = TimeSpan.FromSeconds(30) });
}
