using Microsoft.Extensions.DependencyInjection.Extensions;
using Sandbox.Grpc.Health;
using Sandbox.Grpc.Internal.Reflection;
using Sandbox.Grpc.Internal.Server;
using Sandbox.Grpc.Server;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the gRPC server.</summary>
public static class GrpcServiceCollectionExtensions
{
    /// <summary>
    /// Registers the gRPC options, the method registry, <see cref="HealthService"/> (a singleton)
    /// and the reflection service. Map services with <c>MapGrpcService</c> afterwards.
    /// </summary>
    /// <remarks>
    /// Deadlines are timed with the registered <see cref="TimeProvider"/> (the system clock unless
    /// one is registered first), so tests can control them.
    /// </remarks>
    public static IServiceCollection AddGrpcWire(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRouting();
        var options = services.AddOptions<GrpcServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ServerMethodRegistry>();
        services.TryAddSingleton<GrpcDispatcher>();
        services.TryAddSingleton<HealthService>();
        services.TryAddSingleton<ReflectionService>();
        return services;
    }
}
