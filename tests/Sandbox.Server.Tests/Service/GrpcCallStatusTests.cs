using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Sandbox.Server.Internal;

namespace Sandbox.Server.Tests.Service;

/// <summary>
/// The outcome of a call that grpc-dotnet ended UNKNOWN: Cancelled when Kestrel cancels
/// RequestAborted just after (a failed connection: the body fails at once, the token is cancelled
/// on the thread pool), UNKNOWN when nothing does (a server fault).
/// </summary>
public sealed class GrpcCallStatusTests
{
    [Fact]
    public async Task OfAsync_UnknownThenAbortedSoonAfter_Cancelled()
    {
        using var aborted = new CancellationTokenSource();
        var context = UnknownCall(aborted.Token);
        aborted.CancelAfter(TimeSpan.FromMilliseconds(5));

        Assert.Equal(StatusCode.Unknown, GrpcCallStatus.Of(context));
        Assert.Equal(StatusCode.Cancelled, await GrpcCallStatus.OfAsync(context));
    }

    [Fact]
    public async Task OfAsync_UnknownAndTheClientStays_Unknown()
    {
        using var aborted = new CancellationTokenSource();

        Assert.Equal(StatusCode.Unknown, await GrpcCallStatus.OfAsync(UnknownCall(aborted.Token)));
    }

    [Fact]
    public async Task OfAsync_AnotherStatus_AnsweredWithoutWaiting()
    {
        using var aborted = new CancellationTokenSource();
        var context = UnknownCall(aborted.Token);
        context.Response.Headers["grpc-status"] = "5";

        var status = GrpcCallStatus.OfAsync(context);

        Assert.True(status.IsCompleted);
        Assert.Equal(StatusCode.NotFound, await status);
    }

    private static DefaultHttpContext UnknownCall(CancellationToken aborted)
    {
        var context = new DefaultHttpContext { RequestAborted = aborted };
        context.Response.Headers["grpc-status"] = "2";
        return context;
    }
}
