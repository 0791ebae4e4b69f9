using Grpc.Core;
using Grpc.Core.Interceptors;
using Sandbox.V1;

namespace Sandbox.Server.Tenancy;

/// <summary>
/// Counts every call of <c>sandbox.v1.Sandbox</c> against its tenant's concurrent calls limit
/// (<see cref="TenantQuota.EnterCall"/>). Authentication and authorization happen before, in
/// ASP.NET Core's middleware (<see cref="ApiKeyAuthenticationHandler"/>).
/// </summary>
/// <remarks>
/// Not ASP.NET Core's rate limiter: its refusal is an HTTP status (429, which gRPC clients read as
/// UNAVAILABLE and retry), where this limit answers RESOURCE_EXHAUSTED with a
/// <c>google.rpc.QuotaFailure</c> naming it, and each tenant has its own limit.
/// </remarks>
public sealed class TenantInterceptor : Interceptor
{
    private static readonly string ServicePrefix = "/" + SandboxGrpc.ServiceName + "/";
    private static readonly string WatchMetricsMethod = ServicePrefix + "WatchMetrics";

    /// <inheritdoc/>
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (context.FindTenant() is not { } tenant) return continuation(request, context);
        var slot = tenant.Quota.EnterCall();
        Task<TResponse> call;
        try
        {
            call = continuation(request, context);
        }
        catch
        {
            slot.Dispose();
            throw;
        }
        if (!call.IsCompleted) return Leave(call, slot);
        // A call that ended at once (an idle instance's guest ran on this thread) leaves its slot
        // without a state machine and a task of its own.
        slot.Dispose();
        return call;

        static async Task<TResponse> Leave(Task<TResponse> call, TenantQuota.CallSlot slot)
        {
            using (slot) return await call.ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (context.FindTenant() is not { } tenant) return await continuation(requestStream, context).ConfigureAwait(false);
        using var slot = tenant.Quota.EnterCall();
        return await continuation(requestStream, context).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (context.FindTenant() is not { } tenant || context.Method == WatchMetricsMethod)
        {
            // A metrics watch lives as long as the client wants; it would hold a call slot forever.
            await continuation(request, responseStream, context).ConfigureAwait(false);
            return;
        }
        using var slot = tenant.Quota.EnterCall();
        await continuation(request, responseStream, context).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (context.FindTenant() is not { } tenant)
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
            return;
        }
        using var slot = tenant.Quota.EnterCall();
        await continuation(requestStream, responseStream, context).ConfigureAwait(false);
    }
}
