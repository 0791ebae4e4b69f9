using System.Threading.Channels;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Sandbox.Grpc.Health;

/// <summary>
/// The standard <c>grpc.health.v1.Health</c> service (grpc/grpc doc/health-checking.md). The
/// empty service name is the server as a whole: SERVING from the start, NOT_SERVING once the
/// application begins to stop. Other services are unknown until given a status.
/// </summary>
public sealed class HealthService
{
    public const string ServiceName = "grpc.health.v1.Health";

    /// <summary>Asks for the status of one service now.</summary>
    public static readonly Method<HealthCheckRequest, HealthCheckResponse> CheckMethod =
        new(MethodType.Unary, ServiceName, "Check", HealthCheckRequest.Parser, HealthCheckResponse.Parser);

    /// <summary>Streams the status of one service: the current one first, then each change.</summary>
    public static readonly Method<HealthCheckRequest, HealthCheckResponse> WatchMethod =
        new(MethodType.ServerStreaming, ServiceName, "Watch", HealthCheckRequest.Parser, HealthCheckResponse.Parser);

    private readonly object gate = new();
    private readonly Dictionary<string, ServingStatus> statuses = new(StringComparer.Ordinal) { [""] = ServingStatus.Serving };
    private readonly Dictionary<string, List<ChannelWriter<ServingStatus>>> watchers = new(StringComparer.Ordinal);

    /// <summary>Sets a service's status; watchers of that service are told if it changed.</summary>
    /// <param name="service">The fully qualified service name, or "" for the whole server.</param>
    public void SetStatus(string service, ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (gate)
        {
            if (statuses.TryGetValue(service, out var previous) && previous == status)
            {
                return;
            }
            statuses[service] = status;
            if (watchers.TryGetValue(service, out var list))
            {
                foreach (var watcher in list)
                {
                    watcher.TryWrite(status);
                }
            }
        }
    }

    /// <summary>The status of a service, or null if it has none.</summary>
    public ServingStatus? GetStatus(string service)
    {
        lock (gate)
        {
            return statuses.TryGetValue(service, out var status) ? status : null;
        }
    }

    internal void SetAllNotServing()
    {
        lock (gate)
        {
            foreach (var service in statuses.Keys.ToArray())
            {
                SetStatus(service, ServingStatus.NotServing);
            }
        }
    }

    internal void Bind(ServiceBinder binder)
    {
        binder.AddFileDescriptor(HealthReflection.Descriptor);
        binder.AddMethod(CheckMethod, Check);
        binder.AddMethod(WatchMethod, Watch);
    }

    private Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        // health-checking.md: "If the service name is not registered, the server returns a NOT_FOUND GRPC status."
        var status = GetStatus(request.Service) ?? throw new RpcException(StatusCode.NotFound, $"Unknown service '{request.Service}'.");
        return Task.FromResult(new HealthCheckResponse { Status = status });
    }

    private async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responses, ServerCallContext context)
    {
        // Only the latest status matters: a slow watcher skips straight to it.
        var updates = Channel.CreateBounded<ServingStatus>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        ServingStatus current;
        lock (gate)
        {
            // health-checking.md: an unknown service is answered SERVICE_UNKNOWN, not an error,
            // and the stream stays open for the service to appear.
            current = statuses.TryGetValue(request.Service, out var status) ? status : ServingStatus.ServiceUnknown;
            if (!watchers.TryGetValue(request.Service, out var list))
            {
                watchers[request.Service] = list = [];
            }
            list.Add(updates.Writer);
        }
        try
        {
            await responses.WriteAsync(new HealthCheckResponse { Status = current }, context.CancellationToken).ConfigureAwait(false);
            await foreach (var status in updates.Reader.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            {
                await responses.WriteAsync(new HealthCheckResponse { Status = status }, context.CancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            lock (gate)
            {
                watchers[request.Service].Remove(updates.Writer);
            }
        }
    }
}
