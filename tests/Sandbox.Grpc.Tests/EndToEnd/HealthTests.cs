using Grpc.Health.V1;
using Sandbox.Grpc.Client;
using Sandbox.Grpc.Health;
using Sandbox.Grpc.Tests.Infrastructure;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Sandbox.Grpc.Tests.EndToEnd;

public class HealthTests
{
    [Fact]
    public async Task Check_Server_Serving()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var response = await channel.CreateCallInvoker().AsyncUnaryCall(HealthService.CheckMethod, new CallOptions(), new HealthCheckRequest());

        Assert.Equal(ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Check_UnknownService_NotFound()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.CreateCallInvoker().AsyncUnaryCall(HealthService.CheckMethod, new CallOptions(), new HealthCheckRequest { Service = "no.Such" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Watch_UnknownThenSet_StreamsEachChange()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var call = channel.CreateCallInvoker().AsyncServerStreamingCall(HealthService.WatchMethod, new CallOptions(CancellationToken: cancellation.Token), new HealthCheckRequest { Service = "svc" });
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(ServingStatus.ServiceUnknown, call.ResponseStream.Current.Status);

        server.Health.SetStatus("svc", ServingStatus.Serving);
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(ServingStatus.Serving, call.ResponseStream.Current.Status);

        server.Health.SetStatus("svc", ServingStatus.NotServing);
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(ServingStatus.NotServing, call.ResponseStream.Current.Status);
    }

    [Fact]
    public void SetAllNotServing_OnShutdown_ChangesEveryStatus()
    {
        var health = new HealthService();
        health.SetStatus("svc", ServingStatus.Serving);

        health.SetAllNotServing();

        Assert.Equal(ServingStatus.NotServing, health.GetStatus(""));
        Assert.Equal(ServingStatus.NotServing, health.GetStatus("svc"));
    }
}
