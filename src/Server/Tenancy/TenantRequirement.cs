using Microsoft.AspNetCore.Authorization;

namespace Sandbox.Server.Tenancy;

/// <summary>
/// The <see cref="ApiKeyAuthenticationHandler.PolicyName"/> policy's one requirement, and its own
/// handler: a user the API-key scheme authenticated, on a request it put a <see cref="Tenant"/> on.
/// </summary>
/// <remarks>
/// Where <c>RequireClaim</c> would search the principal's claims on every call (an iterator and a
/// LINQ query each), this reads two properties: the scheme sets the tenant claim and the tenant
/// feature together, from one verified key or pinned certificate.
/// </remarks>
internal sealed class TenantRequirement : IAuthorizationRequirement, IAuthorizationHandler
{
    /// <inheritdoc/>
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        if (context.User.Identity is { IsAuthenticated: true, AuthenticationType: ApiKeyAuthenticationHandler.SchemeName }
            && context.Resource is HttpContext { } http && http.FindTenant() is not null)
        {
            context.Succeed(this);
        }
        return Task.CompletedTask;
    }
}
