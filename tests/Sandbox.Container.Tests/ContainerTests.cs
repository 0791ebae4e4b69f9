using Grpc.Core;
using Grpc.Health.V1;
using Sandbox.Client;
using Sandbox.V1;

namespace Sandbox.Container.Tests;

/// <summary>
/// The image as deployed: built from the Dockerfile, configured through the environment as
/// docs/deploy.md describes, and called over gRPC from outside the container.
/// </summary>
[Collection(ContainerCollection.Name)]
public sealed class ContainerTests(SandboxContainerFixture fixture)
{
    // add(i32, i32) -> i32, byte by byte.
    private static readonly byte[] AddModule =
    [
        0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, // magic "\0asm", version 1
        0x01, 0x07, 0x01, 0x60, 0x02, 0x7F, 0x7F, 0x01, 0x7F, // type section: 1 type, func (i32 i32) -> (i32)
        0x03, 0x02, 0x01, 0x00, // function section: 1 function of type 0
        0x07, 0x07, 0x01, 0x03, (byte)'a', (byte)'d', (byte)'d', 0x00, 0x00, // export section: "add" = func 0
        0x0A, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6A, 0x0B, // code: local.get 0, local.get 1, i32.add, end
    ];

    private SandboxClient Client(string? apiKey = null) =>
        new(fixture.Address, new SandboxClientOptions { ApiKey = apiKey ?? fixture.ApiKey, DefaultTimeout = TimeSpan.FromSeconds(15) });

    [DockerFact]
    public async Task Health_StartedContainer_IsServing()
    {
        AssertReady();
        using var client = Client();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await client.CheckHealthAsync(SandboxGrpc.ServiceName));
    }

    [DockerFact]
    public async Task CompileInstantiateInvoke_AddModule_Returns42()
    {
        AssertReady();
        using var client = Client();

        var module = await client.CompileModuleAsync(AddModule);
        var instance = await client.InstantiateAsync(module.ModuleId);
        var result = await client.InvokeAsync(instance.InstanceId, "add", [Value.FromI32(2), Value.FromI32(40)]);

        Assert.Equal(42, Assert.Single(result.Results).I32);
    }

    [DockerFact]
    public async Task Compile_AnotherKey_IsRefusedUnauthenticated()
    {
        AssertReady();
        using var client = Client("not-" + fixture.ApiKey);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CompileModuleAsync(AddModule));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("unknown API key", error.Status.Detail);
    }

    [DockerFact]
    public async Task Metrics_AfterACall_ReachTheOtlpReceiver()
    {
        AssertReady();
        using var client = Client();
        await client.GetUsageAsync();

        // The container exports every second.
        for (var i = 0; i < 40 && !fixture.Receiver!.SawMetric("sandbox.calls"); i++) await Task.Delay(500);

        Assert.True(fixture.Receiver!.SawMetric("sandbox.calls"), $"no OTLP metrics export named sandbox.calls in 20 s; posts: {fixture.Receiver.Posts.Count}\n{await fixture.LogsAsync()}");
        Assert.True(fixture.Receiver.SawMetric("rpc.server.duration"));
    }

    private void AssertReady() => Assert.True(fixture.SetupFailure is null, fixture.SetupFailure);
}
