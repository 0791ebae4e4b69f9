using Sandbox.Cli;
using Sandbox.Client;
using Grpc.Core;
using Sandbox.Server.Tests.Infrastructure;
using Sandbox.V1;

namespace Sandbox.Server.Tests.EndToEnd;

/// <summary>
/// A trap travels as a status with the Trap in its google.rpc.Status details (sandbox.proto, "Traps").
/// No RPC traps yet (the engine is wired in by issue 5), so a stand-in service throws what the
/// real one will: <see cref="TrapStatus.ToRpcException"/>.
/// </summary>
public sealed class TrapTrailerTests : IAsyncLifetime
{
    private static readonly Trap DivideByZero = new()
    {
        Code = TrapCode.IntegerDivideByZero,
        Message = "integer divide by zero",
        Backtrace =
        {
            new Frame { FunctionIndex = 7, FunctionName = "div", Module = "calc", ModuleOffset = 0x4F },
            new Frame { FunctionIndex = 2, Module = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" },
        },
    };

    private StandInServer? server;

    private string Address => server!.Address;

    public async Task InitializeAsync() => server = await StandInServer.StartAsync(new TrappingService());

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Invoke_GuestTraps_ClientReadsStatusAndTrapFromTrailer()
    {
        using var client = new SandboxClient(Address, new SandboxClientOptions { DefaultTimeout = TimeSpan.FromSeconds(10) });

        var error = await Assert.ThrowsAsync<RpcException>(() => client.InvokeAsync("instance", "div", [Value.FromI32(1), Value.FromI32(0)]));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal("trap: integer divide by zero", error.Status.Detail);
        Assert.True(error.TryGetTrap(out var trap));
        Assert.Equal(DivideByZero, trap);
    }

    [Fact]
    public async Task CliInvoke_GuestTraps_PrintsStatusTrapCodeAndBacktraceOnStderr()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await SandboxCli.RunAsync(["--address", Address, "--timeout", "10s", "invoke", "instance", "div", "i32:1", "i32:0"], output, error);

        Assert.Equal(1, exitCode);
        Assert.Equal(
            """
            sandbox: Aborted: trap: integer divide by zero
            trap code: integer divide by zero
            wasm backtrace:
                0:     0x4f - calc!div
                1:          - 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef!<wasm function 2>
            """,
            error.ToString().TrimEnd().ReplaceLineEndings("\n"));
    }

    private sealed class TrappingService : V1.Sandbox.SandboxBase
    {
        public override Task<InvokeResponse> Invoke(InvokeRequest request, ServerCallContext context) =>
            throw TrapStatus.ToRpcException(DivideByZero);
    }
}
