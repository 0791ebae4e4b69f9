using Grpc.Health.V1;
using Grpc.Core;
using Sandbox.Server.Tests.Infrastructure;
using Sandbox.V1;

namespace Sandbox.Server.Tests.EndToEnd;

[Collection(ServerCollection.Name)]
public sealed class HealthTests(SandboxServerFixture fixture)
{
    [Fact]
    public async Task CheckHealth_WholeServer_IsServing()
    {
        using var client = fixture.CreateClient();

        var status = await client.CheckHealthAsync(deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, status);
    }

    [Fact]
    public async Task CheckHealth_SandboxService_IsServing()
    {
        using var client = fixture.CreateClient();

        var status = await client.CheckHealthAsync(SandboxGrpc.ServiceName, DateTime.UtcNow.AddSeconds(10));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, status);
    }

    [Fact]
    public async Task CheckHealth_UnknownService_FailsWithNotFound()
    {
        using var client = fixture.CreateClient();

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CheckHealthAsync("no.such.Service", DateTime.UtcNow.AddSeconds(10)));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }
}
