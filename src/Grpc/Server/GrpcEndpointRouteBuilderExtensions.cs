using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sandbox.Grpc;
using Sandbox.Grpc.Health;
using Sandbox.Grpc.Internal.Reflection;
using Sandbox.Grpc.Internal.Server;
using Sandbox.Grpc.Server;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps gRPC services onto ASP.NET Core endpoint routing.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>The route every gRPC call takes: PROTOCOL-HTTP2.md's Path → ":path" "/" Service-Name "/" {method name}.</summary>
    private const string RoutePattern = "/{service}/{method}";

    /// <summary>
    /// Maps the methods <paramref name="bind"/> adds (a service's static <c>BindService</c>).
    /// Any other POST to <c>/{service}/{method}</c> is answered by the wire layer too:
    /// UNIMPLEMENTED for gRPC, 415 for another content-type, a refusal for HTTP/1.x.
    /// </summary>
    /// <remarks>
    /// <typeparamref name="TService"/> is resolved from DI once, here, and its handlers are bound
    /// to that instance: register it as a singleton. All gRPC methods share one endpoint, so
    /// conventions added to the returned builder (authorization, metadata) apply to all of them.
    /// </remarks>
    public static IEndpointConventionBuilder MapGrpcService<TService>(this IEndpointRouteBuilder endpoints, Action<ServiceBinder, TService> bind)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(bind);
        var services = endpoints.ServiceProvider;
        var registry = services.GetService<ServerMethodRegistry>()
            ?? throw new InvalidOperationException("Call services.AddGrpcWire() before mapping gRPC services.");
        var interceptors = services.GetRequiredService<IOptions<GrpcServerOptions>>().Value.Interceptors.ToArray();
        bind(new RegistryServiceBinder(registry, interceptors), services.GetRequiredService<TService>());
        registry.Freeze();
        return registry.Endpoint ??= endpoints
            .MapPost(RoutePattern, services.GetRequiredService<GrpcDispatcher>().DispatchAsync)
            .WithDisplayName("gRPC");
    }

    /// <summary>
    /// Maps <c>grpc.health.v1.Health</c> (Check and Watch) to the <see cref="HealthService"/>
    /// singleton. Every status turns NOT_SERVING when the application starts stopping.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcHealthService(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var health = endpoints.ServiceProvider.GetRequiredService<HealthService>();
        endpoints.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(health.SetAllNotServing);
        return endpoints.MapGrpcService<HealthService>(static (binder, service) => service.Bind(binder));
    }

    /// <summary>
    /// Maps server reflection, <c>grpc.reflection.v1</c> and <c>v1alpha</c>, which lists every
    /// service mapped with <see cref="MapGrpcService{TService}"/> and serves their proto files.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcReflectionService(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGrpcService<ReflectionService>(static (binder, service) => service.Bind(binder));
    }
}
