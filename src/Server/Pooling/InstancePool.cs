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
        if (!module.Cached || module.Evicted)
        {
            // Compiled for this call alone, or no longer cached: nothing to keep instances for.
            metrics.PoolMiss(tenant.Id);
            return (await CreateAsync(tenant, module, startOptions, cancellationToken).ConfigureAwait(false), false);
        }
        var slot = slots.GetOrAdd((tenant, module.Id), _ => new Slot(module));
        if (slot.Module == module && slot.Idle.TryDequeue(out var ready))
        {
            Interlocked.Decrement(ref totalIdle);
            idleCounts.AddOrUpdate(tenant, 0, (_, n) => n - 1);
            // The idle instance's reference on the module: the caller's own lease covers the call.
            module.Release();
            metrics.PoolHit(tenant.Id);
            ScheduleRefill(tenant, slot);
            return (ready, true);
        }
        metrics.PoolMiss(tenant.Id);
        if (slot.Module == module) ScheduleRefill(tenant, slot);
        return (await CreateAsync(tenant, module, startOptions, cancellationToken).ConfigureAwait(false), false);
    }

    public void Return(Tenant tenant, CompiledModule module, Instance instance)
    {
        // Never reused: whatever the call wrote goes with it (see the class comment).
        instance.Dispose();
        if (slots.TryGetValue((tenant, module.Id), out var slot) && slot.Module == module) ScheduleRefill(tenant, slot);
    }

    public void Forget(Tenant tenant, CompiledModule module)
    {
        if (slots.TryGetValue((tenant, module.Id), out var slot) && slot.Module == module)
        {
            slots.TryRemove(KeyValuePair.Create((tenant, module.Id), slot));
            Drain(tenant, slot);
        }
    }

    public int IdleCount(Tenant tenant) => idleCounts.GetValueOrDefault(tenant);

    public void Dispose()
    {
        stopping.Cancel();
        foreach (var ((tenant, _), slot) in slots) Drain(tenant, slot);
        stopping.Dispose();
    }

    // Charged to the tenant's budget like any instance: idle instances count against it. A start
    // function runs where guest calls do, without holding the caller's thread.
    private static ValueTask<Instance> CreateAsync(Tenant tenant, CompiledModule module, CallOptions startOptions, CancellationToken cancellationToken) =>
        Instance.CreateAsync(module.Module, [], new InstanceOptions { Limiter = tenant.Budget, StartOptions = startOptions }, cancellationToken);

    private void ScheduleRefill(Tenant tenant, Slot slot)
    {
        if (options.InstancesPerModule <= 0 || slot.Idle.Count >= options.InstancesPerModule || slot.Module.Evicted) return;
        if (Interlocked.CompareExchange(ref slot.Refilling, 1, 0) != 0) return;
        _ = Task.Run(() => RefillAsync(tenant, slot));
    }

    private async Task RefillAsync(Tenant tenant, Slot slot)
    {
        var module = slot.Module;
        // No client waits on a refill, so the tenant's longest call bounds its start function: an
        // endless one then costs a guest thread that long, not for good. Shutdown stops it sooner.
        var startOptions = new CallOptions { Timeout = tenant.Limits.MaxCallTimeout, CancellationToken = stoppingToken };
        try
        {
            while (!stopping.IsCancellationRequested
                && !module.Evicted
                && slot.Idle.Count < options.InstancesPerModule
                && Volatile.Read(ref totalIdle) < options.TotalInstances
                // Leave the budget's last bytes to calls rather than to idle instances.
                && tenant.Budget.AvailableBytes >= module.EstimatedBytes * 2)
            {
                var instance = await CreateAsync(tenant, module, startOptions, stoppingToken).ConfigureAwait(false);
                // An idle instance keeps the module's code alive, so it holds a reference on it.
                if (!module.TryAddReference())
                {
                    instance.Dispose();
                    break;
                }
                slot.Idle.Enqueue(instance);
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
            // Evicted while refilling: Forget may have drained the slot before the last instance came in.
            if (module.Evicted) Drain(tenant, slot);
        }
    }

    private void Drain(Tenant tenant, Slot slot)
    {
        while (slot.Idle.TryDequeue(out var instance))
        {
            Interlocked.Decrement(ref totalIdle);
            idleCounts.AddOrUpdate(tenant, 0, (_, n) => n - 1);
            instance.Dispose();
            slot.Module.Release();
        }
    }

    private sealed class Slot(CompiledModule module)
    {
        /// <summary>The module its instances are of: after an eviction the same id may come back as another one.</summary>
        public readonly CompiledModule Module = module;
        public readonly ConcurrentQueue<Instance> Idle = new();
        public int Refilling;
    }
}
