using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Options;
using Sandbox.Server.Tenancy.Internal;

namespace Sandbox.Server.Tenancy;

/// <summary>
/// ASP.NET Core authentication of a tenant by its API key, sent as <c>authorization: Bearer KEY</c>
/// and checked against the SHA-256 hashes of <c>Sandbox:Tenants:N:ApiKeySha256</c> in constant
/// time (<see cref="TenantRegistry.FindByKey"/>). The tenant goes on the request as a feature
/// (<see cref="TenantCallContext.GetTenant"/>) and as the <see cref="TenantClaim"/> claim that the
/// <see cref="PolicyName"/> policy requires.
/// </summary>
/// <remarks>
/// A refused call gets a gRPC status, not HTTP 401: the challenge answers trailers-only with
/// UNAUTHENTICATED and the reason (grpc-dotnet#264 suggests exactly this), where a bare 401 would
/// reach clients as "Bad gRPC response. HTTP status code: 401".
/// </remarks>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TenantRegistry registry) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The authorization policy of <c>sandbox.v1.Sandbox</c>: an authenticated tenant.</summary>
    public const string PolicyName = "Tenant";

    /// <summary>The claim that holds the tenant's id.</summary>
    public const string TenantClaim = "sandbox:tenant";

    private const string BearerPrefix = "Bearer ";

    /// <inheritdoc/>
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (registry.DevTenant is { } dev)
        {
            // The embedded first-run default: anyone on this machine, nobody else.
            return Task.FromResult(TenantRegistry.IsLoopback(Context.Connection.RemoteIpAddress)
                ? Authenticated(dev, DevTicket ??= Ticket(dev))
                : AuthenticateResult.Fail("no tenants are configured; the dev tenant serves loopback callers only"));
        }
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.Fail("missing API key: send `authorization: Bearer <key>`"));
        }
        var key = header.AsSpan(BearerPrefix.Length).Trim();
        var items = Context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (LastVerified(items) is { } last && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(last.Key.AsSpan()), MemoryMarshal.AsBytes(key)))
        {
            return Task.FromResult(Authenticated(last.Tenant, last.Ticket));
        }
        if (registry.FindByKey(key) is not { } tenant)
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
        }
        var ticket = Ticket(tenant);
        if (items is not null)
        {
            lock (items) items[VerifiedKeyItem] = new VerifiedKey(key.ToString(), tenant, ticket);
        }
        return Task.FromResult(Authenticated(tenant, ticket));
    }

    /// <inheritdoc/>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var reason = result.Failure?.Message ?? "missing API key: send `authorization: Bearer <key>`";
        GrpcRefusal.Write(Response, StatusCode.Unauthenticated, reason);
    }

    /// <inheritdoc/>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        GrpcRefusal.Write(Response, StatusCode.PermissionDenied, "the caller is not a tenant of this server");
        return Task.CompletedTask;
    }

    private AuthenticateResult Authenticated(Tenant tenant, AuthenticationTicket ticket)
    {
        Context.Features.Set(tenant);
        return AuthenticateResult.Success(ticket);
    }

    private static AuthenticationTicket Ticket(Tenant tenant) =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim(TenantClaim, tenant.Id)], SchemeName)), SchemeName);

    // The dev tenant's ticket, made once: every loopback call is the same principal.
    private static AuthenticationTicket? DevTicket;

    // The key this HTTP/2 connection last proved, kept in the connection's items with its ticket,
    // so its next calls with the same key (a client sends one key on every call) skip the SHA-256
    // of FindByKey (~1 µs through OpenSSL) and the principal's allocation. Compared in constant
    // time; a different key is verified afresh. Streams of one connection run on several threads,
    // and the items are a plain dictionary: both reads and writes take its lock.
    private static VerifiedKey? LastVerified(IDictionary<object, object?>? items)
    {
        if (items is null) return null;
        lock (items) return items.TryGetValue(VerifiedKeyItem, out var found) ? found as VerifiedKey : null;
    }

    private static readonly object VerifiedKeyItem = new();

    private sealed record VerifiedKey(string Key, Tenant Tenant, AuthenticationTicket Ticket);
}
