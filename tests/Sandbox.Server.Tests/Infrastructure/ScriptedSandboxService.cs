using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Sandbox.V1;

namespace Sandbox.Server.Tests.Infrastructure;

/// <summary>
/// A stand-in sandbox.v1.Sandbox that answers from a script and records what it was sent:
/// GetUsage echoes the <c>authorization</c> header as the tenant id; Invoke returns its
/// arguments; Execute never returns (only a deadline or cancel ends it); WatchMetrics sends
/// samples numbered 0, 1, … as tenant ids every 10 ms; WriteMemoryStream records each chunk and
/// refuses <see cref="MissingInstance"/> at once; ReadMemory and ReadMemoryStream serve memory
/// whose byte at offset i is (byte)i.
/// </summary>
public sealed class ScriptedSandboxService : V1.Sandbox.SandboxBase
{
    public const string MissingInstance = "missing";

    public ConcurrentQueue<Metadata> GetUsageHeaders { get; } = new();

    public ConcurrentQueue<WriteMemoryRequest> Writes { get; } = new();

    public TaskCompletionSource<bool> WatchCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Task<GetUsageResponse> GetUsage(GetUsageRequest request, ServerCallContext context)
    {
        GetUsageHeaders.Enqueue(context.RequestHeaders);
        return Task.FromResult(new GetUsageResponse { TenantId = context.RequestHeaders.GetValue("authorization") ?? "" });
    }

    public override Task<InvokeResponse> Invoke(InvokeRequest request, ServerCallContext context) =>
        Task.FromResult(new InvokeResponse { Results = { request.Args } });

    public override async Task<ExecuteResponse> Execute(ExecuteRequest request, ServerCallContext context)
    {
        // A guest that never returns; only the deadline ends the call.
        await Task.Delay(Timeout.Infinite, context.CancellationToken);
        return new ExecuteResponse();
    }

    public override async Task WatchMetrics(WatchMetricsRequest request, IServerStreamWriter<MetricsSample> responseStream, ServerCallContext context)
    {
        try
        {
            for (var i = 0; ; i++)
            {
                await responseStream.WriteAsync(new MetricsSample { TenantId = i.ToString() }, context.CancellationToken);
                await Task.Delay(10, context.CancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            WatchCancelled.TrySetResult(true);
            throw;
        }
    }

    public override async Task<WriteMemoryResponse> WriteMemoryStream(IAsyncStreamReader<WriteMemoryRequest> requestStream, ServerCallContext context)
    {
        ulong written = 0;
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            if (requestStream.Current.InstanceId == MissingInstance)
            {
                // Refuse at once, with the rest of the stream still coming.
                throw new RpcException(new Status(StatusCode.NotFound, "no such instance"));
            }
            Writes.Enqueue(requestStream.Current);
            written += (ulong)requestStream.Current.Data.Length;
        }
        return new WriteMemoryResponse { BytesWritten = written };
    }

    public override Task<ReadMemoryResponse> ReadMemory(ReadMemoryRequest request, ServerCallContext context) =>
        Task.FromResult(new ReadMemoryResponse { Data = ByteString.CopyFrom(Bytes(request.Offset, (int)request.Length)) });

    public override async Task ReadMemoryStream(ReadMemoryRequest request, IServerStreamWriter<MemoryChunk> responseStream, ServerCallContext context)
    {
        for (var at = request.Offset; at < request.Offset + request.Length; at += request.ChunkSize)
        {
            var length = (int)Math.Min(request.ChunkSize, request.Offset + request.Length - at);
            await responseStream.WriteAsync(new MemoryChunk { Offset = at, Data = ByteString.CopyFrom(Bytes(at, length)) }, context.CancellationToken);
        }
    }

    /// <summary>The scripted memory: the byte at offset i is (byte)i.</summary>
    private static byte[] Bytes(ulong offset, int length) => Enumerable.Range(0, length).Select(i => (byte)(offset + (ulong)i)).ToArray();
}
