using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Sandbox.Server.Tests.Infrastructure;
using Sandbox.V1;

namespace Sandbox.Server.Tests.Service;

/// <summary>A server span per RPC, continuing the caller's W3C traceparent.</summary>
[Collection(ServerCollection.Name)]
public sealed class TracingTests(SandboxServerFixture fixture)
{
    [Fact]
    public async Task GetUsage_WithTraceparent_ServerSpanContinuesTheCallersTrace()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            // ASP.NET Core's own server span, named and tagged as an RPC span by the server.
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var traceId = ActivityTraceId.CreateRandom();
        var parentId = ActivitySpanId.CreateRandom();
        using var client = fixture.CreateClient();

        await client.GetUsageAsync(headers: new Metadata { { "traceparent", $"00-{traceId}-{parentId}-01" } }, deadline: DateTime.UtcNow.AddSeconds(30));

        var span = Assert.Single(spans, s => s.TraceId == traceId);
        Assert.Equal(parentId, span.ParentSpanId);
        Assert.Equal(ActivityKind.Server, span.Kind);
        Assert.Equal("sandbox.v1.Sandbox/GetUsage", span.DisplayName);
        Assert.Equal("dev", span.GetTagItem("sandbox.tenant"));
        Assert.Equal(0, span.GetTagItem("rpc.grpc.status_code"));
    }
}
