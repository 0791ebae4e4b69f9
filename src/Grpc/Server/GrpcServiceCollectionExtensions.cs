using Sandbox.Grpc.Server;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the gRPC server.</summary>
public static class GrpcServiceCollectionExtensions
{
    /// <summary>
    /// Registers the gRPC options, the method registry, <see cref="Sandbox.Grpc.Health.HealthService"/>
    /// (a singleton) and the reflection service. Map services with
    /// <c>MapGrpcService</c> afterwards.
    /// </summary>
    public static IServiceCollection AddGrpcWire(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
        => throw new NotImplementedException();
}
