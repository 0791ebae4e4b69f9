using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Connections.Features;
using Sandbox.Server.Tenancy.Internal;

namespace Sandbox.Server.Tenancy;

/// <summary>
/// ASP.NET Core authentication of a tenant by its API key, sent as <c>authorization: Bearer KEY</c>
/// and checked against the SHA-256 hashes of <c>Sandbox:Tenants:N:ApiKeySha256</c> in constant
/// time (<see cref="TenantRegistry.FindByKey"/>). The tenant goes on the request as a feature
/// (<see cref="TenantCallContext.GetTenant"/>) and as the <see cref="TenantClaim"/> claim that the
/// <see cref="PolicyName"/> policy requires. On an <c>https://</c> address a TLS client certificate
/// that a tenant pins (<see cref="TenantOptions.ClientCertificateSha256"/>) identifies the tenant
/// without a key.
/// </summary>
/// <remarks>
/// A refused call gets a gRPC status, not HTTP 401: the challenge answers trailers-only with
/// UNAUTHENTICATED and the reason (grpc-dotnet#264 suggests exactly this), where a bare 401 would
/// reach clients as "Bad gRPC response. HTTP status code: 401".
/// <para>
/// An <see cref="IAuthenticationHandler"/> of its own rather than an
/// <see cref="AuthenticationHandler{TOptions}"/>: ASP.NET Core makes a handler per request, and the
/// base class's per-request setup (a logger from the factory, the options monitor, its events and
/// result caching) cost more CPU than the whole key check. A verified key's result is made once and
/// handed to every later call of its connection.
/// </para>
/// </remarks>
public sealed class ApiKeyAuthenticationHandler(TenantRegistry registry) : IAuthenticationHandler
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The authorization policy of <c>sandbox.v1.Sandbox</c>: an authenticated tenant.</summary>
    public const string PolicyName = "Tenant";

    /// <summary>The claim that holds the tenant's id.</summary>
    public const string TenantClaim = "sandbox:tenant";

    private const string BearerPrefix = "Bearer ";
    private const string MissingKey = "missing API key: send `authorization: Bearer <key>`";

    private HttpContext context = null!;
    private Task<AuthenticateResult>? result;

    /// <inheritdoc/>
    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        Initialize(context);
        return Task.CompletedTask;
    }

    /// <summary>Binds the handler to its request (all <see cref="InitializeAsync"/> does).</summary>
    internal void Initialize(HttpContext context) => this.context = context;

    /// <inheritdoc/>
    public Task<AuthenticateResult> AuthenticateAsync() => result ??= Authenticate();

    /// <inheritdoc/>
    public async Task ChallengeAsync(AuthenticationProperties? properties)
    {
        var authenticated = await AuthenticateAsync().ConfigureAwait(false);
        GrpcRefusal.Write(context.Response, StatusCode.Unauthenticated, authenticated.Failure?.Message ?? MissingKey);
    }

    /// <inheritdoc/>
    public Task ForbidAsync(AuthenticationProperties? properties)
    {
        GrpcRefusal.Write(context.Response, StatusCode.PermissionDenied, "the caller is not a tenant of this server");
        return Task.CompletedTask;
    }

    private Task<AuthenticateResult> Authenticate()
    {
        if (registry.DevTenant is { } dev)
        {
            // The embedded first-run default: anyone on this machine, nobody else.
            return TenantRegistry.IsLoopback(context.Connection.RemoteIpAddress)
                ? Authenticated(dev)
                : Failed("no tenants are configured; the dev tenant serves loopback callers only");
        }
        if (registry.HasClientCertificates && context.Connection.ClientCertificate is { } certificate && Pinned(certificate) is { } pinned)
        {
            return Authenticated(pinned);
        }
        string? header = context.Request.Headers.Authorization;
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Failed(MissingKey);
        }
        var key = header.AsSpan(BearerPrefix.Length).Trim();
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (LastVerified(items) is { } last && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(last.Key.AsSpan()), MemoryMarshal.AsBytes(key)))
        {
            return Authenticated(last.Tenant);
        }
        if (registry.FindByKey(key) is not { } tenant)
        {
            return Failed("unknown API key");
        }
        if (items is not null)
        {
            lock (items) items[VerifiedKeyItem] = new VerifiedKey(key.ToString(), tenant);
        }
        return Authenticated(tenant);
    }

    private Task<AuthenticateResult> Authenticated(Tenant tenant)
    {
        context.Features.Set(tenant);
        return Success(tenant);
    }

    private static Task<AuthenticateResult> Failed(string reason) => Task.FromResult(AuthenticateResult.Fail(reason));

    /// <summary>
    /// The tenant's result, made once and kept on the tenant: its principal holds nothing but the
    /// tenant's id, so every call of the tenant, by key or by certificate, on any connection, is
    /// the same immutable result. Two first calls at once may each make one; either is right.
    /// </summary>
    internal static Task<AuthenticateResult> Success(Tenant tenant) => tenant.AuthenticateResult ??= Task.FromResult(AuthenticateResult.Success(
        new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(TenantClaim, tenant.Id)], SchemeName)), SchemeName)));

    // The key this HTTP/2 connection last proved, kept in the connection's items with its result,
    // so its next calls with the same key (a client sends one key on every call) skip the SHA-256
    // of FindByKey (~1 µs through OpenSSL). Compared in constant
    // time; a different key is verified afresh. Streams of one connection run on several threads,
    // and the items are a plain dictionary: both reads and writes take its lock.
    private static VerifiedKey? LastVerified(IDictionary<object, object?>? items)
    {
        if (items is null) return null;
        lock (items) return items.TryGetValue(VerifiedKeyItem, out var found) ? found as VerifiedKey : null;
    }

    private static readonly object VerifiedKeyItem = new();

    // The tenant that pins this TLS connection's client certificate (TenantOptions
    // .ClientCertificateSha256), found once per connection: its certificate is the handshake's for
    // the connection's life (HTTP/2 forbids renegotiation, RFC 9113 section 9.2.1). A certificate
    // no tenant pins leaves the call to its API key.
    private Tenant? Pinned(X509Certificate2 certificate)
    {
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is not null)
        {
            lock (items)
            {
                if (items.TryGetValue(PinnedCertificateItem, out var found)) return found as Tenant;
            }
        }
        var pinned = registry.FindByCertificate(certificate);
        if (items is not null)
        {
            lock (items) items[PinnedCertificateItem] = pinned ?? NotPinned;
        }
        return pinned;
    }

    private static readonly object PinnedCertificateItem = new();
    private static readonly object NotPinned = new();

    private sealed record VerifiedKey(string Key, Tenant Tenant);
}
