using System.Globalization;
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

    [Theory]
    [InlineData(null, true)]
    [InlineData("false", false)]
    public async Task CompileModule_BackgroundCompilationSetting_ReachesTheEngine(string? setting, bool queued)
    {
        var settings = new Dictionary<string, string?> { ["Sandbox:Listen"] = "http://127.0.0.1:0" };
        if (setting is not null) settings["Sandbox:BackgroundCompilation"] = setting;
        await using var server = await SandboxServerHost.StartAsync(settings: settings);
        using var client = new SandboxClient(server.Address.GetLeftPart(UriPartial.Authority), new SandboxClientOptions { DefaultTimeout = TimeSpan.FromSeconds(30) });

        var compiled = await client.CompileModuleAsync(Infrastructure.HostileModules.ManyFunctions(3, salt: 1));

        var tenant = server.App.Services.GetRequiredService<Tenancy.TenantRegistry>().Tenants.Single();
        Assert.Equal(queued, tenant.Modules[compiled.ModuleId].Module.Code.Background is not null);
    }

    [Fact]
    public async Task StartAsync_GrpcSectionSetsMaxReceiveSize_LargerRequestIsRefused()
    {
        // The configured limit stands where no tenant's ModuleBytes needs more.
        await using var server = await SandboxServerHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Sandbox:Listen"] = "http://127.0.0.1:0",
            ["Sandbox:Grpc:MaxReceiveMessageSize"] = "1024",
            ["Sandbox:TenantDefaults:ModuleBytes"] = "1024",
        });
        using var client = new SandboxClient(server.Address.GetLeftPart(UriPartial.Authority), new SandboxClientOptions { DefaultTimeout = TimeSpan.FromSeconds(10) });

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CompileModuleAsync(new byte[1024 + SandboxServerHost.RequestOverheadBytes + 1]));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task CompileModule_ModuleOfModuleBytesOverTheDefaultReceiveLimit_Uploads()
    {
        // Regression (issue 13 item 7): the 4 MiB receive limit refused modules long before the
        // 16 MiB ModuleBytes applied. Now a module of exactly ModuleBytes reaches the decoder, and
        // one byte more is refused by the tenant's limit, by name.
        await using var server = await SandboxServerHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Sandbox:Listen"] = "http://127.0.0.1:0",
            ["Sandbox:TenantDefaults:ModuleBytes"] = (6 << 20).ToString(CultureInfo.InvariantCulture),
        });
        using var client = new SandboxClient(server.Address.GetLeftPart(UriPartial.Authority), new SandboxClientOptions { DefaultTimeout = TimeSpan.FromSeconds(30) });

        var invalid = await Assert.ThrowsAsync<RpcException>(() => client.CompileModuleAsync(new byte[6 << 20]));
        var tooLarge = await Assert.ThrowsAsync<RpcException>(() => client.CompileModuleAsync(new byte[(6 << 20) + 1]));

        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, tooLarge.StatusCode);
        Assert.Contains("module size limit", tooLarge.Status.Detail);
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
