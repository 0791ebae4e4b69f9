using Microsoft.AspNetCore.Routing;
using Sandbox.Grpc;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps gRPC services onto ASP.NET Core endpoint routing.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    public static IEndpointConventionBuilder MapGrpcService<TService>(this IEndpointRouteBuilder endpoints, Action<ServiceBinder, TService> bind)
        where TService : class
        => throw new NotImplementedException();

    public static IEndpointConventionBuilder MapGrpcHealthService(this IEndpointRouteBuilder endpoints)
        => throw new NotImplementedException();

    public static IEndpointConventionBuilder MapGrpcReflectionService(this IEndpointRouteBuilder endpoints)
        => throw new NotImplementedException();
}
