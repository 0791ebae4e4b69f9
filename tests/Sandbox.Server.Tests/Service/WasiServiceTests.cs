using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Sandbox.Client;
using Sandbox.Server.Tests.Infrastructure;
using Sandbox.V1;

namespace Sandbox.Server.Tests.Service;

/// <summary>
/// WASI over gRPC: Execute and Instantiate/Invoke of WASI programs, end to end, on a server with
/// two tenants, one with a small output limit and memory budget.
/// </summary>
public sealed class WasiServiceTests : IAsyncLifetime
{
    private const string SmallKey = "wasi-small-key";
    private const string OtherKey = "wasi-other-key";
    private const int OutputLimit = 100; // the small tenant's WasiOutputBytes
    private const int MemoryBudget = 256 << 10; // the small tenant's MemoryBytes: four pages of memory
    private static DateTime Deadline => DateTime.UtcNow.AddSeconds(30);

    private SandboxServer? server;
    private ByteString? tools;

    public async Task InitializeAsync()
    {
        server = await SandboxServerHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Sandbox:Listen"] = "http://127.0.0.1:0",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Sandbox:Tenants:0:Id"] = "small",
            ["Sandbox:Tenants:0:ApiKeySha256:0"] = Hash(SmallKey),
            ["Sandbox:Tenants:0:WasiOutputBytes"] = OutputLimit.ToString(),
            ["Sandbox:Tenants:0:MemoryBytes"] = MemoryBudget.ToString(),
            ["Sandbox:Tenants:1:Id"] = "other",
            ["Sandbox:Tenants:1:ApiKeySha256:0"] = Hash(OtherKey),
        });
    }

    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
    }

    private ByteString Tools => tools ??= ByteString.CopyFrom(Wat.Compile(WasiModules.Tools));

    [WabtFact]
    public async Task Execute_WasiCommand_ReturnsExitCodeStdoutStderrAndStats()
    {
        using var client = Client(OtherKey);

        var response = await client.ExecuteAsync(new ExecuteRequest { Wasm = Tools, Wasi = new WasiConfig { Stdin = Bytes("hello, wasi") } }, deadline: Deadline);

        Assert.Equal(0, response.Wasi.ExitCode);
        Assert.Equal("hello, wasi", response.Wasi.Stdout.ToStringUtf8());
        Assert.Equal("hello, wasi", response.Wasi.Stderr.ToStringUtf8());
        Assert.False(response.Wasi.StdoutTruncated);
        Assert.False(response.PoolHit);
        Assert.NotNull(response.Stats.Duration);
    }

    [WabtFact]
    public async Task Execute_OutputAtLimit_IsWholeAndNotTruncated()
    {
        using var client = Client(SmallKey);

        var response = await client.ExecuteAsync(new ExecuteRequest { Wasm = Tools, Wasi = new WasiConfig { Stdin = Bytes(new string('x', OutputLimit)) } }, deadline: Deadline);

        Assert.Equal(OutputLimit, response.Wasi.Stdout.Length);
        Assert.Equal(OutputLimit, response.Wasi.Stderr.Length);
        Assert.False(response.Wasi.StdoutTruncated);
        Assert.False(response.Wasi.StderrTruncated);
    }

    [WabtFact]
    public async Task Execute_OutputOneOverLimit_IsCutAtLimitAndTruncated()
    {
        using var client = Client(SmallKey);

        var response = await client.ExecuteAsync(new ExecuteRequest { Wasm = Tools, Wasi = new WasiConfig { Stdin = Bytes(new string('x', OutputLimit + 1)) } }, deadline: Deadline);

        Assert.Equal(OutputLimit, response.Wasi.Stdout.Length);
        Assert.Equal(OutputLimit, response.Wasi.Stderr.Length);
        Assert.True(response.Wasi.StdoutTruncated);
        Assert.True(response.Wasi.StderrTruncated);
        Assert.Equal(0, response.Wasi.ExitCode);
    }

    [WabtFact]
    public async Task GetUsage_Tenant_ReportsWasiOutputLimit()
    {
        using var client = Client(SmallKey);

        var usage = await client.GetUsageAsync(null, null, Deadline);

        Assert.Equal((ulong)OutputLimit, usage.Limits.WasiOutputBytes);
    }

    [WabtTheory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(255)]
    public async Task Execute_ProcExit_ReturnsTheCodeNotAnError(int code)
    {
        using var client = Client(OtherKey);

        var response = await client.ExecuteAsync(new ExecuteRequest { Wasm = Tools, Function = "exit", Wasi = new WasiConfig { Stdin = ByteString.CopyFrom((byte)code) } }, deadline: Deadline);

        Assert.Equal(code, response.Wasi.ExitCode);
        Assert.Empty(response.Results);
    }

    [WabtFact]
    public async Task Execute_FilesOverBudget_FailsResourceExhaustedAndGivesTheBytesBack()
    {
        using var client = Client(SmallKey);
        var before = (await client.GetUsageAsync(null, null, Deadline)).Usage.MemoryBytes;
        var request = new ExecuteRequest { Wasm = Tools, Wasi = new WasiConfig { Files = { new WasiFile { Path = "big.bin", Contents = ByteString.CopyFrom(new byte[MemoryBudget]) } } } };

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ExecuteAsync(request, deadline: Deadline));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("big.bin", error.Status.Detail);
        Assert.Equal(before, (await client.GetUsageAsync(null, null, Deadline)).Usage.MemoryBytes);
    }

    [WabtFact]
    public async Task Execute_FilesAndOutput_ReturnsWrittenAndInputFilesAndReleasesTheirBytes()
    {
        using var client = Client(SmallKey);
        var before = (await client.GetUsageAsync(null, null, Deadline)).Usage.MemoryBytes;
        var request = new ExecuteRequest
        {
            Wasm = Tools,
            Function = "touch",
            Wasi = new WasiConfig
            {
                Files = { new WasiFile { Path = "data/in.txt", Contents = Bytes("input") } },
                OutputFiles = { "out.txt", "data/", "missing.txt" },
            },
        };

        var response = await client.ExecuteAsync(request, deadline: Deadline);

        Assert.Equal(0, response.Wasi.ExitCode);
        Assert.Equal(["out.txt", "data/in.txt"], response.Wasi.Files.Select(f => f.Path));
        Assert.Equal("hello", response.Wasi.Files[0].Contents.ToStringUtf8());
        Assert.Equal("input", response.Wasi.Files[1].Contents.ToStringUtf8());
        Assert.Equal(before, (await client.GetUsageAsync(null, null, Deadline)).Usage.MemoryBytes);
    }

    [WabtFact]
    public async Task Execute_NoFilesNoOutputFiles_PreopensNothingSoFd3IsBadf()
    {
        using var client = Client(OtherKey);

        var response = await client.ExecuteAsync(new ExecuteRequest { Wasm = Tools, Function = "touch", Wasi = new WasiConfig() }, deadline: Deadline);

        Assert.Equal(100 + 8, response.Wasi.ExitCode); // touch exits 100 + errno; EBADF is 8 (witx errno)
    }

    [WabtFact]
    public async Task Execute_OutputFilesOnly_PreopensAnEmptyFilesystemTheGuestWrites()
    {
        using var client = Client(OtherKey);

        var response = await client.ExecuteAsync(new ExecuteRequest { Wasm = Tools, Function = "touch", Wasi = new WasiConfig { OutputFiles = { "out.txt" } } }, deadline: Deadline);

        Assert.Equal(0, response.Wasi.ExitCode);
        Assert.Equal("hello", Assert.Single(response.Wasi.Files).Contents.ToStringUtf8());
    }

    [WabtFact]
    public async Task Execute_GuestSleeps10sUnder300msDeadline_EndsDeadlineExceededNearTheDeadline()
    {
        using var client = Client(OtherKey);
        var request = new ExecuteRequest { Wasm = Tools, Function = "sleep", Wasi = new WasiConfig(), Limits = new CallLimits { Timeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(300)) } };
        // Compiled first, so the time measured is the call's.
        request.ModuleId = (await client.CompileModuleAsync(Tools.ToByteArray(), Deadline)).ModuleId;
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ExecuteAsync(request, deadline: Deadline));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    }

    [WabtFact]
    public async Task Execute_TwoCalls_SecondSeesNoneOfTheFirstsFilesArgsOrOutput()
    {
        using var client = Client(OtherKey);
        var module = (await client.CompileModuleAsync(Tools.ToByteArray(), Deadline)).ModuleId;
        await client.ExecuteAsync(new ExecuteRequest
        {
            ModuleId = module,
            Function = "touch",
            Wasi = new WasiConfig { Args = { "first" }, Stdin = Bytes("first's stdin"), Files = { new WasiFile { Path = "secret.txt", Contents = Bytes("first's secret") } } },
        }, deadline: Deadline);

        var second = await client.ExecuteAsync(new ExecuteRequest { ModuleId = module, Wasi = new WasiConfig { OutputFiles = { "/" } } }, deadline: Deadline);

        Assert.Empty(second.Wasi.Files);
        Assert.True(second.Wasi.Stdout.IsEmpty);
        Assert.True(second.Wasi.Stderr.IsEmpty);
    }

    [WabtFact]
    public async Task Execute_TwoTenantsAtOnce_EachGetsOnlyItsOwnStdinAndFiles()
    {
        using var small = Client(SmallKey);
        using var other = Client(OtherKey);
        ExecuteRequest For(string who) => new()
        {
            Wasm = Tools,
            Wasi = new WasiConfig { Stdin = Bytes(who), Files = { new WasiFile { Path = who + ".txt", Contents = Bytes(who) } }, OutputFiles = { "/" } },
        };

        var responses = await Task.WhenAll(small.ExecuteAsync(For("small"), deadline: Deadline), other.ExecuteAsync(For("other"), deadline: Deadline));

        Assert.Equal("small", responses[0].Wasi.Stdout.ToStringUtf8());
        Assert.Equal(["small.txt"], responses[0].Wasi.Files.Select(f => f.Path));
        Assert.Equal("other", responses[1].Wasi.Stdout.ToStringUtf8());
        Assert.Equal(["other.txt"], responses[1].Wasi.Files.Select(f => f.Path));
    }

    [WabtFact]
    public async Task Execute_ImportOtherThanWasi_FailsFailedPreconditionNamingTheImport()
    {
        using var client = Client(OtherKey);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ExecuteAsync(new ExecuteRequest { Wasm = ByteString.CopyFrom(Wat.Compile(WasiModules.WasiAndEnv)) }, deadline: Deadline));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("env.log", error.Status.Detail);
    }

    [WabtFact]
    public async Task Execute_ArgumentWithNul_FailsInvalidArgument()
    {
        using var client = Client(OtherKey);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ExecuteAsync(new ExecuteRequest { Wasm = Tools, Wasi = new WasiConfig { Args = { "a\0b" } } }, deadline: Deadline));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [WabtFact]
    public async Task Instantiate_WasiReactor_RunsInitializeOnceThenInvokeKeepsState()
    {
        using var client = Client(OtherKey);

        var instance = await client.InstantiateAsync(new InstantiateRequest { Wasm = Tools, Wasi = new WasiConfig() }, deadline: Deadline);
        var first = await client.InvokeAsync(instance.InstanceId, "count", [], Deadline);
        var second = await client.InvokeAsync(instance.InstanceId, "count", [], Deadline);

        Assert.Equal("ready\n", instance.Wasi.Stdout.ToStringUtf8());
        Assert.Equal(1, first.Results[0].I32);
        Assert.Equal(2, second.Results[0].I32);
        Assert.True(second.Wasi.Stdout.IsEmpty);
        await client.DropInstanceAsync(instance.InstanceId, Deadline);
    }

    [WabtFact]
    public async Task Invoke_WasiCommandStartThenProcExit_ReportsEachCallsOutputAndExitCode()
    {
        using var client = Client(OtherKey);
        var instance = await client.InstantiateAsync(new InstantiateRequest { Wasm = Tools, Wasi = new WasiConfig { Stdin = ByteString.CopyFrom((byte)7) } }, deadline: Deadline);

        var exit = await client.InvokeAsync(instance.InstanceId, "exit", [], Deadline);

        Assert.Equal(7, exit.Wasi.ExitCode);
        Assert.True(exit.Wasi.Stdout.IsEmpty); // _initialize's "ready" went with Instantiate
        await client.DropInstanceAsync(instance.InstanceId, Deadline);
    }

    [WabtFact]
    public async Task Instantiate_WasiOutputFiles_FailsInvalidArgument()
    {
        using var client = Client(OtherKey);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.InstantiateAsync(new InstantiateRequest { Wasm = Tools, Wasi = new WasiConfig { OutputFiles = { "out.txt" } } }, deadline: Deadline));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [WabtFact]
    public async Task DropInstance_WasiInstanceWithFiles_GivesTheFilesBytesBack()
    {
        using var client = Client(SmallKey);
        var before = (await client.GetUsageAsync(null, null, Deadline)).Usage.MemoryBytes;
        var instance = await client.InstantiateAsync(new InstantiateRequest { Wasm = Tools, Wasi = new WasiConfig { Files = { new WasiFile { Path = "f", Contents = ByteString.CopyFrom(new byte[1000]) } } } }, deadline: Deadline);
        var during = (await client.GetUsageAsync(null, null, Deadline)).Usage.MemoryBytes;

        await client.DropInstanceAsync(instance.InstanceId, Deadline);

        Assert.True(during >= before + 1000, $"{during} bytes in use with the file, {before} before");
        Assert.Equal(before, (await client.GetUsageAsync(null, null, Deadline)).Usage.MemoryBytes);
    }

    private SandboxClient Client(string key) =>
        new(server!.Address.GetLeftPart(UriPartial.Authority), new SandboxClientOptions { ApiKey = key, DefaultTimeout = TimeSpan.FromSeconds(30) });

    private static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
