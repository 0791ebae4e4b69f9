using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Sandbox.Client;
using Grpc.Core;

namespace Sandbox.Server.Tests.Hosting;

public sealed class SandboxServerHostTests
{
    [Fact]
    public async Task Build_NoConfiguration_ListensOnTheEmbeddedDefault()
    {
        await using var app = SandboxServerHost.Build([]);

        Assert.Equal("http://localhost:50051", app.Services.GetRequiredService<IOptions<SandboxServerOptions>>().Value.Listen);
    }

    [Fact]
    public async Task Build_ListenSwitch_OverridesTheDefault()
    {
        await using var app = SandboxServerHost.Build(["--listen", "http://127.0.0.1:6000"]);

        Assert.Equal("http://127.0.0.1:6000", app.Services.GetRequiredService<IOptions<SandboxServerOptions>>().Value.Listen);
    }

    [Fact]
    public async Task StartAsync_PortZero_ReportsTheBoundPort()
    {
        await using var server = await SandboxServerHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Sandbox:Listen"] = "http://127.0.0.1:0",
        });

        var address = Assert.Single(server.Addresses);
        Assert.Equal("127.0.0.1", address.Host);
        Assert.NotEqual(0, address.Port);
    }

    [Fact]
    public async Task StartAsync_GrpcSectionSetsMaxReceiveSize_LargerRequestIsRefused()
    {
        await using var server = await SandboxServerHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Sandbox:Listen"] = "http://127.0.0.1:0",
            ["Sandbox:Grpc:MaxReceiveMessageSize"] = "1024",
        });
        using var client = new SandboxClient(server.Address.GetLeftPart(UriPartial.Authority), new SandboxClientOptions { DefaultTimeout = TimeSpan.FromSeconds(10) });

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CompileModuleAsync(new byte[2048]));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public void Build_InvalidListen_FailsNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SandboxServerHost.Build([], new Dictionary<string, string?>
        {
            ["Sandbox:Listen"] = "tcp://localhost:50051",
        }));

        Assert.Contains("Sandbox:Listen", error.Message);
    }
}
