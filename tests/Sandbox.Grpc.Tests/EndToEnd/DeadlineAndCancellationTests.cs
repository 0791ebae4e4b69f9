using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Sandbox.Grpc.Client;
using Sandbox.Grpc.Tests.Infrastructure;

namespace Sandbox.Grpc.Tests.EndToEnd;

public class DeadlineAndCancellationTests
{
    [Fact]
    public async Task Deadline_HandlerSleepsLonger_DeadlineExceededAndHandlerTokenFires()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var invoker = channel.CreateCallInvoker();
        // Connect first, so that on a loaded machine the deadline cannot pass before the handler starts.
        await invoker.AsyncUnaryCall(TestService.EchoMethod, new CallOptions(), new StringValue());

        var call = invoker.AsyncUnaryCall(TestService.SleepMethod, new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(1)), new Int32Value { Value = 30_000 });
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await server.Service.SleepStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await server.Service.SleepCancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Deadline_AlreadyPast_FailsWithoutCallingServer()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var call = channel.CreateCallInvoker().AsyncUnaryCall(TestService.SleepMethod, new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(-1)), new Int32Value { Value = 1 });
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.False(server.Service.SleepStarted.Task.IsCompleted);
    }

    [Fact]
    public async Task Deadline_Generous_CallSucceeds()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var response = await channel.CreateCallInvoker().AsyncUnaryCall(TestService.SleepMethod, new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(30)), new Int32Value { Value = 10 });

        Assert.NotNull(response);
    }

    [Fact]
    public async Task Cancellation_DuringCall_CancelledAndHandlerTokenFires()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        using var cancellation = new CancellationTokenSource();

        var call = channel.CreateCallInvoker().AsyncUnaryCall(TestService.SleepMethod, new CallOptions(CancellationToken: cancellation.Token), new Int32Value { Value = 30_000 });
        await server.Service.SleepStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        cancellation.Cancel();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        // The RST_STREAM reached the server: the handler's token fired.
        await server.Service.SleepCancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Dispose_ServerStreamInProgress_ResetsStream()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var call = channel.CreateCallInvoker().AsyncServerStreamingCall(TestService.CountMethod, new CallOptions(), new Int32Value { Value = 1_000_000 });
        Assert.True(await call.ResponseStream.MoveNext());
        call.Dispose();

        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Fact]
    public async Task Dispose_ClientStreamMidway_ServerCallEndsCancelledWithoutErrorLog()
    {
        // Pins two bugs. The client ended its request body normally on dispose (END_STREAM before
        // the RST_STREAM), so the server could sum a truncated stream and answer OK. And the
        // server logged the reset as a handler error when its read failed before RequestAborted fired.
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var call = channel.CreateCallInvoker().AsyncClientStreamingCall(TestService.SumMethod, new CallOptions());
        await call.RequestStream.WriteAsync(new Int32Value { Value = 1 });
        await server.Service.SumReading.Task.WaitAsync(TimeSpan.FromSeconds(30));
        call.Dispose();

        // Event 10 is logged when the handler's call ends with a status other than OK.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!server.Logs.Lines.Any(line => line.Contains(" 10 Call '/sandbox.test.Test/Sum' ended with Cancelled")) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.True(server.Logs.Lines.Any(line => line.Contains(" 10 Call '/sandbox.test.Test/Sum' ended with Cancelled")), string.Join("\n", server.Logs.Lines.Where(l => !l.Contains("Routing") && !l.Contains("Hosting"))));
        Assert.DoesNotContain(server.Logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServerDeadline_TimerFires_CancelsHandlerAndSendsDeadlineExceeded()
    {
        // The server's deadline runs on the registered TimeProvider: here nothing happens until the test fires it.
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await TestServer.StartAsync(timeProvider: time);

        var posting = RawGrpc.PostAsync(server.Address, TestService.SleepMethod.FullName, RawGrpc.Frame(new Int32Value { Value = 60_000 }),
            headers: [("grpc-timeout", "90S")]);
        await server.Service.SleepStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([TimeSpan.FromSeconds(90)], time.DueTimes);
        Assert.False(posting.IsCompleted);
        time.FireAll();
        var result = await posting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("4", result.Status); // DEADLINE_EXCEEDED
        Assert.Equal("Deadline Exceeded", result.Message);
        await server.Service.SleepCancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ServerDeadline_HandlerIgnoresToken_StatusSentAtDeadline()
    {
        // Raw HTTP/2, so no client timer is involved: the DEADLINE_EXCEEDED comes from the server.
        await using var server = await TestServer.StartAsync();
        var stopwatch = Stopwatch.StartNew();

        var result = await RawGrpc.PostAsync(server.Address, TestService.SleepIgnoringTokenMethod.FullName, RawGrpc.Frame(new Int32Value { Value = 5_000 }),
            headers: [("grpc-timeout", "200m")]);

        Assert.Equal("4", result.Status); // DEADLINE_EXCEEDED
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(4_000));
    }
}
