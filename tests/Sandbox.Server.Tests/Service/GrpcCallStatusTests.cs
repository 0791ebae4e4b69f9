using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Sandbox.Server.Internal;

namespace Sandbox.Server.Tests.Service;

/// <summary>
/// The outcome a finished call is counted and logged with, decided from what grpc-dotnet and
/// Kestrel leave on the request. The race of issue 13 is set up here as it ends: the handler
/// failed reading a body the transport aborted, grpc-dotnet answered UNKNOWN, and Kestrel has not
/// yet cancelled <c>RequestAborted</c>.
/// </summary>
public sealed class GrpcCallStatusTests
{
    [Fact]
    public void Of_UnknownFromAnAbortedRequestStream_BeforeRequestAbortedFires_IsCancelled()
    {
        var context = Finished(StatusCode.Unknown, new IOException("The request stream was aborted.", new ConnectionAbortedException()));

        Assert.Equal(StatusCode.Cancelled, GrpcCallStatus.Of(context));
    }

    [Fact]
    public void Of_UnknownFromAnAbortedConnection_IsCancelled()
    {
        var context = Finished(StatusCode.Unknown, new ConnectionAbortedException("The connection was aborted by the application."));

        Assert.Equal(StatusCode.Cancelled, GrpcCallStatus.Of(context));
    }

    [Fact]
    public void Of_UnknownFromAServerFault_StaysUnknown()
    {
        var context = Finished(StatusCode.Unknown, new InvalidOperationException("a bug of ours"));

        Assert.Equal(StatusCode.Unknown, GrpcCallStatus.Of(context));
    }

    [Fact]
    public void Of_AnAnsweredStatus_IsKeptWhateverTheException()
    {
        var context = Finished(StatusCode.ResourceExhausted, new IOException("unrelated"));

        Assert.Equal(StatusCode.ResourceExhausted, GrpcCallStatus.Of(context));
    }

    [Fact]
    public void Of_UnknownAfterTheClientsDeadline_IsDeadlineExceeded()
    {
        var context = Finished(StatusCode.Unknown, new IOException("The client reset the request stream."), deadline: DateTime.UtcNow.AddMilliseconds(-10));

        Assert.Equal(StatusCode.DeadlineExceeded, GrpcCallStatus.Of(context));
    }

    [Fact]
    public void Of_NoStatusWrittenAndTheClientGone_IsCancelled()
    {
        var context = new DefaultHttpContext();
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();
        context.RequestAborted = aborted.Token;

        Assert.Equal(StatusCode.Cancelled, GrpcCallStatus.Of(context));
    }

    // A finished call as grpc-dotnet leaves it: the status in the grpc-status trailer, and the
    // handler's exception on the call context's status.
    private static DefaultHttpContext Finished(StatusCode code, Exception failure, DateTime? deadline = null)
    {
        var context = new DefaultHttpContext();
        var trailers = new TrailersFeature();
        trailers.Trailers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Features.Set<IHttpResponseTrailersFeature>(trailers);
        context.Features.Set<IServerCallContextFeature>(new Call(new Status(code, "Exception was thrown by handler.", failure), deadline ?? DateTime.MaxValue));
        return context;
    }

    private sealed class TrailersFeature : IHttpResponseTrailersFeature
    {
        public IHeaderDictionary Trailers { get; set; } = new HeaderDictionary();
    }

    private sealed class Call(Status status, DateTime deadline) : ServerCallContext, IServerCallContextFeature
    {
        public ServerCallContext ServerCallContext => this;

        protected override string MethodCore => "/sandbox.v1.Sandbox/Invoke";
        protected override string HostCore => "localhost";
        protected override string PeerCore => "ipv4:127.0.0.1:1";
        protected override DateTime DeadlineCore => deadline;
        protected override Metadata RequestHeadersCore { get; } = [];
        protected override CancellationToken CancellationTokenCore => CancellationToken.None;
        protected override Metadata ResponseTrailersCore { get; } = [];
        protected override Status StatusCore { get; set; } = status;
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore { get; } = new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
