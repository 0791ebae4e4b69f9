using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Connections.Features;
using Sandbox.Grpc;
using Sandbox.Grpc.Server;
using Sandbox.V1;

namespace Sandbox.Server.Tenancy;

/// <summary>
/// Authenticates every call of <c>sandbox.v1.Sandbox</c> by its <c>authorization: Bearer</c> key,
/// puts the tenant on the call, and counts the call against the tenant's concurrent calls limit.
/// Health and reflection stay open, as generic tools expect.
/// </summary>
public sealed class TenantInterceptor(TenantRegistry registry) : Interceptor
{
    private const string BearerPrefix = "Bearer ";
    private static readonly string ServicePrefix = "/" + SandboxGrpc.ServiceName + "/";
    private static readonly string WatchMetricsMethod = ServicePrefix + "WatchMetrics";

    /// <inheritdoc/>
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (!Authenticate(context)) return await continuation(request, context).ConfigureAwait(false);
        using var slot = context.GetTenant().Quota.EnterCall();
        return await continuation(request, context).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!Authenticate(context)) return await continuation(requestStream, context).ConfigureAwait(false);
        using var slot = context.GetTenant().Quota.EnterCall();
        return await continuation(requestStream, context).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!Authenticate(context) || context.Method == WatchMetricsMethod)
        {
            // A metrics watch lives as long as the client wants; it would hold a call slot forever.
            await continuation(request, responseStream, context).ConfigureAwait(false);
            return;
        }
        using var slot = context.GetTenant().Quota.EnterCall();
        await continuation(request, responseStream, context).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!Authenticate(context))
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
            return;
        }
        using var slot = context.GetTenant().Quota.EnterCall();
        await continuation(requestStream, responseStream, context).ConfigureAwait(false);
    }

    /// <summary>
    /// Puts the caller's tenant on the call, or throws UNAUTHENTICATED. Returns false for methods of
    /// other services, which need no tenant.
    /// </summary>
    private bool Authenticate(ServerCallContext context)
    {
        if (!context.Method.StartsWith(ServicePrefix, StringComparison.Ordinal)) return false;
        if (registry.DevTenant is { } dev)
        {
            // The embedded first-run default: anyone on this machine, nobody else.
            if (!TenantRegistry.IsLoopback(context.HttpContext?.Connection.RemoteIpAddress))
            {
                throw Unauthenticated("no tenants are configured; the dev tenant serves loopback callers only");
            }
            context.SetTenant(dev);
            return true;
        }
        var header = context.GetRequestHeader("authorization");
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw Unauthenticated("missing API key: send `authorization: Bearer <key>`");
        }
        var key = header.AsSpan(BearerPrefix.Length).Trim();
        var items = context.HttpContext?.Features.Get<IConnectionItemsFeature>()?.Items;
        Tenant tenant;
        if (LastVerified(items) is { } last && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(last.Key.AsSpan()), MemoryMarshal.AsBytes(key)))
        {
            tenant = last.Tenant;
        }
        else
        {
            tenant = registry.FindByKey(key) ?? throw Unauthenticated("unknown API key");
            if (items is not null)
            {
                lock (items) items[VerifiedKeyItem] = new VerifiedKey(key.ToString(), tenant);
            }
        }
        context.SetTenant(tenant);
        return true;
    }

    // The key this HTTP/2 connection last proved, kept in the connection's items, so its next
    // calls with the same key (a client sends one key on every call) skip the SHA-256 of FindByKey,
    // ~1 µs through OpenSSL and the tenant check's whole cost. Compared in constant time; a
    // different key is verified afresh. Streams of one connection run on several threads, and the
    // items are a plain dictionary: both reads and writes take its lock.
    private static VerifiedKey? LastVerified(IDictionary<object, object?>? items)
    {
        if (items is null) return null;
        lock (items) return items.TryGetValue(VerifiedKeyItem, out var found) ? found as VerifiedKey : null;
    }

    private static readonly object VerifiedKeyItem = new();

    private sealed record VerifiedKey(string Key, Tenant Tenant);

    private static RpcException Unauthenticated(string detail) => new(new Status(StatusCode.Unauthenticated, detail));
}
