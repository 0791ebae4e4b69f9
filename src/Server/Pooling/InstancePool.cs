using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sandbox.Engine;
using Sandbox.Server.Execution;
using Sandbox.Server.Internal;
using Sandbox.Server.Telemetry;
using Sandbox.Server.Tenancy;

namespace Sandbox.Server.Pooling;

/// <summary>
/// The Execute pool. Reset is "dispose and instantiate again, off the call's path": a returned
/// instance is disposed, and a background refill instantiates a fresh one. The engine shows the
/// host only an instance's exports, so a snapshot could not restore private globals, memories and
/// tables; a fresh instance is exactly the post-instantiation state by construction, and its cost
/// (about the cost of Instantiate, see docs/service.md) is paid between calls, not within one.
/// </summary>
internal sealed class InstancePool : IInstancePool
{
    private readonly InstancePoolOptions options;
    private readonly SandboxMetrics metrics;
    private readonly ILogger<InstancePool> logger;
    private readonly ConcurrentDictionary<(Tenant Tenant, string ModuleId), Slot> slots = new();
    private readonly ConcurrentDictionary<Tenant, int> idleCounts = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationToken stoppingToken; // taken once: the source's Token throws after Dispose
    private int totalIdle;

    public InstancePool(IOptions<InstancePoolOptions> options, SandboxMetrics metrics, ILogger<InstancePool> logger)
    {
        this.options = options.Value;
        this.metrics = metrics;
        this.logger = logger;
        stoppingToken = stopping.Token;
    }

    public async ValueTask<(Instance Instance, bool Hit)> RentAsync(Tenant tenant, CompiledModule module, CallOptions startOptions, CancellationToken cancellationToken)
    {
        var slot = slots.GetOrAdd((tenant, module.Id), _ => new Slot());
        if (slot.Idle.TryDequeue(out var ready))
        {
            Interlocked.Decrement(ref totalIdle);
            idleCounts.AddOrUpdate(tenant, 0, (_, n) => n - 1);
            metrics.PoolHit(tenant.Id);
            ScheduleRefill(tenant, module, slot);
            return (ready, true);
        }
        metrics.PoolMiss(tenant.Id);
        ScheduleRefill(tenant, module, slot);
        return (await CreateAsync(tenant, module, startOptions, cancellationToken).ConfigureAwait(false), false);
    }

    public void Return(Tenant tenant, CompiledModule module, Instance instance)
    {
        // Never reused: whatever the call wrote goes with it (see the class comment).
        instance.Dispose();
        if (slots.TryGetValue((tenant, module.Id), out var slot)) ScheduleRefill(tenant, module, slot);
    }

    public int IdleCount(Tenant tenant) => idleCounts.GetValueOrDefault(tenant);

    public void Dispose()
    {
        stopping.Cancel();
        foreach (var slot in slots.Values)
        {
            while (slot.Idle.TryDequeue(out var instance)) instance.Dispose();
        }
        stopping.Dispose();
    }

    // Charged to the tenant's budget like any instance: idle instances count against it. A start
    // function runs where guest calls do, without holding the caller's thread.
    private static ValueTask<Instance> CreateAsync(Tenant tenant, CompiledModule module, CallOptions startOptions, CancellationToken cancellationToken) =>
        Instance.CreateAsync(module.Module, [], new InstanceOptions { Limiter = tenant.Budget, StartOptions = startOptions }, cancellationToken);

    private void ScheduleRefill(Tenant tenant, CompiledModule module, Slot slot)
    {
        if (options.InstancesPerModule <= 0 || slot.Idle.Count >= options.InstancesPerModule) return;
        if (Interlocked.CompareExchange(ref slot.Refilling, 1, 0) != 0) return;
        _ = Task.Run(() => RefillAsync(tenant, module, slot));
    }

    private async Task RefillAsync(Tenant tenant, CompiledModule module, Slot slot)
    {
        // No client waits on a refill, so the tenant's longest call bounds its start function: an
        // endless one then costs a guest thread that long, not for good. Shutdown stops it sooner.
        var startOptions = new CallOptions { Timeout = tenant.Limits.MaxCallTimeout, CancellationToken = stoppingToken };
        try
        {
            while (!stopping.IsCancellationRequested
                && slot.Idle.Count < options.InstancesPerModule
                && Volatile.Read(ref totalIdle) < options.TotalInstances
                // Leave the budget's last bytes to calls rather than to idle instances.
                && tenant.Budget.AvailableBytes >= module.EstimatedBytes * 2)
            {
                slot.Idle.Enqueue(await CreateAsync(tenant, module, startOptions, stoppingToken).ConfigureAwait(false));
                Interlocked.Increment(ref totalIdle);
                idleCounts.AddOrUpdate(tenant, 1, (_, n) => n + 1);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception e) when (e is TrapException or ResourceLimitException or OutOfMemoryException or ArgumentException)
        {
            // The start function traps, or the memory cannot be had: Execute will report it on a miss.
            ServerLog.PoolRefillFailed(logger, tenant.Id, module.Id, e.Message);
        }
        finally
        {
            Volatile.Write(ref slot.Refilling, 0);
        }
    }

    private sealed class Slot
    {
        public readonly ConcurrentQueue<Instance> Idle = new();
        public int Refilling;
    }
}
