using Sandbox.Grpc;

namespace Sandbox.Server.Tenancy;

/// <summary>Where the interceptor leaves the caller's tenant for the service to find.</summary>
public static class TenantCallContext
{
    private static readonly object Key = new();

    /// <summary>The authenticated tenant of the call.</summary>
    /// <exception cref="InvalidOperationException">The call did not pass the tenant interceptor (a wiring bug).</exception>
    public static Tenant GetTenant(this ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var tenant) && tenant is Tenant t
            ? t
            : throw new InvalidOperationException("No tenant on the call: TenantInterceptor is not registered.");

    /// <summary>The tenant, or null before authentication (for logging).</summary>
    public static Tenant? FindTenant(this ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var tenant) ? tenant as Tenant : null;

    internal static void SetTenant(this ServerCallContext context, Tenant tenant) => context.UserState[Key] = tenant;
}
