using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sandbox.Server.Internal;

/// <summary>
/// Healthy while the server runs, unhealthy once shutdown begins, so that gRPC health answers
/// NOT_SERVING while calls in flight drain and a load balancer stops sending new ones.
/// </summary>
internal sealed class ShutdownHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("the server is shutting down")
            : HealthCheckResult.Healthy());
}
