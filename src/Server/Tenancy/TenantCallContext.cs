using Grpc.Core;

namespace Sandbox.Server.Tenancy;

/// <summary>Where <see cref="ApiKeyAuthenticationHandler"/> leaves the caller's tenant for the service to find: a feature of the request.</summary>
public static class TenantCallContext
{
    /// <summary>The authenticated tenant of the call.</summary>
    /// <exception cref="InvalidOperationException">The call was not authenticated (a wiring bug: the service requires the tenant policy).</exception>
    public static Tenant GetTenant(this ServerCallContext context) =>
        context.FindTenant() ?? throw new InvalidOperationException("No tenant on the call: the ApiKey authentication scheme did not run.");

    /// <summary>The tenant, or null before authentication (for logging).</summary>
    public static Tenant? FindTenant(this ServerCallContext context) => context.GetHttpContext().Features.Get<Tenant>();

    /// <summary>The tenant of a request, or null before authentication (for logging).</summary>
    public static Tenant? FindTenant(this HttpContext context) => context.Features.Get<Tenant>();
}
