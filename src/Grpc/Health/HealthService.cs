using Grpc.Health.V1;

namespace Sandbox.Grpc.Health;

/// <summary>The standard <c>grpc.health.v1.Health</c> service (grpc/grpc doc/health-checking.md).</summary>
public sealed class HealthService
{
    public const string ServiceName = "grpc.health.v1.Health";

    public static readonly Method<HealthCheckRequest, HealthCheckResponse> CheckMethod =
        new(MethodType.Unary, ServiceName, "Check", HealthCheckRequest.Parser, HealthCheckResponse.Parser);

    public static readonly Method<HealthCheckRequest, HealthCheckResponse> WatchMethod =
        new(MethodType.ServerStreaming, ServiceName, "Watch", HealthCheckRequest.Parser, HealthCheckResponse.Parser);

    public void SetStatus(string service, HealthCheckResponse.Types.ServingStatus status) => throw new NotImplementedException();
}
